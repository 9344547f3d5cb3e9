//! The HTML shell, the routes and the pages that are not part of the widget's flow.

use crate::widget::VerifyPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The whole HTML document; the server renders it for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
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
        <Stylesheet id="leptos" href="/pkg/phone_verify.css"/>
        <Title text="Phone verification"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/verify") view=VerifyPage/>
            </Routes>
        </Router>
    }
}

/// Landing page of a running server: where to go next.
#[component]
fn HomePage() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"Phone verification"</h1>
            <p>"This server hosts a phone verification widget."</p>
            <p><a href="/verify">"Open the hosted verification page"</a></p>
        </main>
    }
}

/// Any unknown path: a 404 with a way back.
#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the start"</a></p>
        </main>
    }
}
