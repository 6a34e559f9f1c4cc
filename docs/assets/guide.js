// The guide pages' own behaviour: checklist ticks kept across reloads, and the printed page's
// date and address. No inline script anywhere (the site's CSP forbids it): main.html loads this file.
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Checklist ticks (pymdownx.tasklist): kept in localStorage, one key per page, as
  // {"<item text>": true}; keyed by the item's text so an edit that reorders a list keeps them.
  // The questionnaire's own result checklist keeps its ticks itself (questionnaire.js).

  var KEY = "cdg:guide-ticks:" + location.pathname;
  var BOXES = ".md-content .task-list-item > .task-list-control > input[type=checkbox]";

  function readTicks() {
    var raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (e) {
      return {}; // storage blocked (an opaque origin throws on reading it): ticks last this visit
    }
    if (raw === null) return {};
    var value = null;
    try {
      value = JSON.parse(raw);
    } catch (e) { /* reported below */ }
    var valid = value !== null && typeof value === "object" && !Array.isArray(value) &&
      Object.keys(value).every(function (k) { return value[k] === true; });
    if (!valid) {
      console.info("消费维权指南：本页保存的勾选记录格式不对，已丢弃。", KEY);
      writeTicks(null);
      return {};
    }
    return value;
  }

  function writeTicks(ticks) {
    try {
      if (ticks === null || Object.keys(ticks).length === 0) window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, JSON.stringify(ticks));
    } catch (e) { /* storage blocked or full: the ticks last this visit only */ }
  }

  function itemText(box) {
    // a11y.py gives every checkbox its item's text as aria-label.
    return box.getAttribute("aria-label") || box.closest("li").textContent.trim();
  }

  function keepTicks() {
    var boxes = document.querySelectorAll(BOXES);
    if (!boxes.length) return;
    var ticks = readTicks();
    boxes.forEach(function (box) {
      // tasklist writes `disabled` unless clickable_checkbox is on; a kept tick needs a usable box.
      box.disabled = false;
      if (ticks[itemText(box)]) box.checked = true;
      box.addEventListener("change", function () {
        var now = readTicks();
        if (box.checked) now[itemText(box)] = true;
        else delete now[itemText(box)];
        writeTicks(now);
      });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Print: a line at the top of the printed page with the site, the page's address and the date
  // (shown only in print, site.css). Written at load and refreshed on beforeprint.

  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  function printMeta() {
    var content = document.querySelector(".md-content__inner");
    if (!content) return;
    var line = content.querySelector(":scope > .cdg-print-meta");
    if (!line) {
      line = document.createElement("p");
      line.className = "cdg-print-meta";
      content.prepend(line);
    }
    line.textContent = "消费维权指南 · " + location.origin + location.pathname + " · 打印于 " + today() +
      "。本页是一般性信息，不是法律意见。";
  }

  function start() {
    keepTicks();
    printMeta();
    window.addEventListener("beforeprint", printMeta);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
