"""Checks over loaded content, every problem reported at once: names that do not exist, conditions
and formulas of the wrong shape, uncited effects, rules that never fire, facts nobody reads."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from decision_tree.authoring import schema as s
from decision_tree.authoring.loader import Content, Problem

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
LISTS = ("entitlements", "evidence", "facts", "law")
_COMPARE = ("lt", "lte", "gt", "gte")
TYPE_NAMES = {"choice": "单选（choice）", "multi": "多选（multi）", "amount": "金额（amount）", "date": "日期（date）"}
_FORMULA_OPS = ("add", "sub", "mul", "max", "min")
# A fixed "today" for the reachability search: the result of validation must not depend on the clock.
SEARCH_TODAY = date(2026, 6, 1)


class _Checker:
    def __init__(self, content: Content):
        self.content = content
        self.sec = content.sections
        self.problems: list[Problem] = []
        self.facts: dict[str, Any] = self.sec["facts"]

    def fail(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.content.at(*path), message))

    # -- conditions and formulas ---------------------------------------------------------------
    def fact_ref(self, fid: Any, path: tuple, before: list[str] | None, types: tuple[str, ...] = ()) -> dict | None:
        if not isinstance(fid, str) or fid not in self.facts:
            self.fail(path, f"条件或公式用到了不存在的问题“{fid}”")
            return None
        if before is not None and fid not in before:
            self.fail(path, f"ask_if 只能用排在前面的问题，“{fid}”排在它后面")
            return None
        fact = self.facts[fid]
        if types and fact.get("type") not in types:
            want = "、".join(TYPE_NAMES[t] for t in types)
            self.fail(path, f"这里只能用{want}类问题，“{fid}”是{TYPE_NAMES.get(fact.get('type'), '未知')}类问题")
            return None
        return fact

    def condition(self, c: Any, path: tuple, before: list[str] | None = None) -> None:
        if not isinstance(c, dict) or not c:
            return self.fail(path, "条件应是映射，例如 {fact: channel, is: platform} 或 {all: [...]}")
        if "all" in c or "any" in c:
            key = "all" if "all" in c else "any"
            if len(c) != 1 or not isinstance(c[key], list) or not c[key]:
                return self.fail(path, f"“{key}”后面应是非空的条件列表，且不能再有别的键")
            for i, sub in enumerate(c[key]):
                self.condition(sub, path + (key, i), before)
            return
        if "not" in c:
            if len(c) != 1:
                return self.fail(path, "“not”只能单独出现：{not: {条件}}")
            return self.condition(c["not"], path + ("not",), before)
        ops = [k for k in c if k not in ("fact", "value")]
        if len(ops) != 1:
            return self.fail(path, f"条件里应恰好有一个判断（is/in/includes/known/lt/lte/gt/gte），现在是：{', '.join(ops) or '无'}")
        op = ops[0]
        if op in _COMPARE:
            if not isinstance(c[op], (int, float)) or isinstance(c[op], bool):
                self.fail(path + (op,), f"“{op}”后面应是数字")
            if "value" in c:
                return self.formula(c["value"], path + ("value",), before)
            self.fact_ref(c.get("fact"), path + ("fact",), before, ("amount",))
            return
        fact = self.fact_ref(c.get("fact"), path + ("fact",), before)
        if fact is None:
            return
        options = {o["id"] for o in fact.get("options") or []}
        if op == "known":
            if not isinstance(c[op], bool):
                self.fail(path + (op,), "“known”后面应是 true 或 false")
            return
        if op in ("is", "in", "includes"):
            want = {"is": ("choice",), "in": ("choice",), "includes": ("multi",)}[op]
            if fact.get("type") not in want:
                return self.fail(path + (op,), f"“{op}”只能用于{TYPE_NAMES[want[0]]}类问题，"
                                               f"“{c['fact']}”是{TYPE_NAMES.get(fact.get('type'), '未知')}类问题")
            values = c[op] if isinstance(c[op], list) else [c[op]]
            if op == "is" and isinstance(c[op], list):
                self.fail(path + (op,), "“is”后面是一个选项；几个选项请用“in”")
            for v in values:
                if v not in options:
                    self.fail(path + (op,), f"问题“{c['fact']}”没有选项“{v}”")
            return
        self.fail(path + (op,), f"不认识的判断“{op}”（可用：is、in、includes、known、lt、lte、gt、gte）")

    def formula(self, f: Any, path: tuple, before: list[str] | None = None) -> None:
        if isinstance(f, bool) or not isinstance(f, (int, float, dict)):
            return self.fail(path, "公式应是数字或映射（fact、days_since、years_since、add、sub、mul、max、min、round）")
        if not isinstance(f, dict):
            return
        if len(f) != 1:
            return self.fail(path, "公式的每一层只能有一个键")
        (op, arg), = f.items()
        if op == "fact":
            self.fact_ref(arg, path + (op,), before, ("amount",))
        elif op in ("days_since", "years_since"):
            self.fact_ref(arg, path + (op,), before, ("date",))
        elif op == "round":
            self.formula(arg, path + (op,), before)
        elif op in _FORMULA_OPS:
            if not isinstance(arg, list) or len(arg) < 2:
                return self.fail(path + (op,), f"“{op}”后面应是至少两项的列表")
            for i, sub in enumerate(arg):
                self.formula(sub, path + (op, i), before)
        else:
            self.fail(path, f"不认识的公式“{op}”")

    def text(self, text: str, path: tuple, deadlines: set[str]) -> None:
        for m in _PLACEHOLDER.finditer(text):
            name, _, arg = m.group(1).partition(":")
            if name == "today" and not arg:
                continue
            if name == "deadline" and arg in deadlines:
                continue
            if name == "list" and arg in LISTS:
                continue
            if not arg and name in self.facts:
                continue
            self.fail(path, f"文字里的“{{{m.group(1)}}}”不认识：可用 {{问题编号}}、{{today}}、"
                            f"{{deadline:期限编号}}、{{list:{'|'.join(LISTS)}}}")

    # -- the sections ----------------------------------------------------------------------------
    def check_facts(self) -> None:
        before: list[str] = []
        for fid, f in self.facts.items():
            path = ("facts", fid)
            kind = f.get("type")
            options = f.get("options") or []
            if kind not in s.FACT_TYPES:
                self.fail(path + ("type",), f"问题类型“{kind}”不认识：用 choice、multi、amount 或 date")
            elif kind in ("choice", "multi"):
                if len(options) < 2:
                    self.fail(path, f"问题“{fid}”只有 {len(options)} 个选项：至少要两个，否则就不必问")
                ids = [o["id"] for o in options]
                for dup in sorted({i for i in ids if ids.count(i) > 1}):
                    self.fail(path + ("options",), f"问题“{fid}”里选项编号“{dup}”重复")
            elif options:
                self.fail(path + ("options",), f"{kind}类问题不用 options")
            if f.get("bands") and kind != "amount":
                self.fail(path + ("bands",), "只有 amount 类问题能有 bands（金额档）")
            values = [b["value"] for b in f.get("bands") or []]
            if values != sorted(values) or len(set(values)) != len(values):
                self.fail(path + ("bands",), "金额档的 value 要从小到大、互不相同（每档取它的下限）")
            static_ok = f.get("static", False) and (kind in ("choice", "multi") or f.get("bands"))
            if not static_ok and not f.get("unknown"):
                self.fail(path, f"问题“{fid}”在无脚本的静态问卷里问不了（日期、没有 bands 的金额或 static: false），"
                                "必须提供 unknown（“不清楚”的说法）")
            if "ask_if" in f:
                self.condition(f["ask_if"], path + ("ask_if",), before)
            before.append(fid)

    def check_rules(self) -> set[str]:
        deadlines = {r["deadline"]["id"] for r in self.sec["rules"].values() if "deadline" in r}
        for rid, r in self.sec["rules"].items():
            path = ("rules", rid)
            effects = [k for k in s.EFFECTS if k in r]
            if not effects:
                self.fail(path, f"规则“{rid}”没有任何效果（summary、now、route、exclude、entitlement、deadline、evidence、defence、next_steps）")
            elif not r.get("citations"):
                self.fail(path, f"规则“{rid}”的效果（{'、'.join(effects)}）没有引用法律：加上 citations: [{{law: …, article: …}}]")
            for i, c in enumerate(r.get("citations") or []):
                if c["law"] not in self.sec["laws"]:
                    self.fail(path + ("citations", i, "law"), f"引用了不存在的法律“{c['law']}”（在 laws 里定义它）")
            if "when" in r:
                self.condition(r["when"], path + ("when",))
            for key, table, label in (("route", "routes", "途径"), ("exclude", "routes", "途径")):
                if key in r:
                    target = r[key]["id" if key == "route" else "route"]
                    if target not in self.sec["routes"]:
                        self.fail(path + (key,), f"{label}“{target}”不存在")
            for kind in ("required", "helpful"):
                for i, e in enumerate((r.get("evidence") or {}).get(kind) or []):
                    if e not in self.sec["evidence"]:
                        self.fail(path + ("evidence", kind, i), f"证据“{e}”不存在")
            if "entitlement" in r and "amount" in r["entitlement"]:
                self.formula(r["entitlement"]["amount"], path + ("entitlement", "amount"))
                if "formula" not in r["entitlement"]:
                    self.fail(path + ("entitlement",), "有 amount 的权利也要写 formula（算法的文字说明，无法计算时显示）")
            if "deadline" in r:
                d = r["deadline"]
                if d["from"] != "today":
                    self.fact_ref(d["from"], path + ("deadline", "from"), None, ("date",))
                if len(d["period"]) != 1:
                    self.fail(path + ("deadline", "period"), "period 里恰好写一个：days、working_days、months 或 years")
            if "now" in r:
                n = r["now"]
                if n.get("deadline") and n["deadline"] not in deadlines:
                    self.fail(path + ("now", "deadline"), f"期限“{n['deadline']}”没有任何规则定义")
                if n.get("document") and n["document"] not in self.sec["documents"]:
                    self.fail(path + ("now", "document"), f"文书“{n['document']}”不存在")
            for key, fields in (("route", ("reason",)), ("exclude", ("reason",)), ("entitlement", ("text",)),
                                ("deadline", ("text",)), ("defence", ("claim", "answer")),
                                ("summary", ("title", "text")), ("now", ("step",))):
                for field in fields:
                    if key in r and r[key].get(field):
                        self.text(r[key][field], path + (key, field), deadlines)
            for i, step in enumerate(r.get("next_steps") or []):
                self.text(step, path + ("next_steps", i), deadlines)
        for did, d in self.sec["documents"].items():
            for i, rid in enumerate(d.get("routes") or []):
                if rid not in self.sec["routes"]:
                    self.fail(("documents", did, "routes", i), f"途径“{rid}”不存在")
            if "when" in d:
                self.condition(d["when"], ("documents", did, "when"))
            self.text(d["text"], ("documents", did, "text"), deadlines)
        return deadlines

    def check_bands(self) -> None:
        """A threshold on a banded amount must be a band's lower edge (lt/gte only), or the static
        tree's band answer could fire a different rule than a typed amount in the same band."""
        def visit(node: Any, path: tuple) -> None:
            if isinstance(node, dict):
                fid = node.get("fact")
                bands = self.facts.get(fid, {}).get("bands") if isinstance(fid, str) else None
                for op in _COMPARE:
                    if op in node and bands:
                        if op in ("lte", "gt"):
                            self.fail(path, f"有金额档的“{fid}”只能用 lt 或 gte 比较（门槛即档的下限）")
                        elif node[op] not in {b["value"] for b in bands}:
                            self.fail(path, f"“{fid}”的门槛 {node[op]} 不是它某个金额档的下限：加一档或改门槛")
                for k, v in node.items():
                    visit(v, path + (k,))
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    visit(v, path + (i,))
        for rid, r in self.sec["rules"].items():
            visit(r.get("when"), ("rules", rid, "when"))
        for fid, f in self.facts.items():
            visit(f.get("ask_if"), ("facts", fid, "ask_if"))
        for did, d in self.sec["documents"].items():
            visit(d.get("when"), ("documents", did, "when"))

    def check_use(self) -> None:
        """Every fact is read by a rule, an ask_if or a text; every rule can fire."""
        from decision_tree.logic import facts_read

        read: set[str] = set()
        for r in self.sec["rules"].values():
            read.update(facts_read(r.get("when")))
            read.update(facts_read((r.get("entitlement") or {}).get("amount")))
            if "deadline" in r:
                read.add(r["deadline"]["from"])
        for f in self.facts.values():
            read.update(facts_read(f.get("ask_if")))
        for fid in self.facts:
            if fid not in read:
                self.fail(("facts", fid), f"问题“{fid}”没有任何规则用到：删掉它，或写一条用到它的规则")


