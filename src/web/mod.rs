//! The web layer: the state the handlers share, the page renderer, and every feature's routes
//! next to its handlers. It stands above the parts it serves (widget, sites, sessions,
//! callbacks, verigator); `server` composes it with the Verigator API, layers and workers.

mod backend_api;
mod demo;
mod dev;
mod health;
mod metrics;
mod openapi;
mod phone_check;
mod render;
mod session_pages;

pub use demo::{ensure_demo_site, DemoHost};
pub use metrics::MetricsState;
pub use render::{provide_page_context, render_page};

use crate::db::Db;
use crate::{
    abuse::ClientIpSettings,
    app::{shell, App},
    clock::Clock,
    health::Heartbeat,
    paths,
    sms::Outbox,
    widget::{flow::Flow, WidgetSettings},
};
use axum::{
    extract::FromRef,
    handler::Handler,
    routing::{get, post},
    Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use std::sync::Arc;
use tower_http::services::ServeDir;

/// State shared by every handler and server function.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos's site options.
    pub leptos_options: LeptosOptions,
    /// The widget's defaults.
    pub widget: WidgetSettings,
    /// The database.
    pub db: Db,
    /// The development SMS outbox, when it is the provider.
    pub outbox: Option<Outbox>,
    /// The visitor's flow.
    pub flow: Flow,
    /// Every time-dependent part's clock.
    pub clock: Arc<dyn Clock>,
    /// The demo host at `/`, on a development server.
    pub demo: Option<Arc<DemoHost>>,
    /// Where a request's client address comes from.
    pub client_ip: ClientIpSettings,
    /// The server's public origin, for the URLs it hands out (development: the `Host` header).
    pub public_origin: Option<String>,
    /// The webhook worker's heartbeat, for `/readyz`.
    pub heartbeat: Heartbeat,
    /// The recorder `/metrics` renders, and who may read it.
    pub metrics: MetricsState,
}

/// Every page and form route: Leptos's pages, the session pages' handlers, the backend API,
/// the development routes and the demo host; files and unknown paths last.
pub fn routes(state: &AppState) -> Router<AppState> {
    // GET /, /verify and /embed are ours: a signed (or legacy) request starts a session
    // before any page renders. So are the session pages: their handler loads the session
    // (and the last step's error) and renders the page with it. The steps' server functions
    // are routed by Leptos, with the pages' context.
    let own = paths::HANDLED_BEFORE_PAGES.map(str::to_owned).to_vec();
    let leptos_routes = generate_route_list_with_exclusions(App, Some(own));
    let page_state = state.clone();
    let options = state.leptos_options.clone();
    let not_found = leptos_axum::file_and_error_handler::<AppState, _>(shell);
    Router::new()
        .leptos_routes_with_context(
            state,
            leptos_routes,
            move || provide_page_context(&page_state),
            move || shell(options.clone()),
        )
        .route(
            paths::VERIFY,
            get(session_pages::get_verify).post(phone_check::post_verify_form),
        )
        .route(paths::ROOT, get(session_pages::get_root))
        .route(paths::EMBED, get(session_pages::get_embed))
        .route(paths::VERIFY_SESSION, get(session_pages::get_session_page))
        .route(paths::EMBED_SESSION, get(session_pages::get_session_page))
        .route(paths::API_SESSIONS, post(backend_api::create_session))
        .route(paths::HEALTHZ, get(health::healthz))
        .route(paths::READYZ, get(health::readyz))
        .route(paths::METRICS, get(metrics::metrics))
        .route(paths::OPENAPI_VERIGATOR, get(openapi::verigator_api))
        .route(paths::OPENAPI_BACKEND, get(openapi::backend_api))
        .merge(dev::routes(state))
        .merge(if state.demo.is_some() {
            demo::routes()
        } else {
            Router::new()
        })
        // The site folder's files (`/pkg`, `public/`), answering conditional requests with
        // 304, then Leptos's not-found page. Leptos's own file handler passes the file server
        // no request header but `Accept-Encoding`, so a browser could never revalidate.
        .fallback_service(
            ServeDir::new(&*state.leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .call_fallback_on_method_not_allowed(true)
                .fallback(not_found.with_state(state.clone())),
        )
}
