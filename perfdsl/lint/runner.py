"""Running the reviewer's rules on one evaluation: after the checker, with the checker's
diagnostics in hand (so a rule never repeats what the checker said), then suppressions."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard
from .config import LintConfig, config_for
from .context import Context, word_re
from .registry import all_rules
from .suppress import apply as apply_suppressions
from .suppress import read as read_suppressions

MAX_PER_RULE = 12  # one rule never floods a file: past this, the rest of its findings are dropped

_PLANS: dict[int, tuple] = {}


def _plan(config: LintConfig) -> list:
    """The enabled rules with their parameters, severities and messages, worked out once per
    configuration (not once per file)."""
    hit = _PLANS.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1]
    plan = [
        (r, config.params_for(r), config.severity.get(r.code), r.message) for r in all_rules() if config.enabled(r.code)
    ]
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(config)] = (config, plan)
    return plan


def warm(config: LintConfig) -> None:
    """The patterns the rules make on first use from the lists of words they are given, made
    now: before a folder's workers fork, so that each worker does not make them again."""
    for _rule, params, _severity, _message in _plan(config):
        for value in params.values():
            if type(value) is tuple and value and all(type(word) is str for word in value):
                word_re(value)


@dataclass(frozen=True)
class LintResult:
    """The diagnostics after the reviewer's rules and suppressions, with the set-up's texts."""

    diagnostics: list[Diagnostic]  # the checker's, the reviewer's findings, suppressions applied
    texts: dict[str, str]  # files the lint set-up read (perfdsl.toml), for showing its problems


def run_lint(
    ev: Evaluation, card: ScoreCard, diagnostics: list[Diagnostic], config: LintConfig | None | bool = None
) -> LintResult:
    """The checker's diagnostics plus the reviewer's findings, suppressions applied."""
    if config is False:
        return LintResult(list(diagnostics), {})
    if config is None or config is True:
        config = config_for(ev.file)
    elif config.discover:
        config = config.over(config_for(ev.file))
    texts = {config.path: config.text} if config.problems and config.path and config.text is not None else {}
    findings = lint(ev, card, diagnostics, config)
    suppressions, problems = read_suppressions(ev.comments)
    kept, unused = apply_suppressions(findings, suppressions, config.enabled)
    return LintResult(list(diagnostics) + list(config.problems) + kept + problems + unused, texts)


def lint(ev: Evaluation, card: ScoreCard, diagnostics: list[Diagnostic], config: LintConfig) -> list[Diagnostic]:
    """The findings of every enabled rule, before suppressions."""
    if card is None:
        return []
    ctx = Context(ev, card, diagnostics)
    out: list[Diagnostic] = []
    # A figure the checker found off by a unit slip (U0201: 19.2元 for 19.2万元) spoils every
    # judgement made from it; a finding on its line would only repeat the slip in other words.
    suspect = {(d.span.file, d.span.line) for d in diagnostics if d.code == "U0201" and d.span is not None}
    for rule, params, severity, message in _plan(config):
        found = []
        try:
            for f in rule.check(ctx, params):
                if f.span is not None and (f.span.file, f.span.line) in suspect:
                    continue
                found.append(Diagnostic(rule.code, f.span, f.args, severity, message))
                if len(found) >= MAX_PER_RULE:
                    break
        except ArithmeticError:
            # figures beyond Decimal's range (a weight pasted twice over): the checker reports
            # the figure itself; a rule that cannot judge it says nothing
            continue
        out.extend(found)
    return out
