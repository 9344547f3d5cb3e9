// Inside the widget's iframe: tells the host page (embed.js) that the widget is ready, how
// tall it is, and the signed result. Messages go to the site's listed origins only, never "*".
(() => {
  "use strict";
  const frame = document.getElementById("phone-verify-frame");
  if (!frame || window.parent === window) return;
  const origins = (frame.dataset.origins || "").split(" ").filter(Boolean);
  const session = frame.dataset.session;
  const send = (message) => {
    for (const origin of origins) {
      window.parent.postMessage({ protocol: "phone-verify", version: 1, session, ...message }, origin);
    }
  };
  send({ type: "ready" });
  let height = 0;
  const measure = () => {
    const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h !== height) send({ type: "resize", height: (height = h) });
  };
  new ResizeObserver(measure).observe(document.documentElement);
  measure();
  // The finished step renders a form marked with the result; send it once.
  let sent = false;
  const result = () => {
    const form = document.querySelector("form[data-result-token]");
    if (!form || sent) return;
    sent = true;
    send({ type: form.dataset.resultType, token: form.dataset.resultToken });
  };
  new MutationObserver(result).observe(document.body, { childList: true, subtree: true });
  result();
})();
