"""Rulesets: the scoring rules of a province or a ministry, as TOML data files.

A ruleset may extend another and override parts of it; `load_ruleset` merges the chain and
checks the result, so the scorer reads plain typed fields and never looks at TOML.

What `评价规则` names is either a *name* — one of the rulesets shipped with perfdsl, checked to be
a name (letters, digits, `.`, `_`, `-`, at most 64 characters), never a path — or a *file of the
project*, named by a path relative to the .perf file that ends in `.toml`; such a file is read
through perfdsl.project (confined to the project, a regular file, a size limit) and may extend a
shipped ruleset by name or another file of the project by its relative path."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from .. import project
from ..resources import rulesets_dir

DEFAULT_RULESET = "caiyu-2020-10"
FUND_NAMES = ("budget", "received", "spent", "initial_budget")


class RulesetError(Exception):
    pass


class RulesetRefused(RulesetError):
    """A ruleset file the project's door would not open (outside, not a regular file, too large)."""

    def __init__(self, refusal: project.Refusal, path: str):
        super().__init__(f"{path}: {refusal.reason}")
        self.refusal, self.path = refusal, path


MAX_NAME = 64


def _letter_or_digit(c: str) -> bool:
    """An ASCII letter or digit, or a CJK ideograph (U+4E00–U+9FFF). Tested by hand rather than by
    a character class: `re` compiles one spanning the ideographs in ~2 ms, in every process."""
    return (c.isascii() and c.isalnum()) or "\u4e00" <= c <= "\u9fff"


def is_ruleset_name(text: str) -> bool:
    """A shipped ruleset's name: letters, digits, '.', '_', '-', no path, at most 64 characters."""
    return (
        0 < len(text) <= MAX_NAME
        and _letter_or_digit(text[0])
        and all(_letter_or_digit(c) or c in "._-" for c in text[1:])
        and ".." not in text
    )


def is_ruleset_file(text: str) -> bool:
    """Whether `评价规则` names a file of the project rather than a shipped ruleset."""
    return text.endswith(".toml") or "/" in text or "\\" in text


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest total that earns it."""

    grade: str
    min: Decimal


@dataclass(frozen=True)
class QualitativeBand:
    """A qualitative judgement and its band of the indicator's weight, in percent."""

    name: str
    low: Decimal  # percent of the weight
    high: Decimal


@dataclass(frozen=True)
class Ratio:
    """A fund ratio such as "spent / budget"."""

    numerator: str
    denominator: str

    @classmethod
    def parse(cls, text: str) -> Ratio:
        parts = [p.strip() for p in text.split("/")]
        if len(parts) != 2 or any(p not in FUND_NAMES for p in parts):
            raise RulesetError(f"formula {text!r} must be 'a / b' with a, b among {', '.join(FUND_NAMES)}")
        return cls(parts[0], parts[1])

    def __str__(self) -> str:
        return f"{self.numerator} / {self.denominator}"


@dataclass(frozen=True)
class Ruleset:
    """How an evaluation is scored: weights, formulas, rounding and grades (rulesets/*.toml)."""

    name: str
    title: str
    description: str
    places: int
    score_from: str
    grades: tuple[GradeBand, ...]
    self_total: Decimal
    execution_weight: Decimal
    execution_rate: Ratio
    default_weights: dict
    evaluation_total: Decimal
    formulas: dict  # name → Ratio
    formula_full_at: Decimal
    completion_greater: str
    completion_less: str
    completion_equal: str
    completion_cap: Decimal  # percent; 0 = none
    cap_at_weight: bool
    satisfaction_scoring: str
    qualitative_bands: tuple[QualitativeBand, ...]
    explain_above: Decimal
    cost_kinds: frozenset
    satisfaction_kinds: frozenset
    source: str  # the file it came from
    # 运行监控 (monitoring): spending may lag time (month / 12) by this many percentage points
    # before it is a warning; 完成目标可能性 from certain to impossible.
    monitoring_lag: Decimal = Decimal(10)
    possibilities: tuple[str, ...] = ("确定能", "有可能", "完全不可能")

    def grade(self, total: Decimal) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade

    def band(self, name: str) -> QualitativeBand | None:
        for b in self.qualitative_bands:
            if b.name == name:
                return b
        return None


def available_rulesets() -> list[str]:
    return sorted(p.stem for p in rulesets_dir().glob("*.toml"))


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for k, v in override.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _raw(name: str, seen: tuple = ()) -> dict:
    if not is_ruleset_name(name):
        raise RulesetError(f"'{name[:MAX_NAME]}' is not a ruleset name")
    if name in seen:
        raise RulesetError(f"ruleset {name} extends itself through {' → '.join(seen)}")
    path = rulesets_dir() / f"{name}.toml"
    if not path.is_file():
        raise FileNotFoundError(name)
    data, refusal = project.read_bytes(path, project.MAX_ASSET_BYTES)  # shipped, but through the door all the same
    if refusal is not None or data is None:
        raise RulesetError(f"{path.name}: {refusal.reason if refusal else 'unreadable'}")
    return _parse(data, path.name, path, None, seen + (name,))


