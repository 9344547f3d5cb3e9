//! WebOTP: Chrome on Android offers a page the code of an SMS whose last line names the page's
//! hosts (`@host #code`, see `verigator::engine::sms_text`); the visitor taps once, and the
//! code field is filled and sent. Typing in the field first cancels the wait. Browsers without
//! `OTPCredential` skip all of this (iOS fills the field from `autocomplete="one-time-code"`).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AddEventListenerOptions, CredentialRequestOptions, HtmlInputElement, Window,
};

/// The attribute that marks a code field whose code is awaited.
pub const WAITING: &str = "data-otp-waiting";

/// Asks the browser for the code of the SMS for `field`, once per field; fills it in and sends
/// its form when the visitor allows it.
pub fn await_code(window: &Window, field: HtmlInputElement) {
    if field.has_attribute(WAITING)
        || !Reflect::has(window, &"OTPCredential".into()).unwrap_or(false)
    {
        return;
    }
    let Ok(controller) = AbortController::new() else {
        return;
    };
    let Ok(options) = otp_options(&controller) else {
        return;
    };
    let Ok(asked) = window.navigator().credentials().get_with_options(&options) else {
        return;
    };
    let _ = field.set_attribute(WAITING, "");
    // The visitor types the code: the browser stops offering it.
    let stop = Closure::once_into_js(move || controller.abort());
    let once = AddEventListenerOptions::new();
    once.set_once(true);
    let _ = field.add_event_listener_with_callback_and_add_event_listener_options(
        "input",
        stop.unchecked_ref(),
        &once,
    );
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(credential) = JsFuture::from(asked).await else {
            return;
        };
        let code = Reflect::get(&credential, &"code".into())
            .ok()
            .and_then(|code| code.as_string());
        if let (Some(code), true) = (code, field.is_connected()) {
            field.set_value(&code);
            if let Some(form) = field.form() {
                // As a click would: the submit event lets `patch` post it in place.
                let _ = form.request_submit();
            }
        }
    });
}

/// `{otp: {transport: ["sms"]}, signal}`: web-sys has no binding for the `otp` member.
fn otp_options(controller: &AbortController) -> Result<CredentialRequestOptions, JsValue> {
    let otp = Object::new();
    Reflect::set(&otp, &"transport".into(), &Array::of1(&"sms".into()))?;
    let options = Object::new();
    Reflect::set(&options, &"otp".into(), &otp)?;
    Reflect::set(&options, &"signal".into(), &controller.signal())?;
    Ok(options.unchecked_into())
}
