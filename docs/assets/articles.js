// Article popovers: the law's own words, opened in place under a citation.
//
// Attribute contract (build_scripts/pages.py, build_scripts/static_tree.py and the questionnaire's
// result rendering all emit it):
//   <ANY data-citation data-law="LAW_ID" data-article="ARTICLE">《…》第五十五条第一款</ANY>
//   LAW_ID  is a law id from decision_tree/content/laws.yaml (cpl, civil_code, …);
//   ARTICLE is the citation exactly as the content writes it (第五十五条第一款, 第三十九条第（一）项,
//           第四百九十六至四百九十八条).
// Each such element gets a 「条文」 button (aria-expanded, aria-controls) and, after it, a panel
// with the whole article(s), the cited 款/项 marked. Esc in the panel or on the button closes it.
// The texts come from the site itself: the JSON build_scripts/articles.py writes, whose address
// every page names in <meta name="cdg:articles">; it is fetched once, on the first opening.
// Elements added later (the questionnaire's result) are found by a MutationObserver.
(function () {
  "use strict";

  var SELECTOR = "[data-citation][data-law][data-article]";
  var corpus = null;
  var counter = 0;

  function corpusUrl() {
    var meta = document.querySelector('meta[name="cdg:articles"]');
    return meta ? new URL(meta.content, document.baseURI).href : null;
  }

  function loadCorpus() {
    if (!corpus) {
      var url = corpusUrl();
      corpus = url
        ? fetch(url, { credentials: "same-origin" }).then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.json();
          })
        : Promise.reject(new Error("no <meta name=cdg:articles>"));
      corpus.catch(function () { corpus = null; }); // a later opening tries again
    }
    return corpus;
  }

  function node(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  function officialLink(url, text) {
    return url ? node("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, [text]) : text;
  }

  // One article: each 款 a paragraph, its 项 one per line; the cited 款 or 项 in <mark>.
  function articleBlock(label, paragraphs, ref) {
    var block = node("div", { class: "cdg-article__item" }, [node("p", { class: "cdg-article__label" }, [label])]);
    paragraphs.forEach(function (lines, p) {
      var para = node("p", { class: "cdg-article__para" });
      lines.forEach(function (line, i) {
        if (i > 0) para.append(node("br"));
        var cited = ref.paragraph === p && (ref.item === null || ref.item === i);
        para.append(cited ? node("mark", {}, [node("span", { class: "cdg-visually-hidden" }, ["（所引）"]), line]) : line);
      });
      block.append(para);
    });
    return block;
  }

  function fill(panel, lawId, article, data) {
    var law = data.laws[lawId];
    panel.textContent = "";
    if (!law || !law.articles) {
      panel.append(node("p", {}, [
        "本站暂无该条文本，请查阅官方文本",
        law && law.url ? "：" : "。",
      ]));
      if (law && law.url) panel.lastChild.append(officialLink(law.url, "《" + law.name + "》官方来源"), "。");
      return;
    }
    var refs = law.citations[article];
    if (!refs) {
      panel.append(node("p", {}, ["本站没有这一引用的条文，请查阅", officialLink(law.official_url, "官方文本"), "。"]));
      return;
    }
    refs.forEach(function (ref) { panel.append(articleBlock(ref.article, law.articles[ref.article], ref)); });
    panel.append(node("p", { class: "cdg-article__source" }, [
      "《" + law.name + "》" + law.version + "，" + law.effective + "施行。",
      officialLink(law.official_url, "查阅官方文本"),
    ]));
  }

  function toggle(button, panel, open) {
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (!open || panel.dataset.filled) return;
    panel.dataset.filled = "1";
    panel.textContent = "正在载入条文……";
    loadCorpus().then(
      function (data) { fill(panel, panel.dataset.law, panel.dataset.article, data); },
      function () {
        delete panel.dataset.filled;
        panel.textContent = "条文没能载入，请检查网络后再点一次。";
      }
    );
  }

  function enhance(el) {
    el.setAttribute("data-article-ready", "");
    var id = "cdg-article-" + ++counter;
    // 《law》article, without the version note or caution that may follow it in the element.
    var text = el.textContent.trim();
    var label = (/^《[^》]*》[^（(\s]*/.exec(text) || [text])[0];
    var button = node("button", {
      type: "button",
      class: "cdg-article-toggle",
      "aria-expanded": "false",
      "aria-controls": id,
    }, ["条文"]);
    button.setAttribute("aria-label", "条文：" + label); // starts with the visible word (WCAG 2.5.3)
    var panel = node("div", { id: id, class: "cdg-article", role: "region", "aria-label": label + " 条文" });
    panel.hidden = true;
    panel.dataset.law = el.dataset.law;
    panel.dataset.article = el.dataset.article;
    // The button sits right after the citation's text; the panel goes below the citation's line.
    // A block citation (an <li> in a list) holds both, so the list keeps only <li> children.
    var isBlock = el.matches("li, p, dd, td, div");
    if (isBlock) el.append(" ", button);
    else el.after(" ", button);
    var block = isBlock ? el : el.closest("li, p, dd, td") || el.parentElement;
    if (block.tagName === "P") block.after(panel);
    else block.append(panel);
    button.addEventListener("click", function () {
      toggle(button, panel, button.getAttribute("aria-expanded") !== "true");
    });
    function closeOnEscape(e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        e.preventDefault();
        toggle(button, panel, false);
        button.focus();
      }
    }
    button.addEventListener("keydown", closeOnEscape);
    panel.addEventListener("keydown", closeOnEscape);
  }

  function enhanceAll(root) {
    root.querySelectorAll(SELECTOR + ":not([data-article-ready])").forEach(enhance);
  }

  function start() {
    enhanceAll(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      queueMicrotask(function () { pending = false; enhanceAll(document); });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
