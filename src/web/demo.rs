//! The demo host: a fake signup page that plays a site using the widget, served at `/` on a
//! development server. It is on another origin than the widget (the page at `localhost`, the
//! widget at `127.0.0.1`, or the other way round), signs its requests with the `demo` site's
//! secret like a host backend would, and shows every result it received with its signature
//! check. Plain HTML on purpose: a host page is not part of the widget.

use crate::{
    callbacks::verify_webhook,
    sites::{check_result, parse_origin, sign, CallbackRule, Site, SiteError, SiteId, Sites},
    web::AppState,
};
// Escapes `&`, `"`, `<` and `>`: safe in text and in double-quoted attributes, where this
// page puts what it did not write.
use axum::{
    body::Bytes,
    extract::{Form, State},
    http::{header, HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::post,
    Router,
};
use html_escape::encode_double_quoted_attribute as escape;
use secrecy::SecretString;
use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

const SITE: &str = "demo";
const KEEP: usize = 20;
/// How old a result the demo host accepts: it arrives seconds after the session ends.
const RESULT_MAX_AGE_SECONDS: i64 = 300;

/// One result the demo host received.
#[derive(Debug, Clone)]
struct Received {
    channel: &'static str,
    status: String,
    phone: String,
    signature_ok: bool,
}

/// The demo host's memory of what it received.
#[derive(Default)]
pub struct DemoHost {
    received: Mutex<VecDeque<Received>>,
}

impl DemoHost {
    fn record(&self, entry: Received) {
        let mut received = self.received.lock().expect("not poisoned");
        received.push_front(entry);
        received.truncate(KEEP);
    }
}

/// Creates the `demo` site on first run: framed by and returning to this server's own
/// `localhost` and `127.0.0.1` origins, webhooks to `/demo/webhook`.
pub async fn ensure_demo_site(
    sites: &Sites,
    verigator_username: &str,
    verigator_password: &SecretString,
    port: u16,
    now: i64,
) -> anyhow::Result<()> {
    let id = SiteId::parse(SITE).map_err(anyhow::Error::msg)?;
    let origins = [
        format!("http://localhost:{port}"),
        format!("http://127.0.0.1:{port}"),
    ];
    let site = Site {
        embed_origins: origins
            .iter()
            .map(|o| parse_origin(o))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?,
        callback_urls: origins
            .iter()
            .map(|o| CallbackRule::parse(&format!("{o}/demo/return")))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?,
        webhook_url: Some(format!("http://127.0.0.1:{port}/demo/webhook")),
        allow_private_callbacks: true,
        allow_totp: true,
        ..Site::new(
            id,
            "Demo Shop".into(),
            verigator_username.to_owned(),
            verigator_password.clone(),
        )
    };
    match sites.create(site, now).await {
        Ok(_) => {
            tracing::info!("created the demo site: open http://localhost:{port}/");
            Ok(())
        }
        Err(SiteError::Exists) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `/demo/*`; the signup page itself is served at `/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/demo/webhook", post(webhook))
        .route("/demo/return", post(browser_return))
        .route("/demo/token", post(iframe_token))
}

fn demo(state: &AppState) -> Option<Arc<DemoHost>> {
    state.demo.clone()
}

/// The page's origin and the widget's: the same server under its two loopback names.
fn origins(headers: &HeaderMap) -> (String, String) {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost:3000");
    let port = host.rsplit_once(':').map_or("80", |(_, p)| p);
    let widget_host = if host.starts_with("localhost") {
        "127.0.0.1"
    } else {
        "localhost"
    };
    (
        format!("http://{host}"),
        format!("http://{widget_host}:{port}"),
    )
}

/// A request signed with the demo site's newest secret, as the host's backend would make it.
async fn signed_url(state: &AppState, widget: &str, path: &str, page: &str) -> Option<String> {
    let sites = Sites::new(state.db.clone());
    let secret = sites
        .active_secrets(&SiteId::parse(SITE).ok()?)
        .await
        .ok()?
        .into_iter()
        .next()?;
    let visitor = uuid::Uuid::new_v4().simple().to_string();
    let mut pairs: Vec<(String, String)> = vec![
        ("site".into(), SITE.into()),
        ("user".into(), format!("demo-visitor-{}", &visitor[..8])),
        ("callback_url".into(), format!("{page}/demo/return")),
        ("state".into(), "demo".into()),
        ("ts".into(), state.clock.unix_seconds().to_string()),
    ];
    let sig = sign(&secret, &pairs);
    pairs.push(("sig".into(), sig));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    Some(format!("{widget}{path}?{query}"))
}

/// The demo host's signup page.
pub async fn signup_page(state: AppState, headers: &HeaderMap) -> Response {
    let Some(host) = demo(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (page, widget) = origins(headers);
    let (Some(embed), Some(hosted)) = (
        signed_url(&state, &widget, "/embed", &page).await,
        signed_url(&state, &widget, "/verify", &page).await,
    ) else {
        return (StatusCode::SERVICE_UNAVAILABLE, "the demo site is missing").into_response();
    };
    let rows: String = host
        .received
        .lock()
        .expect("not poisoned")
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.channel,
                escape(&r.status),
                escape(&r.phone),
                if r.signature_ok {
                    "✓ valid"
                } else {
                    "✗ INVALID"
                }
            )
        })
        .collect();
    let rows = if rows.is_empty() {
        "<tr><td colspan=4>Nothing yet.</td></tr>".to_owned()
    } else {
        rows
    };
    Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Shop: sign up</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
label{{display:block;margin:.5rem 0 .25rem;font-weight:600}}input{{font:inherit;padding:.5rem;width:100%;max-width:28rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}}
.note{{background:#f4f4f4;padding:.75rem;border-radius:8px}}</style></head><body>
<h1>Demo Shop: create your account</h1>
<p class="note">This page plays a site that uses the widget. It is served from <b>{page}</b>; the widget
in the box below comes from <b>{widget}</b>, another origin, as it would on a real site.
Codes are not really sent: read them in the <a href="{widget}/dev/outbox" target="_blank">development SMS outbox</a>.</p>
<form onsubmit="return false"><label for="email">E-mail</label><input id="email" type="email" value="you@example.com"></form>
<h2>Verify your phone</h2>
<div id="widget" data-phone-verify="{embed}" data-on-verified="demoResult" data-on-cancelled="demoResult"></div>
<p id="outcome" role="status"></p>
<p>Or use the <a id="hosted" href="{hosted}">hosted verification page</a> (the browser comes back here by a signed POST).</p>
<h2>What this host received</h2>
<table><thead><tr><th>How</th><th>Status</th><th>Phone</th><th>Signature</th></tr></thead><tbody id="received">{rows}</tbody></table>
<script>
function demoResult(message) {{
  document.getElementById("outcome").textContent = "The widget says: " + message.type + ". Checking the signed token on the backend…";
  fetch("/demo/token", {{ method: "POST", headers: {{ "content-type": "application/x-www-form-urlencoded" }}, body: message.token }})
    .then(() => setTimeout(() => location.reload(), 600));
}}
</script>
<script src="{widget}/embed.js" async></script>
</body></html>"#,
        page = escape(&page),
        widget = escape(&widget),
        embed = escape(&embed),
        hosted = escape(&hosted),
    ))
    .into_response()
}

/// Checks signed result fields (a browser return or an iframe token) against the demo site.
async fn record_fields(
    state: &AppState,
    channel: &'static str,
    fields: Vec<(String, String)>,
) -> bool {
    let Some(host) = demo(state) else {
        return false;
    };
    let sites = Sites::new(state.db.clone());
    let secrets = match SiteId::parse(SITE) {
        Ok(id) => sites.active_secrets(&id).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    // As a host should: signed, a result, and fresh (the demo keeps no record of sessions
    // seen, which a real host checks too).
    let now = state.clock.unix_seconds();
    let ok = check_result(&secrets, &fields, now, RESULT_MAX_AGE_SECONDS).is_ok();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    host.record(Received {
        channel,
        status: field("status"),
        phone: field("phone"),
        signature_ok: ok,
    });
    ok
}

/// The hosted page's return: the browser posts the signed fields here.
async fn browser_return(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let ok = record_fields(&state, "browser return", fields.clone()).await;
    let status = fields
        .iter()
        .find(|(k, _)| k == "status")
        .map(|(_, v)| v.as_str())
        .unwrap_or("?");
    Html(format!(
        r#"<!doctype html><meta charset="utf-8"><title>Demo Shop</title><body style="font-family:system-ui;max-width:40rem;margin:2rem auto">
<h1>Welcome back to Demo Shop</h1><p>The widget says <b>{}</b>; the signature is <b>{}</b>.</p><p><a href="/">Back to the signup page</a></p>"#,
        escape(status),
        if ok { "valid" } else { "INVALID" }
    ))
    .into_response()
}

/// The iframe's result token, forwarded by the page's script as a host page would.
async fn iframe_token(State(state): State<AppState>, body: Bytes) -> StatusCode {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    if record_fields(&state, "iframe token", fields).await {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// The server-to-server webhook, checked with the Standard Webhooks signature.
async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(host) = demo(&state) else {
        return StatusCode::NOT_FOUND;
    };
    let sites = Sites::new(state.db.clone());
    let secrets = match SiteId::parse(SITE) {
        Ok(id) => sites.active_secrets(&id).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let now = state.clock.unix_seconds();
    let read = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let ok = secrets
        .iter()
        .any(|s| verify_webhook(s, read, &body, now).is_ok());
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    host.record(Received {
        channel: "webhook",
        status: json["data"]["status"].as_str().unwrap_or("?").to_owned(),
        phone: json["data"]["phone"].as_str().unwrap_or("").to_owned(),
        signature_ok: ok,
    });
    if ok {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::UNAUTHORIZED
    }
}
