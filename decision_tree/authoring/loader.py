"""Strict YAML loading: unknown keys, duplicate keys and wrong types are errors with file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from decision_tree.authoring import schema as s

Path_ = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, where it is and what to do about it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        """File, then line as a number (so line 9 comes before line 10), then message."""
        file, _, line = self.where.rpartition(":")
        if file and line.isdigit():
            return (file, int(line), self.message)
        return (self.where, 0, self.message)


class ContentError(Exception):
    """The content has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Content:
    """The merged sections of every content file, and where each value came from."""

    sections: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {k: {} for k in s.SECTIONS}
    )
    where: dict[Path_, str] = field(default_factory=dict)

    def at(self, *path: Any) -> str:
        """file:line of the value at ``path``, or of its nearest recorded parent."""
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return "content"


def _kind(node: yaml.Node) -> str:
    """What an editor wrote, in words: 列表, 映射, or the scalar and what YAML took it for."""
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    if isinstance(node, yaml.MappingNode):
        return "映射（键: 值）"
    if node.tag == "tag:yaml.org,2002:str":
        return f"文字“{node.value}”"
    what = {"int": "数字", "float": "数字", "bool": "真假值", "null": "空值", "timestamp": "日期"}
    return f"“{node.value}”（YAML 把它读成了{what.get(node.tag.rsplit(':', 1)[-1], '非文字')}）"


def _where(root: Path, node: yaml.Node, file: Path) -> str:
    name = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
    return f"{name}:{node.start_mark.line + 1}"


class _Reader:
    def __init__(self, root: Path, file: Path, content: Content, problems: list[Problem]):
        self.root, self.file, self.content, self.problems = root, file, content, problems

    def loc(self, node: yaml.Node) -> str:
        return _where(self.root, node, self.file)

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.loc(node), message))

    def read(self, node: yaml.Node, spec: Any, path: Path_) -> Any:
        self.content.where.setdefault(path, self.loc(node))
        if isinstance(spec, (s.Text, s.Ref)):
            return self._scalar(node, spec)
        if isinstance(spec, (s.Number, s.Flag)):
            return self._typed(node, spec)
        if isinstance(spec, s.Logic):
            return self._logic(node, path)
        if isinstance(spec, s.ListOf):
            if not isinstance(node, yaml.SequenceNode):
                return self.fail(node, f"这里应是{spec.describe()}，实际是{_kind(node)}；"
                                       "列表的每一项另起一行，以“- ”开头，或写成 [甲, 乙]")
            if len(node.value) < spec.min_items:
                self.fail(node, f"这个列表至少要有 {spec.min_items} 项")
            return [self.read(item, spec.item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(spec, s.IdMap):
            return self._mapping(node, path, lambda key, _n: spec.item, spec.kind, ids=True)
        if isinstance(spec, s.Record):
            return self._record(node, spec, path)
        raise TypeError(spec)

    def _scalar(self, node: yaml.Node, spec: s.Text | s.Ref) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            if isinstance(node, yaml.ScalarNode):
                hint = "；日期、数字、true/false 等要当文字用时请加引号，例如 \"2024-01-01\""
            else:
                hint = ""
            self.fail(node, f"这里应是{spec.describe()}，实际是{_kind(node)}{hint}")
            return None
        value = node.value.strip()
        if not value:
            self.fail(node, "这里不能为空")
            return None
        if isinstance(spec, s.Ref) and not s.ID_PATTERN.match(value):
            self.fail(node, f"编号“{value}”不合规：只用小写 ASCII 字母、数字和下划线，以字母开头")
        return value

    def _typed(self, node: yaml.Node, spec: s.Number | s.Flag) -> float | bool | None:
        tags = ("int", "float") if isinstance(spec, s.Number) else ("bool",)
        if not isinstance(node, yaml.ScalarNode) or node.tag.rsplit(":", 1)[-1] not in tags:
            return self.fail(node, f"这里应是{spec.describe()}，实际是{_kind(node)}")
        return yaml.SafeLoader(node.value).construct_object(node)  # type: ignore[no-any-return]

    def _logic(self, node: yaml.Node, path: Path_) -> Any:
        """A condition or formula as plain data; the validator checks its shape and names."""
        self.content.where.setdefault(path, self.loc(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key in out:
                    self.fail(key_node, f"重复的键“{key}”：同一层里每个键只能出现一次")
                    continue
                out[key] = self._logic(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._logic(item, path + (i,)) for i, item in enumerate(node.value)]
        return yaml.SafeLoader("").construct_object(node)

    def _mapping(self, node, path, spec_for, kind, ids=False):
        if not isinstance(node, yaml.MappingNode):
            return self.fail(node, f"这里应是{kind}（映射）")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != "tag:yaml.org,2002:str":
                self.fail(key_node, f"键“{key_node.value}”必须是文字")
                continue
            if key in out:
                self.fail(key_node, f"重复的键“{key}”：同一层里每个键只能出现一次")
                continue
            if ids and not s.ID_PATTERN.match(key):
                self.fail(key_node, f"编号“{key}”不合规：只用小写 ASCII 字母、数字和下划线，以字母开头")
            spec = spec_for(key, key_node)
            if spec is None:
                continue
            self.content.where[path + (key,)] = self.loc(key_node)
            out[key] = self.read(value_node, spec, path + (key,))
        return out

    def _record(self, node: yaml.Node, spec: s.Record, path: Path_) -> dict[str, Any] | None:
        def spec_for(key: str, key_node: yaml.Node) -> Any:
            if key not in spec.fields:
                allowed = "、".join(spec.fields)
                self.fail(key_node, f"{spec.name}里没有键“{key}”（可用的键：{allowed}）；是不是拼错了？")
                return None
            return spec.fields[key]

        out = self._mapping(node, path, spec_for, spec.name)
        if out is None:
            return None
        # Name the item ("证据“purchase_receipt”") when it is an entry of a top-level section.
        label = f"“{path[1]}”" if len(path) == 2 and path[0] in s.SECTIONS else ""
        for key in spec.required:
            if key not in out:
                hint = spec.hints.get(key, f"请在这一项里加上 {key}: …")
                self.fail(node, f"{spec.name}{label}缺少必需的键“{key}”：{hint}")
        return out


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def load_content(root: Path) -> Content:
    """Read every ``*.yaml`` under ``root`` into one Content; raise ContentError listing all problems."""
    problems: list[Problem] = []
    content = Content()
    files = _files(root)
    if not files:
        problems.append(Problem(str(root), "没有找到任何 .yaml 内容文件"))
    for file in files:
        try:
            node = yaml.compose(file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            what = getattr(exc, "problem", None) or str(exc)
            problems.append(
                Problem(
                    f"{file.relative_to(root).as_posix()}{line}",
                    f"YAML 语法错误：{what}（常见原因：缩进没对齐、冒号后少了空格、引号或括号没有配对）",
                )
            )
            continue
        if node is None:
            continue
        reader = _Reader(root, file, content, problems)
        local = Content()
        reader.content = local
        data = reader.read(node, s.FILE, ())
        if not data:
            continue
        for section in s.SECTIONS:
            for key, value in (data.get(section) or {}).items():
                if key in content.sections[section]:
                    problems.append(
                        Problem(
                            local.at(section, key),
                            f"重复的编号“{key}”：已在 {content.at(section, key)} 定义过",
                        )
                    )
                    continue
                content.sections[section][key] = value
                content.where.update(
                    {p: w for p, w in local.where.items() if p[:2] == (section, key)}
                )
    if problems:
        raise ContentError(problems)
    return content
