// Offline use and return visits: registers the site's service worker (SITE/sw.js, scoped to the
// site's folder) and, on the first visit — loaded before the worker controlled it — hands it the
// page and what the page loaded to keep. On the questionnaire, once the engine's own files are kept
// too, shows "已可离线使用". Silently does nothing where service workers are unavailable: an old
// browser, a sandboxed iframe (opaque origin), a blocked registration.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || self.origin === "null" || !("serviceWorker" in navigator)) return;
  var swUrl;
  try {
    swUrl = new URL(script.getAttribute("data-sw"), document.baseURI);
  } catch (e) {
    return;
  }
  // Its scope is its own folder, the site root, whatever sub-path the site is served under.
  var registered = navigator.serviceWorker.register(swUrl.href);
  registered.catch(function () {
    /* no offline use here; everything else works as before */
  });

  // The worker's answer to {type: "cdg:keep", urls}: resolves true when all were kept.
  function keep(urls) {
    return registered
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return new Promise(function (resolve) {
          var channel = new MessageChannel();
          channel.port1.onmessage = function (event) {
            resolve(Boolean(event.data && event.data.ok));
          };
          registration.active.postMessage({ type: "cdg:keep", urls: urls }, [channel.port2]);
        });
      })
      .catch(function () {
        return false;
      });
  }

  function usedByThisPage() {
    var urls = [location.href.split("#")[0]];
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.name.indexOf(location.origin + "/") === 0) urls.push(entry.name);
    });
    return urls;
  }

  var pageKept = new Promise(function (resolve) {
    var run = function () {
      keep(usedByThisPage()).then(function (kept) {
        // Visible to tests and curious visitors: this page will open offline.
        if (kept) document.documentElement.setAttribute("data-offline-kept", "");
        resolve(kept);
      });
    };
    if (document.readyState === "complete") run();
    else window.addEventListener("load", run, { once: true });
  });

  // The questionnaire's note: the engine's files (kept by its worker) and this page both kept.
  function engineKept(ok) {
    if (!ok) return;
    pageKept
      .then(function (kept) {
        // The page and its scripts again: the first steps and the worker arrived after "load".
        return kept && keep(usedByThisPage());
      })
      .then(function (kept) {
        if (!kept) return;
        var notes = document.querySelectorAll("[data-offline]");
        for (var i = 0; i < notes.length; i++) notes[i].hidden = false;
      });
  }
  if (window.__cdgEngineCached !== undefined) engineKept(window.__cdgEngineCached);
  document.addEventListener("cdg:engine-cached", function (event) {
    engineKept(event.detail && event.detail.ok);
  });
})();
