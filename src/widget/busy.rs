//! While a step's form is on its way, it says so (`aria-busy`) and its buttons ignore clicks:
//! the islands router shows nothing of its own, and a second click would post the step twice.
//! The mark goes when the router patches the page, or after ten seconds if it never does.

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{
    Document, Event, HtmlFormElement, MutationObserver, MutationObserverInit, MutationRecord,
};

const BUSY: &str = "aria-busy";

/// Marks each submitted form busy until the page changes.
pub fn mark_forms_busy_while_posting(document: &Document) {
    let clear = {
        let document = document.clone();
        move || {
            if let Ok(busy) = document.query_selector_all("form[aria-busy]") {
                for i in 0..busy.length() {
                    if let Some(form) = busy
                        .item(i)
                        .and_then(|n| n.dyn_into::<HtmlFormElement>().ok())
                    {
                        let _ = form.remove_attribute(BUSY);
                    }
                }
            }
        }
    };

    let on_patch = {
        let clear = clear.clone();
        Closure::<dyn Fn(Vec<MutationRecord>)>::new(move |records: Vec<MutationRecord>| {
            // Our own mark is a change too: only the router's count.
            if records
                .iter()
                .any(|r| r.attribute_name().as_deref() != Some(BUSY))
            {
                clear();
            }
        })
    };
    if let (Ok(observer), Some(body)) = (
        MutationObserver::new(on_patch.as_ref().unchecked_ref()),
        document.body(),
    ) {
        let options = MutationObserverInit::new();
        options.set_subtree(true);
        options.set_child_list(true);
        options.set_character_data(true);
        options.set_attributes(true);
        let _ = observer.observe_with_options(&body, &options);
    }
    on_patch.forget();

    let give_up = Closure::<dyn Fn()>::new(clear);
    let on_submit = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let _ = form.set_attribute(BUSY, "true");
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                give_up.as_ref().unchecked_ref(),
                10_000,
            );
        }
    });
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}
