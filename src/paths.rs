//! Every path the product routes or hands out, in one place.

/// The phone check page, and where a signed request for the hosted page starts a session.
pub const VERIFY: &str = "/verify";
/// Where a signed request for the iframe starts a session.
pub const EMBED: &str = "/embed";
/// The root: a legacy Messente request, or the demo host on a development server.
pub const ROOT: &str = "/";
/// A session's hosted page, as routed.
pub const VERIFY_SESSION: &str = "/verify/{session}";
/// A session's page in the iframe, as routed.
pub const EMBED_SESSION: &str = "/embed/{session}";
/// The host backend's session API.
pub const API_SESSIONS: &str = "/api/v1/sessions";
/// The development outbox as JSON.
pub const DEV_OUTBOX_JSON: &str = "/dev/outbox.json";
/// Whether the process is alive.
pub const HEALTHZ: &str = "/healthz";
/// Whether the process can serve: database, migrations, webhook worker.
pub const READYZ: &str = "/readyz";
/// Prometheus metrics.
pub const METRICS: &str = "/metrics";
/// The OpenAPI document of the Verigator-compatible API.
pub const OPENAPI_VERIGATOR: &str = "/openapi/v1.json";
/// The OpenAPI document of the host backend's API.
pub const OPENAPI_BACKEND: &str = "/openapi/api.json";
/// The embedded Verigator API.
pub const VERIGATOR_API: &str = "/v1";

/// The paths whose GET the server's own handlers answer before any Leptos page renders.
pub const HANDLED_BEFORE_PAGES: [&str; 5] = [ROOT, VERIFY, EMBED, VERIFY_SESSION, EMBED_SESSION];

/// The widget's public origin: the configured one, or, on a development server (which has
/// none), one made of the request's own `Host`, which anyone can write.
pub fn public_origin(configured: Option<&str>, host: Option<&str>) -> String {
    configured.map_or_else(
        || format!("http://{}", host.unwrap_or("127.0.0.1:3000")),
        str::to_owned,
    )
}

/// The path of a session's page: in the iframe, or hosted.
pub fn session_page(embedded: bool, session: &str) -> String {
    format!("{}/{session}", if embedded { EMBED } else { VERIFY })
}
