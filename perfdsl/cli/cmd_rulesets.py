"""`perfdsl rulesets`: the scoring rulesets shipped (财预〔2020〕10号 and the provinces' variants)."""

from __future__ import annotations

import argparse

from .commands import add_parser
from .common import EXIT_OK, add_lang


def register(subparsers) -> None:
    p = add_parser(subparsers, "rulesets")
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..rules.ruleset import available_rulesets, load_ruleset

    for name in available_rulesets():
        r = load_ruleset(name)
        print(f"{name:20} {r.title}：{r.description}")
    return EXIT_OK