def _search_values(content: Content, fact: dict[str, Any], hints: list[Any], rng: random.Random) -> Any:
    """A plausible answer for ``fact``, preferring the values a rule's condition names."""
    kind = fact["type"]
    if fact.get("unknown") and rng.random() < 0.1:
        return None
    if kind == "choice":
        ids = [o["id"] for o in fact["options"]]
        preferred = [h for h in hints if h in ids]
        return rng.choice(preferred if preferred and rng.random() < 0.7 else ids)
    if kind == "multi":
        ids = [o["id"] for o in fact["options"]]
        preferred = [h for h in hints if h in ids]
        picked = {rng.choice(ids) for _ in range(rng.randint(1, 2))}
        if preferred and rng.random() < 0.7:
            picked |= set(rng.sample(preferred, rng.randint(1, len(preferred))))
        return sorted(picked, key=ids.index)
    if kind == "amount":
        numbers = [h for h in hints if isinstance(h, (int, float)) and not isinstance(h, bool)]
        base = rng.choice(numbers + [50, 320, 3000, 80000]) if numbers else rng.choice([50, 320, 3000, 80000])
        return float(max(0, base + rng.choice([-1, 0, 1])))
    days = rng.choice([0, 2, 5, 7, 8, 14, 16, 30, 90, 200, 400, 800, 1000, 1200])
    return (SEARCH_TODAY - timedelta(days=days)).isoformat()


