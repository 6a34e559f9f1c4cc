/* The demo portal: points the iframe at ../embed/ with ?host= this page's origin (and this page's
 * own theme/accent, if any), then writes every event embed.js re-dispatches into the list. */
(function () {
  "use strict";
  var iframe = document.getElementById("cdg");
  var log = document.getElementById("log");
  var own = new URLSearchParams(location.search);
  var params = new URLSearchParams({ host: location.origin });
  ["theme", "accent"].forEach(function (name) {
    if (own.has(name)) params.set(name, own.get(name));
  });
  iframe.src = "../embed/?" + params.toString();

  ["cdg:ready", "cdg:step", "cdg:result", "cdg:error", "cdg:resize"].forEach(function (type) {
    iframe.addEventListener(type, function (event) {
      var item = document.createElement("li");
      item.setAttribute("data-event", type);
      var name = document.createElement("code");
      name.textContent = type;
      item.appendChild(name);
      item.appendChild(document.createTextNode(" " + JSON.stringify(event.detail)));
      log.insertBefore(item, log.firstChild);
    });
  });

  document.getElementById("restart").addEventListener("click", function () {
    window.CdgEmbed.restart(iframe);
  });
})();
