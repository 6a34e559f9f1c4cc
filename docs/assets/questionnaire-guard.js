// The questionnaire's classic-script guard, for where its ES module cannot even load: a sandboxed
// iframe without allow-same-origin (an opaque origin fetches module scripts cross-origin and they
// fail) or a browser without module scripts. It shows the reason and the static tree's link.
(function () {
  "use strict";
  var reason = null;
  if (self.origin === "null") {
    reason =
      "问卷被放在一个沙箱 iframe 里，但没有 allow-same-origin 权限：浏览器因此不允许它启动问卷引擎，" +
      "也不能保存你的回答。嵌入问卷的网站需要在 iframe 的 sandbox 属性里加上 allow-same-origin（与 allow-scripts 一起）。";
  } else if (!("noModule" in HTMLScriptElement.prototype)) {
    reason = "你的浏览器版本太旧，无法运行问卷引擎。";
  }
  if (!reason) return;
  var roots = document.querySelectorAll("[data-questionnaire]");
  for (var i = 0; i < roots.length; i++) {
    var root = roots[i];
    root.setAttribute("data-engine", "error");
    root.setAttribute("data-view", "error");
    var hide = root.querySelectorAll("[data-stage], [data-progress], [data-status], .cdg-nav");
    for (var j = 0; j < hide.length; j++) hide[j].hidden = true;
    var box = root.querySelector("[data-error]");
    box.querySelector("[data-error-message]").textContent =
      reason + "你可以改用不需要脚本的静态问卷，结果相同。";
    box.hidden = false;
    var event;
    try {
      event = new CustomEvent("cdg:error", { bubbles: true, detail: { message: reason } });
    } catch (e) {
      event = null;
    }
    if (event) root.dispatchEvent(event);
  }
})();
