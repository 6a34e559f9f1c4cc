/* 消费维权指南 — the script a portal loads beside its iframe (served at the site's root as embed.js).
 *
 * For every <iframe data-cdg-embed src=".../embed/?host=..."> on the page it
 *   - sets the iframe's height from the iframe's `cdg:resize` messages, so the iframe never scrolls;
 *   - re-dispatches `cdg:ready`, `cdg:step`, `cdg:result`, `cdg:error` (and `cdg:resize`) as DOM
 *     CustomEvents on the iframe element, with the message's fields (ids only) as `event.detail`;
 * and offers `CdgEmbed.restart(iframe)`. A message is believed only when it comes from that iframe's
 * window and from the origin of its src. No dependencies, no cookies, no storage, no requests, and
 * no inline style (heights are set through CSSOM, which a strict CSP allows).
 * Documentation: integrators/ on the site (docs/integrators.md).
 */
(function () {
  "use strict";

  if (window.CdgEmbed) return; // loaded twice: the first copy already listens

  var SELECTOR = "iframe[data-cdg-embed]";
  var EVENTS = { "cdg:ready": [], "cdg:step": ["question"], "cdg:result": ["primary", "routes"], "cdg:error": ["reason"], "cdg:resize": ["height"] };
  var frames = [];

  function sandboxedWithoutOrigin(iframe) {
    // sandbox without allow-same-origin gives the frame an opaque origin: its messages say "null".
    return iframe.hasAttribute("sandbox") && !iframe.sandbox.contains("allow-same-origin");
  }

  function expectedOrigin(iframe) {
    if (sandboxedWithoutOrigin(iframe)) return "null";
    try {
      return new URL(iframe.src, location.href).origin;
    } catch (e) {
      return null;
    }
  }

  function say(iframe, type) {
    var target = sandboxedWithoutOrigin(iframe) ? "*" : expectedOrigin(iframe);
    if (iframe.contentWindow && target && target !== "null") iframe.contentWindow.postMessage({ type: type, version: 1 }, target);
  }

  function attach(iframe) {
    if (frames.indexOf(iframe) !== -1) return iframe;
    frames.push(iframe);
    iframe.style.border = "0";
    iframe.style.display = "block";
    if (!iframe.hasAttribute("width")) iframe.style.width = "100%";
    try {
      if (!new URL(iframe.src, location.href).searchParams.has("host")) {
        console.warn("消费维权指南 embed.js: add ?host=" + location.origin + " to the iframe's src, or restart() is ignored.");
      }
    } catch (e) { /* no src yet */ }
    // Ask for the height again in case the frame spoke before this script was listening.
    say(iframe, "cdg:hello");
    iframe.addEventListener("load", function () { say(iframe, "cdg:hello"); });
    return iframe;
  }

  function scan(root) {
    var found = (root || document).querySelectorAll(SELECTOR);
    for (var i = 0; i < found.length; i++) attach(found[i]);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.version !== 1 || !EVENTS.hasOwnProperty(data.type)) return;
    for (var i = 0; i < frames.length; i++) {
      var iframe = frames[i];
      if (event.source !== iframe.contentWindow || event.origin !== expectedOrigin(iframe)) continue;
      var detail = {};
      EVENTS[data.type].forEach(function (key) {
        if (key in data) detail[key] = data[key];
      });
      if (data.type === "cdg:resize") {
        var height = Number(data.height);
        if (!(height > 0 && height < 100000)) return;
        iframe.style.height = Math.ceil(height) + "px";
        detail.height = Math.ceil(height);
      }
      iframe.dispatchEvent(new CustomEvent(data.type, { detail: detail, bubbles: true }));
      return;
    }
  });

  window.CdgEmbed = {
    /** Start the questionnaire in `iframe` again (obeyed only when its src names this page in ?host=). */
    restart: function (iframe) {
      say(iframe, "cdg:restart");
    },
    /** Pick up an iframe added after this script ran (by default every iframe[data-cdg-embed] is). */
    attach: attach,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { scan(); });
  scan();
})();
