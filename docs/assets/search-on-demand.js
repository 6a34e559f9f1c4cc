// Load the search index when the reader first reaches for search, not with every page.
//
// Material's bundle requests search/search_index.json (with XMLHttpRequest) as soon as a page loads;
// for this Chinese site the index is most of a page's weight. This script runs before the bundle and
// holds that one request back until the search dialog opens (or its button is touched), then sends it
// unchanged. Every other request is untouched. If Material ever fetches the index differently, the
// index simply loads early again (tests/test_site_browser.py measures it).
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var released = false;
  var waiting = [];

  function release() {
    if (released) return;
    released = true;
    waiting.splice(0).forEach(function (send) { send(); });
  }

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.cdgDeferred = !released && INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.cdgDeferred || released) return send.apply(xhr, args);
    waiting.push(function () { send.apply(xhr, args); });
  };

  function watch() {
    var toggle = document.getElementById("__search");
    if (!toggle || toggle.checked || /[?&]q=/.test(location.search)) return release();
    toggle.addEventListener("change", release, { once: true });
    document.addEventListener("focusin", function (e) {
      if (e.target.closest && e.target.closest(".md-search")) release();
    });
    document.querySelectorAll("label[for='__search']").forEach(function (label) {
      label.addEventListener("pointerdown", release, { once: true });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch, { once: true });
  else watch();
})();
