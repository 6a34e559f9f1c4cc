"""Strict YAML loading: unknown keys, duplicate keys and wrong types are errors with file:line."""

from __future__ import annotations

import re
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


class _Reader:
    def __init__(self, root: Path, file: Path, content: Content, problems: list[Problem]):
        self.content, self.problems = content, problems
        self.name = _name(root, file)  # computed once: this runs for every node

    def loc(self, node: yaml.Node) -> str:
        return f"{self.name}:{node.start_mark.line + 1}"

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.loc(node), message))

    def read(self, node: yaml.Node, spec: Any, path: Path_) -> Any:
        self.content.where.setdefault(path, self.loc(node))
        if isinstance(spec, (s.Text, s.Ref)):
            return self._scalar(node, spec)
        if isinstance(spec, s.Scalar):
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

    def _typed(self, node: yaml.Node, spec: s.Scalar) -> float | bool | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.rsplit(":", 1)[-1] not in spec.yaml_tags:
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
                # Never the value of a list or mapping key: it may be huge; say what it is instead.
                what = key_node.value if isinstance(key_node, yaml.ScalarNode) else _kind(key_node)
                self.fail(key_node, f"键“{what}”必须是文字")
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


def _name(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)


# Nesting deeper than this is never content (the deepest real value is about 8 levels down); the
# limit also keeps PyYAML's recursive composer far from Python's recursion limit.
MAX_DEPTH = 24

# Characters that have no place in content text, and why an editor should remove each kind.
# C0/C1 controls (except tab, newline, carriage return) and NUL break YAML or the page; bidi
# overrides and isolates make text display differently from what it says; zero-width characters
# hide inside ids and words. Tested in one regular-expression pass, so the check is linear.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    "|[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
    "|[\u200b-\u200d\u2060\ufeff\ufffe\uffff]"
)


def _bad_char_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"这一行有空字符 {code}（NUL）：文件可能已损坏，或是 UTF-16 等其他编码；请删掉它，或用“UTF-8”编码另存"
    if char <= "\x9f":
        return f"这一行有看不见的控制字符 {code}：请删掉它（多半是从别处复制来的）"
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        return f"这一行有双向文字控制符 {code}：它会让文字显示的顺序和实际内容不一样，请删掉它"
    return f"这一行有零宽字符 {code}：它看不见却会改变文字和编号，请删掉它"


class _AliasTooBig(yaml.MarkedYAMLError):
    """An alias (*name) whose expansion would make the file much bigger than what was written."""


class _AliasLoop(yaml.MarkedYAMLError):
    """An alias inside the very node it names: the content would be infinite."""


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting deeper than MAX_DEPTH."""


# libyaml's parser and composer when PyYAML has them (its wheels do): the pure-Python scanner
# alone takes seconds for a few thousand entries.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_shape(text: str) -> None:
    """Raise a marked error for nesting deeper than MAX_DEPTH or aliases that blow the file up.

    Runs over the parser's events before anything is composed. PyYAML composes an alias as the
    same node again, so a few KB of aliases to aliases ("billion laughs") become millions of nodes
    for the reader to walk. Counting each anchored node's expanded size, an alias may only bring
    the expanded total up to about twice the nodes written, which keeps loading linear in the
    file's size. (Some content files repeat a few list items with &id001/*id001, as yaml.dump
    writes them, so aliases as such are allowed.)
    """
    open_: list[list] = []  # [expanded size so far, anchor] of each collection being read
    sizes: dict[str, int] = {}  # anchor -> expanded size of the complete node it names
    written = expanded = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor)
            if size is None:
                if any(anchor == event.anchor for _, anchor in open_):
                    raise _AliasLoop(problem="loop", problem_mark=event.start_mark)
                continue  # an undefined alias: the composer reports it
            expanded += size
            if expanded > 2 * written + 1000:
                raise _AliasTooBig(problem="big", problem_mark=event.start_mark)
        elif isinstance(event, yaml.ScalarEvent):
            written, expanded, size = written + 1, expanded + 1, 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(open_) == MAX_DEPTH:
                raise _TooDeep(problem="deep", problem_mark=event.start_mark)
            written, expanded = written + 1, expanded + 1
            open_.append([1, event.anchor])
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = open_.pop()
            if anchor:
                sizes[anchor] = size
        else:
            continue  # stream and document events
        if open_:
            open_[-1][0] += size


def _entries(root: Path, problems: list[Problem]) -> list[Path]:
    """The content files under ``root``; every entry that looks like content but cannot be read
    as a file (a ``.yml`` file, a directory named ``*.yaml``, a broken link) is a problem."""
    files = []
    for p in sorted(root.rglob("*")):
        name = _name(root, p)
        if p.suffix == ".yml":
            problems.append(Problem(name, "内容文件的扩展名要用 .yaml：请把它改名为 .yaml，否则它不会被读取"))
        elif p.suffix != ".yaml":
            continue
        elif p.is_symlink() and not p.exists():
            problems.append(Problem(name, "这是一个指向不存在文件的链接：请删掉它，或让它指向真实的文件"))
        elif not p.is_file():
            problems.append(Problem(name, "名字以 .yaml 结尾，却不是普通文件（是目录或其他）：请改名或删掉"))
        else:
            files.append(p)
    return files


def _decode(data: bytes, name: str, problems: list[Problem]) -> str | None:
    """The file's text as UTF-8 (a leading BOM is allowed), or None after recording why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(f"{name}:1", "文件是 UTF-16 编码：请在编辑器里用“UTF-8”编码另存"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(f"{name}:{line}", "这一行有不是 UTF-8 的字节（文件可能是 GBK 等其他编码）："
                                                  "请在编辑器里用“UTF-8”编码另存"))
        return None


