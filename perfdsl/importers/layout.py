"""Layouts as data: the column heads, field labels and marks of each form (layouts/*.toml), so
that a province adds its form with a file, not with code (`--mapping FILE.toml`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .values import half_width

_BRACKETED_TAIL = re.compile(r"[（(][^（）()]{0,8}[）)]$")


def head_key(text: str) -> str:
    """A column head or label as matched: no spaces or line breaks, half-width, without a trailing
    colon or bracket (全年预算数（A） → 全年预算数, 项目资金（万元） → 项目资金)."""
    s = re.sub(r"\s+", "", half_width(text)).rstrip(":：")
    while True:
        shorter = _BRACKETED_TAIL.sub("", s)
        if shorter == s or not shorter:
            return s
        s = shorter


@dataclass
class Layout:
    name: str
    title: str = ""
    tree: str = "自评表"
    ruleset: str | None = None
    detect: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # head → role
    funds: dict[str, str] = field(default_factory=dict)  # head → role
    total_rows: set[str] = field(default_factory=set)
    prefix_words: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # label → field
    marks: dict[str, list[str]] = field(default_factory=dict)

    def column(self, text: str) -> str | None:
        return self.columns.get(head_key(text))

    def funds_column(self, text: str) -> str | None:
        return self.funds.get(head_key(text))

    def field_of(self, label: str) -> str | None:
        return self.fields.get(head_key(label))

    def is_mark(self, kind: str, text: str) -> bool:
        key = head_key(text)
        return any(key == m or (kind in ("notes", "titles") and key.startswith(m)) for m in self.marks.get(kind, []))


class LayoutError(Exception):
    pass


def _data(name: str) -> dict:
    path = resources.files("perfdsl.importers") / "layouts" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise LayoutError(name) from e


def shipped() -> list[str]:
    folder = resources.files("perfdsl.importers") / "layouts"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


def _resolve(data: dict, seen: tuple[str, ...] = ()) -> dict:
    parent = data.get("extends")
    if not parent:
        return data
    if parent in seen or len(seen) > 8:
        raise LayoutError(f"extends {parent}: a cycle")
    return _merge(_resolve(_data(parent), (*seen, parent)), data)


def build(data: dict) -> Layout:
    data = _resolve(data)
    funds = dict(data.get("funds", {}))
    layout = Layout(
        name=str(data.get("name", "mapping")),
        title=str(data.get("title", "")),
        tree=str(data.get("tree", "自评表")),
        ruleset=data.get("ruleset"),
        detect=[head_key(w) for w in data.get("detect", [])],
        total_rows={head_key(w) for w in funds.pop("total_rows", [])},
        prefix_words=list(funds.pop("prefix_words", [])),
        fields={head_key(k): v for k, v in data.get("fields", {}).items()},
        marks={k: [head_key(w) for w in v] for k, v in data.get("marks", {}).items()},
    )
    for table, target in ((data.get("columns", {}), layout.columns), (funds, layout.funds)):
        for role, heads in table.items():
            for head in heads:
                target.setdefault(head_key(head), role)
    return layout


def load(name: str) -> Layout:
    return build(_data(name))


def load_mapping(text: str, source: Path) -> Layout:
    """A user's mapping file (TOML); `extends = "central"` starts from a shipped layout."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LayoutError(f"{source}: {e}") from e
    data.setdefault("extends", "central")
    data.setdefault("name", source.stem)
    return build(data)
