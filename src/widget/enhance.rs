//! The browser half of the widget's pages, without a client framework: the server's HTML asks
//! for a few behaviours with `data-*` attributes, and this module applies them when the page
//! loads and again each time a step's answer is patched in (`widget::patch`).
//!
//! - `button[data-countdown]` (seconds): disabled while it counts down to another code,
//!   labelled `data-waiting` (`{s}` stands for the seconds), then `data-ready`.
//! - `[data-focus-on-arrival]`: takes the keyboard focus as it appears, if the visitor is using
//!   this page (`autofocus` works on a first load only, and must not take the focus from the
//!   host page around the iframe).
//! - `form[data-at-once]`: submitted as soon as it appears (the return to the host).
//! - `input[type=tel]` typed or pasted with `+`: its form's country picker follows the
//!   number's calling code (`option[data-dial]`, see `calling_code.rs`).
//! - `input[autocomplete="one-time-code"]`: filled from the SMS and sent, where the browser
//!   offers WebOTP (`web_otp.rs`).
//! - a form to another origin (the return to the host) goes by the browser's own post: the
//!   router would fetch its path from this server.
//! - a form to this server is posted by `patch`, which fetches the answer and patches it into
//!   the page's `<main>`; meanwhile the form is `aria-busy` (its buttons ignore clicks, see
//!   `style/main.css`), for ten seconds at most.

use super::calling_code::{country_for, DialOption};
use std::{cell::RefCell, rc::Rc};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{
    Document, Element, Event, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement,
    MutationObserver, MutationObserverInit, MutationRecord, Url, Window,
};

const BUSY: &str = "aria-busy";
const BUSY_AT_MOST_MS: i32 = 10_000;

/// Applies the behaviours now and after every patch of the page.
pub fn enhance(window: Window, document: Document) {
    let page = Rc::new(Page {
        window,
        document,
        observer: RefCell::new(None),
        countdowns: RefCell::new(Vec::new()),
    });
    page.apply();

    let on_patch = {
        let page = page.clone();
        // Only the patches reach here: this module's own changes are taken back at once.
        Closure::<dyn Fn(Vec<MutationRecord>)>::new(move |_: Vec<MutationRecord>| page.apply())
    };
    if let (Ok(observer), Some(body)) = (
        MutationObserver::new(on_patch.as_ref().unchecked_ref()),
        page.document.body(),
    ) {
        let options = MutationObserverInit::new();
        options.set_subtree(true);
        options.set_child_list(true);
        options.set_character_data(true);
        options.set_attributes(true);
        if observer.observe_with_options(&body, &options).is_ok() {
            *page.observer.borrow_mut() = Some(observer);
        }
    }
    on_patch.forget();

    let tick = {
        let page = page.clone();
        Closure::<dyn Fn()>::new(move || page.tick())
    };
    let _ = page
        .window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1000,
        );
    tick.forget();

    let on_input = {
        let page = page.clone();
        Closure::<dyn Fn(Event)>::new(move |event: Event| page.typed(&event))
    };
    let _ = page
        .document
        .add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
    on_input.forget();

    let on_submit = {
        let page = page.clone();
        Closure::<dyn Fn(Event)>::new(move |event: Event| page.submitted(&event))
    };
    let _ = page
        .document
        .add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

struct Page {
    window: Window,
    document: Document,
    observer: RefCell<Option<MutationObserver>>,
    /// Each countdown button and when it may be pressed (ms, the page's clock).
    countdowns: RefCell<Vec<(Element, f64)>>,
}

