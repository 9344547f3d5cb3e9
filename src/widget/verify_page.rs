//! The hosted verification page at `/verify`.

use super::{PhoneForm, PhoneSubmission, WidgetSettings};
use leptos::prelude::*;
use leptos_meta::Title;

/// The hosted page: a heading and the phone step. Rendered on the server only; the form
/// inside is an island.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let settings = expect_context::<WidgetSettings>();
    // Present only when a browser without JavaScript posted the form to this page.
    let submitted = use_context::<PhoneSubmission>();
    view! {
        <Title text="Verify your phone number"/>
        <main class="page">
            <section class="card" aria-labelledby="verify-title">
                <h1 id="verify-title">"Verify your phone number"</h1>
                <p class="lead">"Enter the number where we can send you a code."</p>
                <PhoneForm default_country=settings.default_country submitted/>
            </section>
        </main>
    }
}
