//! Building the router and serving it; tests build the same application on port 0.

use super::{headers::security_headers, pages::provide_page_context, Settings};
use crate::{
    app::{shell, App},
    widget::{post_verify_form, WidgetSettings},
};
use axum::{extract::FromRef, routing::post, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

/// The largest request body accepted: forms and JSON here are tiny.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// State shared by every handler and server function.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos's site options.
    pub leptos_options: LeptosOptions,
    /// The widget's defaults.
    pub widget: WidgetSettings,
}

/// A server bound to its address, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    /// Binds the address from the settings (port 0 picks a free port) and builds the router.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.leptos.site_addr).await?;
        let state = AppState { leptos_options: settings.leptos, widget: settings.widget };
        Ok(Self { listener, router: router(state) })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown_signal()).await
    }
}

/// All routes: Leptos pages and server functions, form posts, static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_page_context(&page_state),
            move || shell(options.clone()),
        )
        .route("/verify", post(post_verify_form))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
