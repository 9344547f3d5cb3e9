// Inside the widget's iframe: tells the host page (embed.js) that the widget is ready, how
// tall it is, and the signed result. Messages go to the site's listed origins only, never "*".
(() => {
  "use strict";
  const frame = document.getElementById("phone-verify-frame");
  if (!frame || window.parent === window) return;
  // Leptos's islands router records each step with pushState; in a frame that would add
  // entries to the host page's Back button, so steps replace the entry instead.
  history.pushState = history.replaceState.bind(history);
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
  // The finished step renders a form marked with the result, an expired or locked session a
  // marked heading; send whichever comes, once.
  let sent = false;
  const result = () => {
    if (sent) return;
    const form = document.querySelector("form[data-result-token]");
    const end = document.querySelector("[data-flow-end]");
    if (form) send({ type: form.dataset.resultType, token: form.dataset.resultToken });
    else if (end) send({ type: "error", reason: end.dataset.flowEnd });
    else return;
    sent = true;
  };
  new MutationObserver(result).observe(document.body, { childList: true, subtree: true });
  result();
})();