def _hints(node: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "not":  # values named under "not" are the ones to avoid
                continue
            if k in ("is", "includes", "in", *_COMPARE):
                out += v if isinstance(v, list) else [v]
            else:
                out += _hints(v)
    elif isinstance(node, list):
        for v in node:
            out += _hints(v)
    return out


def reachability(content: Content, problems: list[Problem], tries: int = 300) -> None:
    """Search for answers that fire each rule; report the rules never fired and any walk that ends
    without a route. A seeded random search, guided by the values each condition names."""
    from decision_tree.authoring.compiler import normalise
    from decision_tree.engine import _Case, next_fact
    from decision_tree.model import Tree

    tree = Tree.from_json({**normalise(content), "version": "check"})
    rng = random.Random(20260415)
    unfired = {r.id for r in tree.rules}
    for rule in tree.rules:
        hints = _hints(rule.when)
        for _ in range(tries if rule.id in unfired else 1):
            answers: dict[str, Any] = {}
            while (fact := next_fact(tree, answers, SEARCH_TODAY)) is not None:
                answers[fact.id] = _search_values(content, content.sections["facts"][fact.id], hints, rng)
            case = _Case(tree, answers, SEARCH_TODAY)
            if not case.effects("route"):
                example = "，".join(f"{k}={v}" for k, v in answers.items())
                first = next(iter(content.sections["rules"]), None)
                problems.append(Problem(content.at("rules", first) if first else "content",
                                        f"有的回答得不到任何推荐途径（例如 {example}）：加一条没有 when 的兜底规则"))
                return
            unfired -= {r.id for r in case.fired}
            if rule.id not in unfired:
                break
    for rid in sorted(unfired):
        problems.append(Problem(content.at("rules", rid),
                                f"规则“{rid}”在任何回答下都不会触发（检查它的 when 和相关问题的 ask_if）"))


def validate(content: Content) -> list[Problem]:
    """Return every problem in ``content``."""
    checker = _Checker(content)
    if not checker.facts:
        checker.problems.append(Problem("content", "没有任何问题：在某个文件的 facts 里写第一个问题"))
    checker.check_facts()
    checker.check_rules()
    checker.check_bands()
    checker.check_use()
    problems = checker.problems
    if not problems:
        reachability(content, problems)
    return sorted(problems, key=Problem.sort_key)