def _raw_file(path: Path, root: Path, seen: tuple) -> dict:
    key = str(path)
    if key in seen:
        raise RulesetError(f"ruleset {path.name} extends itself through {' → '.join(seen)}")
    data, refusal = project.read_bytes(path, project.MAX_ASSET_BYTES)
    if refusal is not None:
        raise RulesetRefused(refusal, str(path))
    assert data is not None
    return _parse(data, path.name, path, root, seen + (key,))


def _parse(data: bytes, shown: str, path: Path, root: Path | None, seen: tuple) -> dict:
    try:
        table = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise RulesetError(f"{shown}: {e}") from None
    parent = table.pop("extends", None)
    if parent is None:
        return table
    if not isinstance(parent, str):
        raise RulesetError(f"{shown}: extends must be a ruleset name or a .toml file")
    if root is not None and is_ruleset_file(parent):  # a project file extends another, by its path
        target, refusal = project.locate(parent, path, root)
        if refusal is not None:
            raise RulesetRefused(refusal, parent)
        assert target is not None
        return _merge(_raw_file(target, root, seen), table)
    return _merge(_raw(parent, seen), table)


def load_ruleset_file(rel: str, relative_to: str, root: Path) -> Ruleset:
    """A ruleset file of the project, named by a path relative to the file `relative_to`.
    Raises RulesetRefused when the door refuses it, RulesetError when it is malformed."""
    target, refusal = project.locate(rel, relative_to, root)
    if refusal is not None:
        raise RulesetRefused(refusal, rel)
    assert target is not None
    st = os.stat(target)
    return _load_file(target, root, (st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=32)
def _load_file(path: Path, root: Path, stamp: tuple) -> Ruleset:
    """(`stamp`: the file's modification time and size, so that an edited file is read again.)"""
    return _build(path.stem, _raw_file(path, root, ()), str(path))


@cache
def load_ruleset(name: str = DEFAULT_RULESET) -> Ruleset:
    """The named shipped ruleset, merged along its `extends` chain. Raises FileNotFoundError for
    an unknown name and RulesetError for a malformed file or a name that is not a name."""
    return _build(name, _raw(name), str(rulesets_dir() / f"{name}.toml"))


def _build(name: str, data: dict, source: str) -> Ruleset:
    try:
        d = lambda v: Decimal(str(v))  # noqa: E731 — TOML integers arrive as int
        completion = data["completion"]
        for key, allowed in (("greater", {"ratio"}), ("less", {"inverse", "linear"}), ("equal", {"min-over-max"})):
            if completion[key] not in allowed:
                raise RulesetError(f"completion.{key} must be one of {sorted(allowed)}")
        if data["scoring"]["satisfaction"] not in ("target", "rate"):
            raise RulesetError("scoring.satisfaction must be 'target' or 'rate'")
        if data["rounding"]["score_from"] not in ("exact", "displayed"):
            raise RulesetError("rounding.score_from must be 'exact' or 'displayed'")
        grades = tuple(
            sorted(
                (GradeBand(g["grade"], d(g["min"])) for g in data["grades"]["bands"]), key=lambda b: b.min, reverse=True
            )
        )
        return Ruleset(
            name=data["name"],
            title=data.get("title", data["name"]),
            description=data.get("description", ""),
            places=int(data["rounding"]["places"]),
            score_from=data["rounding"]["score_from"],
            grades=grades,
            self_total=d(data["self_evaluation"]["total"]),
            execution_weight=d(data["self_evaluation"]["execution_weight"]),
            execution_rate=Ratio.parse(data["self_evaluation"]["execution_rate"]),
            default_weights={k: d(v) for k, v in data["self_evaluation"].get("default_weights", {}).items()},
            evaluation_total=d(data["evaluation"]["total"]),
            formulas={k: Ratio.parse(v) for k, v in data["formulas"].items()},
            formula_full_at=d(data["formula_scoring"]["full_at"]),
            completion_greater=completion["greater"],
            completion_less=completion["less"],
            completion_equal=completion["equal"],
            completion_cap=d(completion.get("cap", 0)),
            cap_at_weight=bool(data["scoring"]["cap_at_weight"]),
            satisfaction_scoring=data["scoring"]["satisfaction"],
            qualitative_bands=tuple(
                QualitativeBand(b["name"], d(b["low"]), d(b["high"])) for b in data["qualitative"]["bands"]
            ),
            explain_above=d(data["overshoot"]["explain_above"]),
            cost_kinds=frozenset(data["kinds"]["cost"]),
            satisfaction_kinds=frozenset(data["kinds"]["satisfaction"]),
            source=source,
            **_monitoring(data.get("monitoring", {}), d),
        )
    except KeyError as e:
        raise RulesetError(f"missing setting {e.args[0]!r}") from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise RulesetError(str(e)) from None


def _monitoring(section: dict, d) -> dict:
    """The [monitoring] settings, where a ruleset gives them (else the defaults of Ruleset)."""
    out: dict = {}
    if "lag" in section:
        out["monitoring_lag"] = d(section["lag"])
    if "possibilities" in section:
        values = section["possibilities"]
        if not isinstance(values, list) or len(values) < 2 or not all(isinstance(v, str) and v for v in values):
            raise RulesetError("monitoring.possibilities must list at least two words, from certain to impossible")
        out["possibilities"] = tuple(values)
    return out
