//! The hosted verification page at `/verify`.

use super::{phone_step::starting_country, PhoneForm, PhoneSubmission, RequestRefused};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page that says why a verification request was refused, and what to do.
#[component]
pub fn RefusalPage(
    /// What is wrong with the request, for the visitor (and the host's developer).
    reason: String,
) -> impl IntoView {
    view! {
        <Title text="This verification link cannot be used"/>
        <main class="page">
            <section class="card">
                <h1>"This verification link cannot be used"</h1>
                <p role="alert">{reason}</p>
                <p>"Go back to the site you came from and start again."</p>
            </section>
        </main>
    }
}

/// The phone check page: a heading and the phone form, or why a verification request was
/// refused.
#[component]
pub fn VerifyPage() -> impl IntoView {
    if let Some(RequestRefused(reason)) = use_context::<RequestRefused>() {
        return view! { <RefusalPage reason/> }.into_any();
    }
    // Present when the form was posted to this page.
    let submitted = use_context::<PhoneSubmission>();
    view! {
        <Title text="Verify your phone number"/>
        <main class="page">
            <section class="card" aria-labelledby="verify-title">
                <h1 id="verify-title">"Verify your phone number"</h1>
                <p class="lead">"Enter the number where we can send you a code."</p>
                <PhoneForm default_country=starting_country() submitted/>
            </section>
        </main>
    }
    .into_any()
}
