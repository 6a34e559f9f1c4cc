"""The site's build checks, without building: outdated claims, markers, glossary tooltips, foreign loads."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from build_scripts import checks, glossary, hooks, pages


# --- Outdated legal claims -------------------------------------------------------------------------

OUTDATED = {
    "bare article 34 for the routes": "发生争议，可以依照第三十四条的规定向有关行政部门申诉。",
    "CPL article 34 for the routes": "《消费者权益保护法》第34条规定了五种解决争议的途径。",
    "消法 shorthand": "按消法第三十四条，可以请求消费者协会调解。",
    "退一赔一 stated as law": "商家有欺诈行为的，可以要求退一赔一。",
    "45 working days of mediation": "调解自受理之日起 45 个工作日内未达成协议的，终止调解。",
    "四十五个工作日 of mediation in a table row": "| 12315 投诉 | 7 个工作日内决定是否受理；调解最长四十五个工作日 |",
    "the repealed measures cited": "12315 调解要双方同意（《市场监督管理投诉举报处理暂行办法》第十六条）。",
    "the repealed measures by order number": "依据国家市场监督管理总局令第20号，投诉应当写明被投诉人的地址。",
    "the repealed measures by a short name": "按《投诉举报暂行办法》第十五条，超过三年的投诉不予受理。",
    "the repealed measures by order number with spaces": "依据总局令第 20 号，12315 投诉七个工作日内决定是否受理。",
}
CURRENT = {
    "article 39": "发生争议，可以依照《消费者权益保护法》第三十九条协商、调解、投诉、仲裁或者诉讼。",
    "article 34 of another law": "家用汽车的争议途径见《家用汽车产品修理更换退货责任规定》第三十四条，与消法一致。",
    "article 34 outside the routes": "《食品安全法》第三十四条列出了禁止生产经营的食品。",
    "marked old article 34": "网上引用“第三十四条”向行政部门申诉的文章，用的是 2014 年以前的旧条文。",
    "correction in a table row": "| 维权途径见《消费者权益保护法》第三十四条 | 现行是第三十九条 |",
    "marked 退一赔一": "所谓“退一赔一”是1993年旧法第四十九条的规定，现在是三倍。",
    "60 days, not mediation": "60 日或 3000 公里内，主要零部件出质量问题，可以免费更换总成。",
    "60-day mediation": "调解自受理之日起六十日内未达成协议的，终止调解（《市场监督管理投诉举报处理办法》第二十三条第（五）项）。",
    "60天 mediation": "12315 调解期限为 60 天。",
    "working days, not mediation": "市场监管部门收到投诉后 7 个工作日内决定是否受理。",
    "45 working days marked old": "网上写的“45 个工作日”调解期限，出自已废止的旧办法。",
    "45 working days corrected in a table row": "| 12315 调解 45 个工作日 | 现行为自受理之日起六十日 |",
    "repealed measures said to be repealed": "《市场监督管理投诉举报处理暂行办法》已于 2026 年 4 月 15 日废止。",
    "repealed measures said to be replaced": "总局令第20号已被《市场监督管理投诉举报处理办法》取代。",
    "the live seven-day-return 暂行办法": "《网络购买商品七日无理由退货暂行办法》第七条列出了需要确认的商品。",
}


@pytest.mark.parametrize("text", OUTDATED.values(), ids=OUTDATED.keys())
def test_outdated_claim_is_found(text):
    findings = checks.check_markdown(f"# 页\n\n{text}\n", "docs/sample.md")
    assert findings, f"not flagged: {text}"
    assert findings[0].line == 3


@pytest.mark.parametrize("text", CURRENT.values(), ids=CURRENT.keys())
def test_current_or_marked_text_passes(text):
    assert checks.check_markdown(text, "docs/sample.md") == []


def test_only_one_marked_mention_of_tui_yi_pei_yi_per_file():
    once = "“退一赔一”是1993年旧法的规定。"
    assert checks.check_markdown(once, "a.md") == []
    findings = checks.check_markdown(once + "\n\n" + once, "a.md")
    assert [f.rule for f in findings] == [checks.RULE_DOUBLE_TWICE]
    assert findings[0].line == 3


def test_yaml_content_is_checked_with_lines():
    text = (
        "routes:\n"
        "  x:\n"
        "    summary: 可以要求退一赔一。\n"
        "    citations:\n"
        "      - {law: cpl, article: 第三十四条}\n"
        "      - {law: car_three_guarantees, article: 第三十四条}\n"
    )
    findings = checks.check_yaml(text, "content/routes.yaml")
    assert sorted((f.line, f.rule) for f in findings) == [(3, checks.RULE_DOUBLE), (5, checks.RULE_34)]


def test_each_outdated_12315_claim_says_what_the_current_rule_is():
    findings = checks.check_markdown(
        "调解自受理之日起 45 个工作日内未达成协议的，终止调解。\n"
        "依据《市场监督管理投诉举报处理暂行办法》第三条。\n", "docs/sample.md")
    assert [(f.line, f.rule) for f in findings] == [(1, checks.RULE_45), (2, checks.RULE_REPEALED)]
    assert "六十日" in checks.RULE_45 and "第二十三条" in checks.RULE_45
    assert "总局令第121号" in checks.RULE_REPEALED and "2026 年 4 月 15 日" in checks.RULE_REPEALED


def test_outdated_12315_claims_fail_the_site_build_with_the_rule(tmp_path):
    docs, content = tmp_path / "docs", tmp_path / "content"
    docs.mkdir()
    content.mkdir()
    (docs / "ok.md").write_text("# 好\n\n12315 调解自受理之日起六十日内未达成协议的，终止调解。\n", encoding="utf-8")
    (content / "routes.yaml").write_text(
        "routes:\n  complaint_12315:\n    note: 受理后四十五个工作日仍未达成协议的，调解终止。\n"
        "laws:\n  complaint_measures:\n    name: 市场监督管理投诉举报处理暂行办法\n", encoding="utf-8")
    with pytest.raises(checks.CheckError) as err:
        checks.require_no_outdated_claims(docs, content)
    message = str(err.value)
    assert message.startswith("2 处过时的法律说法")
    assert "routes.yaml:3: " + checks.RULE_45 in message
    assert "routes.yaml:6: " + checks.RULE_REPEALED in message
    assert "ok.md" not in message


def test_bad_sample_fails_the_check(tmp_path):
    docs, content = tmp_path / "docs", tmp_path / "content"
    docs.mkdir()
    content.mkdir()
    (docs / "bad.md").write_text("# 坏\n\n发生争议，依照消法第三十四条投诉。\n", encoding="utf-8")
    (content / "ok.yaml").write_text("routes: {}\n", encoding="utf-8")
    with pytest.raises(checks.CheckError, match=r"bad\.md:3"):
        checks.require_no_outdated_claims(docs, content)


def test_the_real_content_passes():
    assert checks.outdated_claims() == [], "\n".join(map(str, checks.outdated_claims()))


def test_content_awaiting_its_rewrite_is_listed_only_while_it_is_still_there():
    stale = checks.stale_rewrite_entries()
    assert stale == [], (
        "these no longer match any outdated claim; delete them from checks.AWAITING_CONTENT_REWRITE:\n"
        + "\n".join(f"  {path}: {words}" for path, words in stale))


def test_awaiting_rewrite_excuses_only_content_not_the_guide(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("受理后四十五个工作日仍未达成协议的，调解终止。\n", encoding="utf-8")
    findings = checks.outdated_claims(docs, tmp_path / "no-content")
    assert [(f.path, f.rule) for f in findings] == [(str(docs / "page.md"), checks.RULE_45)]


def test_outdated_claim_stops_the_build_through_the_hook(monkeypatch):
    monkeypatch.setattr(checks, "outdated_claims", lambda *a: [checks.Finding("docs/x.md", 1, checks.RULE_34, "…")])
    with pytest.raises(PluginError, match="docs/x.md:1"):
        hooks.on_pre_build(config={})


# --- Markers ---------------------------------------------------------------------------------------

TREE = {
    "routes": {"negotiation": {"name": "与商家协商和解"}, "complaint_12315": {"name": "向市场监管部门投诉（12315）"}},
    "evidence": {"chat_logs": {"name": "聊天记录"}},
    "laws": {
        "cpl": {"name": "中华人民共和国消费者权益保护法", "short": "消费者权益保护法", "version": "2013年修正",
                "effective": "2014-03-15", "url": "https://flk.npc.gov.cn/"},
        "old": {"name": "部分商品修理更换退货责任规定", "short": "三包规定", "version": "1995年", "effective": "1995年",
                "url": None},
    },
}


def test_route_and_evidence_markers_become_relative_links():
    md = "先<!-- md:route negotiation -->，保存<!-- md:evidence chat_logs -->。"
    assert pages.expand_markers(md, "guide/prepare.md", TREE) == (
        "先[与商家协商和解](../routes/negotiation.md)，保存[聊天记录](../evidence/index.md#chat_logs)。"
    )
    assert pages.expand_markers("<!-- md:route negotiation -->", "index.md", TREE) == (
        "[与商家协商和解](routes/negotiation.md)"
    )


def test_laws_marker_is_a_table_of_every_law():
    table = pages.expand_markers("<!--md:laws-->", "sources.md", TREE)
    assert "| 《中华人民共和国消费者权益保护法》 | 2013年修正 | 2014年3月15日 | [flk.npc.gov.cn](https://flk.npc.gov.cn/) |" in table
    assert "| 《部分商品修理更换退货责任规定》 | 1995年 | 1995年 | — |" in table


def test_markers_in_fenced_code_are_left_alone():
    md = "```\n<!-- md:route nonexistent -->\n```\n"
    assert pages.expand_markers(md, "x.md", TREE) == md


@pytest.mark.parametrize("marker, message", [
    ("<!-- md:route negotiaton -->", r"unknown route id 'negotiaton'; known route ids: complaint_12315, negotiation"),
    ("<!-- md:evidence chat -->", r"unknown evidence id 'chat'; known evidence ids: chat_logs"),
    ("<!-- md:rout negotiation -->", r"unknown marker kind 'rout'; known kinds: evidence, glossary, laws, route"),
    ("<!-- md:route -->", r"md:route needs an id"),
    ("<!-- md:laws cpl -->", r"md:laws takes no id"),
])
def test_bad_marker_names_page_marker_and_known_ids(marker, message):
    with pytest.raises(pages.ContentError, match=message) as e:
        pages.expand_markers(f"# 页\n\n{marker}\n", "guide/prepare.md", TREE)
    assert str(e.value).startswith(f"docs/guide/prepare.md:3: marker {marker!r}")


class FakePage:
    def __init__(self, src: str, meta: dict):
        self.file = type("F", (), {"src_uri": src})()
        self.meta = meta


def test_unknown_marker_id_stops_the_build_through_the_hook():
    page = FakePage("guide/prepare.md", {"description": "x"})
    with pytest.raises(PluginError, match="unknown route id 'no_such_route'"):
        hooks.on_page_markdown("<!-- md:route no_such_route -->", page=page, config={}, files=None)


def test_page_without_description_stops_the_build():
    with pytest.raises(PluginError, match=r"docs/faq.md: no 'description:'"):
        hooks.on_page_markdown("# 常见问题", page=FakePage("faq.md", {}), config={}, files=None)


def test_route_page_shows_full_citation_and_caution():
    route = {k: ["x"] for k in ("when", "prepare", "steps", "can", "cannot")}
    route.update(name="协商", summary="找商家: 谈。", duration="几天", cost="0",
                 citations=[{"law": "cpl", "article": "第三十九条", "caution": "条文待核对"}])
    md = pages.route_markdown("negotiation", route, TREE["laws"])
    assert md.startswith('---\ndescription: "找商家: 谈。"\n---\n')
    assert ('- <span data-citation="" data-law="cpl" data-article="第三十九条">《中华人民共和国消费者权益保护法》'
            "第三十九条</span>（2013年修正，2014年3月15日施行） [官方文本](https://flk.npc.gov.cn/)") in md
    assert '    !!! caution "待核实"\n\n        条文待核对' in md


# --- Glossary tooltips -----------------------------------------------------------------------------

TERMS = {"投诉": "请部门调解", "举报": "反映违法线索", "12315": "市场监管热线", "预付卡": "先付钱的卡"}


def test_glossary_file_parses_and_rejects_bad_lines():
    assert glossary.parse("*[投诉]: 定义一\n\n*[举报]: 定义二\n") == {"投诉": "定义一", "举报": "定义二"}
    with pytest.raises(glossary.GlossaryError, match=r":2: expected"):
        glossary.parse("*[投诉]: 定义一\n投诉：定义\n")
    with pytest.raises(glossary.GlossaryError, match="defined twice"):
        glossary.parse("*[投诉]: a\n*[投诉]: b\n")


def test_first_body_occurrence_only_gets_a_tooltip():
    html = "<p>可以投诉。再投诉。</p><p>还是投诉</p>"
    assert glossary.apply(html, TERMS) == '<p>可以<abbr title="请部门调解">投诉</abbr>。再投诉。</p><p>还是投诉</p>'


@pytest.mark.parametrize("html", [
    "<h2 id='投诉'>投诉</h2>",
    "<p><a href='x'>投诉</a></p>",
    "<p><code>投诉</code></p>",
    "<pre><code>投诉</code></pre>",
    "<p><abbr title='别的'>投诉</abbr></p>",
    "<p>《市场监督管理投诉举报处理暂行办法》</p>",
    "<div data-questionnaire><button>投诉</button></div>",
    "<p>电话123150</p>",
])
def test_no_tooltip_in_headings_links_code_abbr_law_titles_widgets(html):
    assert glossary.apply(html, TERMS) == html


def test_tooltip_goes_to_the_first_occurrence_outside_skipped_elements():
    html = "<h1>预付卡</h1><p><a href='#'>预付卡</a>办了预付卡，打12315。</p>"
    assert glossary.apply(html, TERMS) == (
        '<h1>预付卡</h1><p><a href=\'#\'>预付卡</a>办了<abbr title="先付钱的卡">预付卡</abbr>，'
        '打<abbr title="市场监管热线">12315</abbr>。</p>'
    )


def test_definitions_are_escaped():
    assert glossary.apply("<p>投诉</p>", {"投诉": 'a "b" <c>'}) == '<p><abbr title="a &quot;b&quot; &lt;c&gt;">投诉</abbr></p>'


def test_the_glossary_page_itself_gets_no_tooltips():
    assert not glossary.wanted("glossary.md", {})
    assert not glossary.wanted("x.md", {"glossary": False})
    assert glossary.wanted("faq.md", {})


def test_the_real_glossary_file_parses():
    glossary.load()


# --- Foreign loads ---------------------------------------------------------------------------------

def test_foreign_load_scanner_finds_loads_and_ignores_links(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css"><link rel="canonical" href="https://x.cn/">'
        '<a href="https://flk.npc.gov.cn/">官方</a><img src="//cdn.example/a.png"><img src="img/a.png">'
        '<script>fetch("https://evil.example/a")</script><div style="background:url(https://b.example/x.png)"></div>',
        encoding="utf-8",
    )
    (tmp_path / "a.css").write_text('@import "https://c.example/x.css"; a{background:url("data:image/svg+xml;'
                                    "xmlns='http://www.w3.org/2000/svg'\")}", encoding="utf-8")
    (tmp_path / "a.js").write_text('import x from "https://d.example/m.js"; const s = "https://just.a.string/";'
                                   'new Worker("https://e.example/w.js")', encoding="utf-8")
    found = {(f.path, f.url) for f in checks.foreign_loads(tmp_path)}
    assert found == {
        ("index.html", "https://fonts.googleapis.com/css"), ("index.html", "//cdn.example/a.png"),
        ("index.html", "https://evil.example/a"), ("index.html", "https://b.example/x.png"),
        ("a.css", "https://c.example/x.css"), ("a.js", "https://d.example/m.js"), ("a.js", "https://e.example/w.js"),
    }


def test_settings_that_load_from_other_hosts_are_refused():
    config = {"theme": {"font": {"text": "Roboto"}}, "repo_url": "https://github.com/x/y", "extra": {"analytics": {}}}
    config["extra"]["analytics"] = {"provider": "google"}
    with pytest.raises(checks.CheckError) as e:
        checks.require_local_only_config(config)
    assert "theme.font" in str(e.value) and "repo_url" in str(e.value) and "extra.analytics" in str(e.value)


def test_mermaid_is_refused():
    with pytest.raises(checks.CheckError, match="unpkg.com"):
        checks.require_no_mermaid("x.md", '<pre class="mermaid"><code>graph</code></pre>')


def test_broken_content_stops_the_build_with_every_problem_not_a_traceback(monkeypatch):
    from mkdocs.exceptions import PluginError

    from build_scripts import hooks, tree_data
    from decision_tree.authoring import ContentError, Problem

    def broken():
        raise ContentError([Problem("routes.yaml:6", "维权途径里没有键“nmae”"),
                            Problem("tree/start.yaml:9", "选项指向不存在的节点“x”")])

    monkeypatch.setattr(tree_data, "tree_dict", broken)
    with pytest.raises(PluginError) as e:
        hooks.on_files([], {})
    message = str(e.value)
    assert "decision_tree/content/ 有 2 个问题" in message
    assert "routes.yaml:6: 维权途径里没有键“nmae”" in message and "tree/start.yaml:9" in message
