// Starts the questionnaire's engine worker from the <head>, before the page's module code can run:
// Pyodide's boot is the long pole, and an async module waits behind the parsing of a large page.
// questionnaire.js adopts the worker, with every message it sent in the meantime. Optional: where
// this script is absent (the embed page) or gives up, questionnaire.js starts the worker itself.
(function () {
  "use strict";
  if (self.origin === "null" || typeof Worker !== "function" || typeof WebAssembly !== "object") return;
  // The worker's URL names this build's content-named Pyodide and engine folders (set by the build).
  var url = document.currentScript && document.currentScript.getAttribute("data-worker");
  if (!url) return;
  var worker;
  try {
    if (performance.mark) performance.mark("cdg:worker-start");
    worker = new Worker(new URL(url, document.baseURI), { type: "module" });
  } catch (e) {
    return;
  }
  var held = [];
  var hold = function (event) {
    if (event.type === "error") event.preventDefault();
    held.push(event);
  };
  worker.addEventListener("message", hold);
  worker.addEventListener("error", hold);
  window.__cdgEarlyWorker = {
    worker: worker,
    // Hands over the worker and what it has said so far; later events go to the adopter's listeners.
    adopt: function () {
      worker.removeEventListener("message", hold);
      worker.removeEventListener("error", hold);
      return held.splice(0);
    },
  };
})();
