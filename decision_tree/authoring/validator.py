"""Graph and citation checks over loaded content; every problem is reported at once."""

from __future__ import annotations

from typing import Any

from decision_tree.authoring.loader import Content, Problem


def _citation_problems(content: Content, section: str, key: str, item: dict[str, Any]) -> list[Problem]:
    problems = []
    citations = item.get("citations") or []
    if not citations:
        what = {"routes": "途径", "evidence": "证据", "deadlines": "期限", "compensation": "赔偿规则",
                "outcomes": "结果"}[section]
        problems.append(Problem(content.at(section, key), f"{what}“{key}”没有引用法律：加上 citations: [{{law: …, article: …}}]"))
    for i, c in enumerate(citations):
        if c["law"] not in content.sections["laws"]:
            problems.append(Problem(content.at(section, key, "citations", i, "law"),
                                    f"引用了不存在的法律“{c['law']}”（在 laws 里定义它）"))
    return problems


def validate(content: Content) -> list[Problem]:
    """Return every problem in ``content``: dangling ids, unreachable nodes, cycles, missing citations…"""
    sec = content.sections
    questions, outcomes = sec["questions"], sec["outcomes"]
    problems: list[Problem] = []

    def ref(target: str, table: str, label: str, *path: Any) -> None:
        if target not in sec[table]:
            problems.append(Problem(content.at(*path), f"{label}“{target}”不存在"))

    for section in ("routes", "evidence", "deadlines", "compensation", "outcomes"):
        for key, item in sec[section].items():
            problems += _citation_problems(content, section, key, item)

    for key in sorted(set(questions) & set(outcomes)):
        problems.append(Problem(content.at("outcomes", key),
                                f"重复的编号“{key}”：问题和结果不能同名（问题在 {content.at('questions', key)}）"))

    nodes = set(questions) | set(outcomes)
    for qid, q in questions.items():
        options = q["options"]
        if len(options) < 2:
            problems.append(Problem(content.at("questions", qid),
                                    f"问题“{qid}”只有 {len(options)} 个选项：至少要两个，否则就不必问"))
        seen: set[str] = set()
        for i, o in enumerate(options):
            if o["id"] in seen:
                problems.append(Problem(content.at("questions", qid, "options", i, "id"),
                                        f"问题“{qid}”里选项编号“{o['id']}”重复"))
            seen.add(o["id"])
            if o["next"] not in nodes:
                problems.append(Problem(content.at("questions", qid, "options", i, "next"),
                                        f"选项“{qid}.{o['id']}”指向不存在的节点“{o['next']}”"))

    for oid, o in outcomes.items():
        ranked = [o["primary"]] + list(o.get("alternatives") or [])
        for i, r in enumerate(ranked):
            path = ("outcomes", oid, "primary", "route") if i == 0 else ("outcomes", oid, "alternatives", i - 1, "route")
            ref(r["route"], "routes", f"结果“{oid}”引用的途径", *path)
        routes = [r["route"] for r in ranked]
        for dup in sorted({r for r in routes if routes.count(r) > 1}):
            problems.append(Problem(content.at("outcomes", oid), f"结果“{oid}”把途径“{dup}”列了不止一次"))
        ev = o["evidence"]
        required, helpful = ev["required"], ev.get("helpful") or []
        if not required:
            problems.append(Problem(content.at("outcomes", oid, "evidence"),
                                    f"结果“{oid}”没有必备证据：evidence.required 至少一项"))
        for kind, ids in (("required", required), ("helpful", helpful)):
            for i, e in enumerate(ids):
                ref(e, "evidence", f"结果“{oid}”引用的证据", "outcomes", oid, "evidence", kind, i)
        for e in sorted(set(required) & set(helpful)):
            problems.append(Problem(content.at("outcomes", oid, "evidence"),
                                    f"结果“{oid}”的证据“{e}”既是必备又是辅助，只留一处"))
        for i, d in enumerate(o.get("deadlines") or []):
            ref(d, "deadlines", f"结果“{oid}”引用的期限", "outcomes", oid, "deadlines", i)
        if o.get("compensation"):
            ref(o["compensation"], "compensation", f"结果“{oid}”引用的赔偿规则", "outcomes", oid, "compensation")

    start = content.start
    if start is None:
        problems.append(Problem("content", "没有起点：在某个文件里写 start: <第一个问题的编号>"))
    elif start not in questions:
        problems.append(Problem(content.at("start"), f"起点“{start}”不是一个问题"))
    else:
        problems += _graph_problems(content, start)
    return sorted(problems, key=Problem.sort_key)


def _graph_problems(content: Content, start: str) -> list[Problem]:
    questions, outcomes = content.sections["questions"], content.sections["outcomes"]
    problems: list[Problem] = []
    reached: set[str] = set()
    # Iterative DFS with colours: grey = on the current path, so meeting grey again is a cycle.
    state: dict[str, str] = {}
    stack: list[tuple[str, int]] = [(start, 0)]
    path: list[str] = []
    while stack:
        node, i = stack.pop()
        if i == 0:
            reached.add(node)
            state[node] = "grey"
            path.append(node)
        options = questions[node]["options"] if node in questions else []
        if i < len(options):
            stack.append((node, i + 1))
            nxt = options[i]["next"]
            if nxt not in questions and nxt not in outcomes:
                continue
            if state.get(nxt) == "grey":
                cycle = " → ".join(path[path.index(nxt):] + [nxt])
                problems.append(Problem(content.at("questions", node, "options", i, "next"),
                                        f"循环：{cycle}；问卷必须总能走到一个结果"))
            elif nxt not in state:
                stack.append((nxt, 0))
        else:
            state[node] = "black"
            path.pop()
    for section, label in (("questions", "问题"), ("outcomes", "结果")):
        for key in sorted(set(content.sections[section]) - reached):
            problems.append(Problem(content.at(section, key), f"{label}“{key}”从起点走不到：删掉它，或让某个选项指向它"))
    return problems