def _check_characters(text: str, name: str, problems: list[Problem]) -> bool:
    """Record each forbidden character (once per line and kind); True when there were none."""
    seen: set[Problem] = set()
    line, counted = 1, 0
    for match in _BAD_CHARS.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        problem = Problem(f"{name}:{line}", _bad_char_message(match.group()))
        if problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return not seen


def _compose(text: str, name: str, problems: list[Problem]) -> yaml.Node | None:
    """The file's YAML node tree, or None after recording the problem with its line."""
    try:
        _check_shape(text)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if isinstance(exc, _AliasTooBig):
            message = ("别名（*名字）展开后，内容比文件里写的多出太多："
                       "请把要重复的内容直接写出来，不要用锚点（&名字）和别名层层引用")
        elif isinstance(exc, _AliasLoop):
            message = "别名（*名字）指向了包含它自己的内容，展开后没有尽头：请把内容直接写出来"
        elif isinstance(exc, _TooDeep):
            message = f"嵌套超过 {MAX_DEPTH} 层：内容用不到这么深，多半是缩进或括号写错了"
        else:
            what = getattr(exc, "problem", None) or str(exc)
            message = f"YAML 语法错误：{what}（常见原因：缩进没对齐、冒号后少了空格、引号或括号没有配对）"
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(f"{name}:{mark.line + 1}" if mark else name, message))
        return None


def load_content(root: Path) -> Content:
    """Read every ``*.yaml`` under ``root`` into one Content; raise ContentError listing all problems."""
    problems: list[Problem] = []
    content = Content()
    if not root.is_dir():
        raise ContentError([Problem(str(root), "内容目录不存在或不是目录：请检查路径")])
    files = _entries(root, problems)
    if not files and not problems:
        problems.append(Problem(str(root), "没有找到任何 .yaml 内容文件"))
    for file in files:
        name = _name(root, file)
        try:
            data_bytes = file.read_bytes()
        except OSError as exc:
            problems.append(Problem(name, f"读不了这个文件（{exc.strerror}）：请检查文件权限"))
            continue
        text = _decode(data_bytes, name, problems)
        if text is None or not _check_characters(text, name, problems):
            continue
        node = _compose(text, name, problems)
        if node is None:
            continue
        reader = _Reader(root, file, content, problems)
        local = Content()
        reader.content = local
        data = reader.read(node, s.FILE, ())
        if not data:
            continue
        # Group this file's locations by entry once, so merging is linear in the file's size.
        by_entry: dict[Path_, dict[Path_, str]] = {}
        for p, w in local.where.items():
            by_entry.setdefault(p[:2], {})[p] = w
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
                content.where.update(by_entry.get((section, key), {}))
    if problems:
        raise ContentError(problems)
    return content
