//! The HTML shell, the routes and the pages that are not part of the widget's flow.

mod outbox_page;

pub use outbox_page::{outbox_entries, OutboxEntry, OutboxPage};

use crate::{
    domain::Theme,
    i18n::Locale,
    widget::{set_page_policy, RefusalPage, RequestRefused, SessionPage, VerifyPage},
};
use leptos::{nonce::use_nonce, prelude::*};
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The whole HTML document; the server renders it for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // A session's page speaks its site's language and wears its look (the session handlers
    // provide both); the other pages are English, in the widget's own colors.
    let locale = use_context::<Locale>().unwrap_or_default();
    let theme = use_context::<Theme>().unwrap_or_default();
    // Not framed, forms post here: a session page widens this for its site.
    set_page_policy(&[], &[]);
    // The site's colors as a style element with the response's nonce: the policy allows no
    // inline style attribute.
    let colors = theme.css_variables().map(|variables| {
        view! { <style nonce=use_nonce()>{format!(":root {{ {variables} }}")}</style> }
    });
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str() dir=locale.dir() data-theme=theme.scheme.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {colors}
                // By its content-hashed name when the build hashed it (hash-files).
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                // Not the islands script: it waits for `requestIdleCallback` with no timeout, and a
                // busy cross-origin iframe may never be idle, so its page would stay inert. This
                // one starts the wasm (`hydrate` in lib.rs) as soon as its module loads.
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The router: one place lists every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Phone verification"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/verify") view=VerifyPage/>
                // Session pages are rendered by their handlers, which load the session first.
                <Route path=path!("/verify/:session") view=|| view! { <SessionPage embedded=false/> }/>
                // Only reached when a request to /embed is refused: the page says why.
                <Route path=path!("/embed") view=VerifyPage/>
                <Route path=path!("/embed/:session") view=|| view! { <SessionPage embedded=true/> }/>
                // Async: the status (404 when the outbox is off) is known before the first byte.
                <Route path=path!("/dev/outbox") view=OutboxPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Landing page of a running server: where to go next.
#[component]
fn HomePage() -> impl IntoView {
    // A legacy Messente request comes to `/`; when it is refused, this page says why.
    if let Some(RequestRefused(reason)) = use_context::<RequestRefused>() {
        return view! { <RefusalPage reason/> }.into_any();
    }
    view! {
        <main class="page">
            <h1>"Phone verification"</h1>
            <p>"This server hosts a phone verification widget."</p>
            <ul>
                <li><a href="/verify">"The hosted verification page"</a></li>
                <li><a href="/dev/outbox">"The development SMS outbox"</a></li>
            </ul>
        </main>
    }
    .into_any()
}

/// Any unknown path: a 404 with a way back.
#[component]
fn NotFound() -> impl IntoView {
    set_status_not_found();
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the start"</a></p>
        </main>
    }
}

/// Makes the page being rendered answer 404.
pub(crate) fn set_status_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}
