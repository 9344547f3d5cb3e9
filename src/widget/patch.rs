//! Each step's answer, fetched and patched into the widget's own `<main>` only.
//!
//! Why not Leptos's islands router: it walks the whole document and the answer in step, node
//! by node from `<html>`, so one node that a browser extension added (a `<style>` in `<head>`,
//! a `<div>` first in `<body>`, as dark-mode tools, password managers and grammar checkers
//! do) shifts every node after it. The step then lands in the wrong place, or nowhere: the SMS
//! goes, and the visitor stays on the phone step without a word. Matching within `<main>`,
//! element by element on their tag and key attributes, nothing outside it can move the step.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, HtmlFormElement, Node, Request, RequestInit, Response,
    SupportedType, UrlSearchParams, Window,
};

/// Attributes the browser half sets on the server's elements, kept across a patch.
const OWN_ATTRIBUTES: [&str; 3] = ["data-arrived", "data-sent", super::web_otp::WAITING];
/// Attributes that tell two elements of one tag apart: when any differs, the element is new.
const KEYS: [&str; 4] = ["id", "name", "action", "type"];

/// Posts `form` as the browser would, follows the server's redirect to the page, and patches
/// that page's `<main>` into this one's. Falls back to the browser's own post when the answer
/// cannot be fetched or has no `<main>`.
pub async fn post(window: Window, document: Document, form: HtmlFormElement) {
    if patch_from(&window, &document, &form).await.is_err() {
        let _ = form.submit();
    }
}

async fn patch_from(
    window: &Window,
    document: &Document,
    form: &HtmlFormElement,
) -> Result<(), JsValue> {
    let fields = web_sys::FormData::new_with_form(form)?;
    let body = UrlSearchParams::new_with_str_sequence_sequence(&fields)?;
    // In the iframe, the host page's origin, for the SMS's WebOTP line (the server uses it
    // only when the site lists it). Chromium reports it; other browsers send nothing.
    if let Some(host) = host_page_origin(window) {
        body.append("host_origin", &host);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let request = Request::new_with_str_and_init(&form.action(), &init)?;
    request.headers().set("Accept", "text/html")?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .ok_or(JsValue::NULL)?;
    let answer = DomParser::new()?.parse_from_string(&html, SupportedType::TextHtml)?;
    let (Some(old), Some(new)) = (
        document.query_selector("main")?,
        answer.query_selector("main")?,
    ) else {
        return Err(JsValue::NULL);
    };
    morph(&old, &new)?;
    document.set_title(&answer.title());
    // The page's address as the server gave it (the redirect's target), without a new entry:
    // Back leaves the flow rather than replaying a step.
    window
        .history()?
        .replace_state_with_url(&JsValue::NULL, "", Some(&response.url()))?;
    Ok(())
}

/// Makes `old`'s children what `new`'s are, keeping each element that stays the same element
/// (so a field keeps what the visitor typed and the focus) and replacing the others.
fn morph(old: &Node, new: &Node) -> Result<(), JsValue> {
    let olds = children(old);
    let news = children(new);
    for (i, incoming) in news.iter().enumerate() {
        match olds.get(i) {
            Some(present) if same(present, incoming) => {
                if let (Some(present), Some(incoming)) =
                    (present.dyn_ref::<Element>(), incoming.dyn_ref::<Element>())
                {
                    attributes(present, incoming)?;
                    morph(present, incoming)?;
                } else if present.node_value() != incoming.node_value() {
                    present.set_node_value(incoming.node_value().as_deref());
                }
            }
            Some(present) => {
                old.replace_child(incoming, present)?;
            }
            None => {
                old.append_child(incoming)?;
            }
        }
    }
    for extra in olds.iter().skip(news.len()) {
        old.remove_child(extra)?;
    }
    Ok(())
}

/// Whether two nodes are the same node of the page: the same kind and, for elements, the same
/// tag and key attributes.
fn same(present: &Node, incoming: &Node) -> bool {
    if present.node_type() != incoming.node_type() {
        return false;
    }
    match (present.dyn_ref::<Element>(), incoming.dyn_ref::<Element>()) {
        (Some(a), Some(b)) => {
            a.tag_name() == b.tag_name()
                && KEYS
                    .iter()
                    .all(|key| a.get_attribute(key) == b.get_attribute(key))
        }
        _ => true,
    }
}

/// Gives `present` the attributes of `incoming`, and only those (and this module's own).
fn attributes(present: &Element, incoming: &Element) -> Result<(), JsValue> {
    for name in present.get_attribute_names().iter() {
        let Some(name) = name.as_string() else {
            continue;
        };
        if !incoming.has_attribute(&name) && !OWN_ATTRIBUTES.contains(&name.as_str()) {
            present.remove_attribute(&name)?;
        }
    }
    for name in incoming.get_attribute_names().iter() {
        let Some(name) = name.as_string() else {
            continue;
        };
        let value = incoming.get_attribute(&name).unwrap_or_default();
        if present.get_attribute(&name).as_deref() != Some(value.as_str()) {
            present.set_attribute(&name, &value)?;
        }
    }
    Ok(())
}

/// `location.ancestorOrigins[0]`, which web-sys does not bind: the origin of the page this
/// one is framed in, if any.
fn host_page_origin(window: &Window) -> Option<String> {
    let origins = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into()).ok()?;
    js_sys::Reflect::get(&origins, &0.into()).ok()?.as_string()
}

fn children(node: &Node) -> Vec<Node> {
    let list = node.child_nodes();
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}
