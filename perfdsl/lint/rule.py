"""What a reviewer's rule is: a code, a name, a default severity, parameters with defaults, a
rationale naming its source, and two examples (one that triggers it, one that does not).

A rule module under perfdsl/lint/rules/ defines `RULE = Rule(...)` and `check(ctx, params)`, a
generator of findings (`ctx.finding(span, **args)`). The registry finds the modules itself:
adding a rule is adding one module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..diagnostics import Span
from ..messages import Message

W, I, E = "warning", "info", "error"

# Parameter kinds, with how a value of each is written in perfdsl.toml.
PARAM_KINDS = {
    "number": ("数字", "a number"),
    "integer": ("整数", "an integer"),
    "words": ('文字列表，如 ["无", "暂无"]', "a list of strings"),
    "table": ('表，如 { "次数" = "次" }', "a table of strings"),
    "groups": ('表，如 { "实际完成率" = ["数量"] }', "a table of lists of strings"),
}


@dataclass(frozen=True)
class Param:
    """A rule's parameter: its name, default, kind and description."""

    name: str
    default: Any
    kind: str  # see PARAM_KINDS
    doc: str  # one line, Chinese
    shown: str = ""  # how the default is described when it is not a plain value

    def __post_init__(self) -> None:
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"parameter {self.name}: unknown kind {self.kind}")

    def default_text(self) -> str:
        if self.shown:
            return self.shown
        return format_value(self.default)

    def convert(self, value: Any) -> Any:
        """A value from perfdsl.toml in this parameter's kind; ValueError when it is not one."""
        if self.kind in ("number", "integer"):
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                raise ValueError
            if self.kind == "integer":
                if isinstance(value, int):
                    return value
                if Decimal(str(value)) == int(value):
                    return int(value)
                raise ValueError
            return Decimal(str(value))
        if self.kind == "words":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError
            return tuple(value)
        if self.kind == "table":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ValueError
            return dict(value)
        if self.kind == "groups":
            if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()
            ):
                raise ValueError
            return {k: tuple(v) for k, v in value.items()}
        raise ValueError


def format_value(value: Any) -> str:
    """A parameter value as it would be written in perfdsl.toml."""
    if value is None:
        return "—"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(
                f'"{k}" = {format_value(v) if not isinstance(v, str) else chr(34) + v + chr(34)}'
                for k, v in value.items()
            )
            + " }"
        )
    return str(value)


@dataclass
class Rule:
    """A reviewer's rule: its code, names, messages, rationale, examples and check."""

    code: str
    name: str  # 超额无说明
    name_en: str  # overshoot without explanation
    severity: str  # warning | info | error
    summary: str  # one line, Chinese (perfdsl rules)
    message_zh: str  # the diagnostic's text; {placeholders} filled from the finding's args
    message_en: str
    hint_zh: str
    hint_en: str
    rationale: str  # a paragraph naming the practice it comes from
    triggers: str  # a .perf example that triggers the rule
    passes: str  # a close example that does not
    classes: tuple[int, ...] = ()  # the defect classes of review-rules.md it implements
    params: tuple[Param, ...] = ()
    check: Callable[..., Iterable[Finding]] | None = field(default=None, repr=False)
    module: str = ""

    @property
    def message(self) -> Message:
        """The text of this rule's diagnostics, which they carry with them."""
        return Message(self.severity, self.message_zh, self.message_en, self.hint_zh or None, self.hint_en or None)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


@dataclass(frozen=True)
class Finding:
    """Where a rule found something, and the figures its message names."""

    span: Span | None
    args: dict
