//! Rendering pages outside Leptos's own routes (answers to form posts), and what every page
//! reads while rendering.

use super::AppState;
use crate::{app::shell, widget::PublicOrigin};
use axum::{extract::Request, response::IntoResponse, response::Response};
use leptos::prelude::provide_context;

/// Provides what every page reads while rendering, and the flow the steps' server functions
/// run (Leptos gives server functions the pages' context).
pub fn provide_page_context(state: &AppState) {
    provide_context(state.widget.clone());
    provide_context(state.outbox.clone());
    provide_context(state.flow.clone());
    provide_context(PublicOrigin(state.public_origin.clone()));
}

/// Renders the app for `request` with the usual context plus `extra`, whole (not streamed):
/// these are answers to form posts from browsers that may run no JavaScript, which could not
/// swap streamed fragments in.
pub async fn render_page(
    state: AppState,
    request: Request,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_page_context(&state);
            extra();
        },
        move || shell(options.clone()),
    );
    render(request).await.into_response()
}
