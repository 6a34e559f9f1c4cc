// The questionnaire's classic-script guard, for where its ES module cannot load or did not run:
// a sandboxed iframe without allow-same-origin (an opaque origin fetches module scripts
// cross-origin and they fail), a browser without module scripts, or a module that never arrived
// (404, aborted download, a proxy that mangled it). It shows the reason, a retry and the static
// tree's link in [data-error]. No inline script: the site runs under script-src 'self'.
(function () {
  "use strict";
  var SANDBOX =
    "问卷被放在一个沙箱 iframe 里，但没有 allow-same-origin 权限：浏览器因此不允许它启动问卷引擎，" +
    "也不能保存你的回答。嵌入问卷的网站需要在 iframe 的 sandbox 属性里加上 allow-same-origin（与 allow-scripts 一起）。";
  var OLD = "你的浏览器版本太旧，无法运行问卷引擎。";
  var NOT_LOADED = "问卷的脚本没能加载（网络中断，或网站文件不完整）。";

  function show(reason, retry) {
    var roots = document.querySelectorAll("[data-questionnaire]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      // questionnaire.js marks a root it mounted; it then shows its own errors.
      if (root.hasAttribute("data-mounted")) continue;
      root.setAttribute("data-engine", "error");
      root.setAttribute("data-view", "error");
      var hide = root.querySelectorAll("[data-stage], [data-progress], [data-status], .cdg-nav");
      for (var j = 0; j < hide.length; j++) hide[j].hidden = true;
      var box = root.querySelector("[data-error]");
      box.querySelector("[data-error-message]").textContent =
        reason + (retry ? "你可以刷新页面重试，" : "你可以") + "改用不需要脚本的静态问卷，结果相同。";
      var button = box.querySelector('[data-action="retry"]');
      if (button) button.hidden = !retry;
      box.hidden = false;
      var event;
      try {
        event = new CustomEvent("cdg:error", { bubbles: true, detail: { reason: "engine", message: reason } });
      } catch (e) {
        event = null;
      }
      if (event) root.dispatchEvent(event);
    }
  }

  // The retry button works even when the module never ran: a reload. A working questionnaire
  // retries itself (a new engine, the answers kept, no reload).
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target.closest('[data-action="retry"]') : null;
    var root = target && target.closest("[data-questionnaire]");
    var working = root && root.cdgQuestionnaire && !root.cdgQuestionnaire.broken;
    if (target && !working) location.reload();
  });

  if (self.origin === "null") return show(SANDBOX, false);
  if (!("noModule" in HTMLScriptElement.prototype)) return show(OLD, false);
  // The page's load event waits for its async module script to run or fail; by then a healthy
  // questionnaire.js has mounted every questionnaire (it mounts once the page is parsed).
  function check() {
    show(NOT_LOADED, true);
  }
  if (document.readyState === "complete") check();
  else window.addEventListener("load", check);
})();
