// phone-verify embed loader: mounts the verification widget in an iframe and relays its events.
//
//   <div data-phone-verify="https://widget.example/embed?site=…&sig=…"
//        data-on-verified="onPhoneVerified"></div>
//   <script src="https://widget.example/embed.js" async></script>
//
// or PhoneVerify.mount(element, { url, onVerified, onCancelled, onError, onReady }).
// The element receives DOM events phone-verify:ready|verified|cancelled|error (event.detail is
// the message; for verified and cancelled, detail.token is the signed result for your backend).
(() => {
  "use strict";
  const script = document.currentScript;
  const widgetOrigin = new URL(script ? script.src : location.href).origin;
  const names = { ready: "onReady", verified: "onVerified", cancelled: "onCancelled", error: "onError" };

  function mount(element, options) {
    const url = new URL(options.url, widgetOrigin);
    if (url.origin !== widgetOrigin) throw new Error("phone-verify: the widget URL must be on " + widgetOrigin);
    const iframe = document.createElement("iframe");
    iframe.src = url.href;
    iframe.title = options.title || "Phone verification";
    iframe.allow = "otp-credentials";
    iframe.style.cssText = "width:100%;max-width:28rem;height:22rem;border:0;display:block;color-scheme:normal";
    element.replaceChildren(iframe);
    function onMessage(event) {
      // Only this iframe, only from the widget's origin, only this protocol.
      if (event.source !== iframe.contentWindow || event.origin !== widgetOrigin) return;
      const message = event.data;
      if (!message || message.protocol !== "phone-verify" || message.version !== 1) return;
      if (message.type === "resize") {
        iframe.style.height = Math.min(Math.max(message.height, 120), 2000) + "px";
        return;
      }
      element.dispatchEvent(new CustomEvent("phone-verify:" + message.type, { detail: message, bubbles: true }));
      const callback = options[names[message.type]];
      if (typeof callback === "function") callback(message);
    }
    window.addEventListener("message", onMessage);
    return { iframe, unmount: () => { window.removeEventListener("message", onMessage); iframe.remove(); } };
  }

  function fromAttributes(element) {
    const options = { url: element.dataset.phoneVerify };
    for (const [type, name] of Object.entries(names)) {
      const attribute = element.getAttribute("data-on-" + type);
      if (attribute && typeof window[attribute] === "function") options[name] = window[attribute];
    }
    return mount(element, options);
  }

  window.PhoneVerify = { mount, version: 1 };
  const start = () => document.querySelectorAll("[data-phone-verify]").forEach(fromAttributes);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
