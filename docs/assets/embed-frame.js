/* The questionnaire inside a portal's iframe: reads ?host/theme/accent, tells the parent page its
 * height and the questionnaire's events (ids only, never answers), and obeys `cdg:restart` from
 * `host` alone. A classic script, loaded at the top of <body> by overrides/embed.html, so the theme
 * is applied before the first paint and it also runs in a sandbox without allow-same-origin.
 * Protocol: docs/integrators.md ("消息").
 */
(function () {
  "use strict";

  var VERSION = 1;
  var ID = /^[A-Za-z0-9_.-]{1,100}$/; // question and route ids are ASCII snake_case
  var params = new URLSearchParams(location.search);

  function warn(name, value, why) {
    // The value is quoted for the console only; it never reaches the DOM.
    console.warn("[消费维权指南 embed] ignoring " + name + "=" + JSON.stringify(String(value).slice(0, 80)) + ": " + why);
  }

  function parseHost(value) {
    var url;
    try {
      url = new URL(value);
    } catch (e) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.username || url.password || url.search || url.hash || url.pathname !== "/") return null;
    // Only "https://portal.example" or "https://portal.example/" – an origin, nothing more.
    if (value !== url.origin && value !== url.origin + "/") return null;
    return url.origin;
  }

  // A parameter given once, or null. Given twice (?host=a&host=b) it is ambiguous: which one the
  // portal meant cannot be known, so neither is used.
  function param(name) {
    var values = params.getAll(name);
    if (values.length > 1) {
      warn(name, values.join(" | "), "given " + values.length + " times; give it once");
      return null;
    }
    return values.length ? values[0] : null;
  }

  var host = null;
  var hostParam = param("host");
  if (hostParam !== null) {
    host = parseHost(hostParam);
    if (!host) warn("host", hostParam, "expected an http(s) origin such as https://portal.example, with no path");
  }

  var SCHEMES = { light: "default", dark: "slate" };
  var scheme = null;
  var themeParam = param("theme");
  if (themeParam !== null) {
    scheme = Object.prototype.hasOwnProperty.call(SCHEMES, themeParam) ? SCHEMES[themeParam] : null;
    if (!scheme) warn("theme", themeParam, "expected light or dark");
  }

  var accent = null;
  var accentParam = param("accent");
  if (accentParam !== null) {
    accent = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(accentParam) ? accentParam.toLowerCase() : null;
    if (!accent) warn("accent", accentParam, "expected a hex colour such as #b3261e or #c00");
  }

  var root = document.documentElement;
  root.classList.add("cdg-embed");
  if (scheme && document.body) document.body.setAttribute("data-md-color-scheme", scheme);
  if (accent) {
    // CSSOM, not a style attribute: allowed under a CSP without 'unsafe-inline' for styles.
    ["--cdg-accent", "--cdg-dark-accent", "--md-accent-fg-color", "--md-primary-fg-color", "--md-typeset-a-color"].forEach(function (name) {
      root.style.setProperty(name, accent);
    });
    root.style.setProperty("--cdg-dark-accent-text", "#ffffff"); // as in the light theme
  }

  var framed = window.parent !== window;

  function post(message) {
    if (!framed) return;
    message.version = VERSION;
    // Without `host` the target is "*": the messages carry ids and a height, nothing about the user.
    window.parent.postMessage(message, host || "*");
  }

  // Height: the document's own height (html is height:auto in embed mode, see embed-frame.css), so
  // the parent can size the iframe to it and the iframe never scrolls.
  var lastHeight = -1;
  function contentHeight() {
    return Math.ceil(root.getBoundingClientRect().height);
  }
  function sendHeight(force) {
    var height = contentHeight();
    if (height !== lastHeight || force) {
      lastHeight = height;
      post({ type: "cdg:resize", height: height });
    }
  }

  var state = { ready: false };

  function questionnaire() {
    return document.querySelector("[data-questionnaire]");
  }

  // The questionnaire's DOM events bubble to the document; forward them as ids only.
  document.addEventListener("cdg:ready", function () {
    state.ready = true;
    post({ type: "cdg:ready" });
  });
  document.addEventListener("cdg:step", function (event) {
    var question = event.detail && event.detail.question;
    if (typeof question === "string" && ID.test(question)) post({ type: "cdg:step", question: question });
  });
  document.addEventListener("cdg:result", function (event) {
    var detail = event.detail || {};
    var routes = Array.isArray(detail.routes) ? detail.routes.filter(function (r) {
      return typeof r === "string" && ID.test(r);
    }) : [];
    var primary = typeof detail.primary === "string" && ID.test(detail.primary) ? detail.primary : routes[0] || null;
    post({ type: "cdg:result", primary: primary, routes: routes });
  });
  // Only the kind of problem, from a fixed list: the visitor-facing message can mention what a link
  // contained, and the portal hears ids and nothing else.
  var REASONS = { engine: true, link: true, answers: true };
  document.addEventListener("cdg:error", function (event) {
    var reason = event.detail && event.detail.reason;
    post({ type: "cdg:error", reason: REASONS[reason] === true ? reason : "engine" });
  });

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || (host && event.origin !== host)) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "cdg:restart") {
      // Restart changes the user's screen: only the portal that named itself in ?host= may ask.
      var rootEl = questionnaire();
      if (host && rootEl) rootEl.dispatchEvent(new CustomEvent("cdg:restart", { bubbles: true }));
    } else if (data.type === "cdg:hello") {
      // embed.js says hello when it attaches, in case it loaded after our first messages; the
      // answer is what was already sent (a height, "ready"), so any parent may ask.
      sendHeight(true);
      if (state.ready) post({ type: "cdg:ready" });
    }
  });

  // A link to a guide page opens in a new tab: inside the iframe it would replace the questionnaire
  // with a full page that the portal cannot size. Links within this page stay as they are.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target) return;
    if (link.href.split("#")[0] !== location.href.split("#")[0]) {
      link.target = "_blank";
      link.rel = "noopener";
    }
  }, true);

  function start() {
    if (scheme) document.body.setAttribute("data-md-color-scheme", scheme);
    if (typeof ResizeObserver === "function") {
      var observer = new ResizeObserver(function () { sendHeight(false); });
      observer.observe(root);
      observer.observe(document.body);
    }
    sendHeight(false);
    window.addEventListener("load", function () { sendHeight(false); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
