"""Rulesets: the scoring rules of a province or a ministry, as TOML data files.

A ruleset may extend another and override parts of it; `load_ruleset` merges the chain and
checks the result, so the scorer reads plain typed fields and never looks at TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..resources import rulesets_dir

DEFAULT_RULESET = "caiyu-2020-10"
FUND_NAMES = ("budget", "received", "spent", "initial_budget")


class RulesetError(Exception):
    pass


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class QualitativeBand:
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
    if name in seen:
        raise RulesetError(f"ruleset {name} extends itself through {' → '.join(seen)}")
    path = rulesets_dir() / f"{name}.toml"
    if not path.is_file():
        raise FileNotFoundError(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        raise RulesetError(f"{path.name}: {e}") from None
    parent = data.pop("extends", None)
    return _merge(_raw(parent, seen + (name,)), data) if parent else data


@cache
def load_ruleset(name: str = DEFAULT_RULESET) -> Ruleset:
    """The named ruleset, merged along its `extends` chain. Raises FileNotFoundError for an
    unknown name and RulesetError for a malformed file."""
    data = _raw(name)
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
            source=str(rulesets_dir() / f"{name}.toml"),
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