impl Page {
    /// Runs after a load or a patch.
    fn apply(&self) {
        for form in self.all("form[aria-busy]") {
            let _ = form.remove_attribute(BUSY);
        }
        // The server's seconds are counted from the page it just rendered.
        let now = self.now();
        *self.countdowns.borrow_mut() = self
            .all("button[data-countdown]")
            .into_iter()
            .map(|button| {
                let seconds: f64 = attribute(&button, "data-countdown").parse().unwrap_or(0.0);
                (button, now + seconds * 1000.0)
            })
            .collect();
        if self.document.has_focus().unwrap_or(false) {
            for field in self.all("[data-focus-on-arrival]:not([data-arrived])") {
                let _ = field.set_attribute("data-arrived", "");
                if let Ok(field) = field.dyn_into::<HtmlElement>() {
                    let _ = field.focus();
                }
            }
        }
        for field in self.all(r#"input[autocomplete="one-time-code"]"#) {
            if let Ok(field) = field.dyn_into() {
                super::web_otp::await_code(&self.window, field);
            }
        }
        for form in self.all("form[data-at-once]:not([data-sent])") {
            let _ = form.set_attribute("data-sent", "");
            if let Ok(form) = form.dyn_into::<HtmlFormElement>() {
                // `submit()` fires no submit event: the router never sees it.
                let _ = form.submit();
            }
        }
        self.tick();
    }

    /// Brings every countdown to the current second.
    fn tick(&self) {
        let now = self.now();
        for (button, ready_at) in self.countdowns.borrow().iter() {
            let left = ((ready_at - now) / 1000.0).ceil().max(0.0) as i64;
            let label = if left > 0 {
                attribute(button, "data-waiting").replace("{s}", &left.to_string())
            } else {
                attribute(button, "data-ready")
            };
            if button.text_content().as_deref() != Some(label.as_str()) {
                button.set_text_content(Some(&label));
            }
            let _ = if left > 0 {
                button.set_attribute("disabled", "")
            } else {
                button.remove_attribute("disabled")
            };
        }
        self.forget_own_changes();
    }

    /// A form was submitted: one to another origin goes by the browser's own post; one to
    /// this server is posted by `patch`, busy until its answer is in.
    fn submitted(&self, event: &Event) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let here = self.window.location().origin().ok();
        let there = Url::new(&form.action()).ok().map(|url| url.origin());
        if there != here {
            event.prevent_default();
            let _ = form.submit();
            return;
        }
        event.prevent_default();
        if form.has_attribute(BUSY) {
            // A second click while the step is on its way.
            return;
        }
        let _ = form.set_attribute(BUSY, "true");
        self.forget_own_changes();
        wasm_bindgen_futures::spawn_local(super::patch::post(
            self.window.clone(),
            self.document.clone(),
            form.clone(),
        ));
        let release = Closure::once_into_js(move || {
            let _ = form.remove_attribute(BUSY);
        });
        let _ = self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                release.unchecked_ref(),
                BUSY_AT_MOST_MS,
            );
    }

    /// A phone field changed: a number with `+` moves its form's country picker to the
    /// country it names.
    fn typed(&self, event: &Event) {
        let Some(field) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .filter(|field| field.type_() == "tel")
        else {
            return;
        };
        let Some(picker) = field
            .form()
            .and_then(|form| form.query_selector("select[name=country]").ok().flatten())
            .and_then(|picker| picker.dyn_into::<HtmlSelectElement>().ok())
            .filter(|picker| !picker.disabled())
        else {
            return;
        };
        let Ok(found) = picker.query_selector_all("option[data-dial]") else {
            return;
        };
        let read: Vec<(String, String, bool)> = (0..found.length())
            .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
            .map(|o| {
                let main = o.has_attribute("data-main");
                (attribute(&o, "value"), attribute(&o, "data-dial"), main)
            })
            .collect();
        let options: Vec<DialOption> = read
            .iter()
            .map(|(country, dial, main)| DialOption {
                country,
                dial,
                main: *main,
            })
            .collect();
        if let Some(country) = country_for(&field.value(), &picker.value(), &options) {
            if country != picker.value() {
                picker.set_value(country);
            }
        }
        self.forget_own_changes();
    }

    /// Drops the records of this module's own changes, so the observer sees only patches.
    fn forget_own_changes(&self) {
        if let Some(observer) = self.observer.borrow().as_ref() {
            observer.take_records();
        }
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let Ok(found) = self.document.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    fn now(&self) -> f64 {
        self.window.performance().map_or(0.0, |p| p.now())
    }
}

fn attribute(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}
