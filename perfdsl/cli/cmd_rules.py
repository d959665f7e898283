"""`perfdsl rules`: the reviewer's rules — all of them in a list, or one with its full doc."""

from __future__ import annotations

import argparse
import sys

from .commands import add_parser
from .common import EXIT_OK, EXIT_USAGE, add_lang, say


def register(subparsers) -> None:
    p = add_parser(subparsers, "rules")
    p.add_argument("codes", nargs="*", metavar="CODE", help="规则代码（如 R010）或前缀（如 R01）")
    p.add_argument("--markdown", action="store_true", help="输出全部规则的 Markdown 文档（即 docs/rules.md）")
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..lint import registry
    from ..lint.docs import markdown, rule_line, rule_text

    if args.markdown:
        sys.stdout.write(markdown())
        return EXIT_OK
    rules = registry.all_rules()
    if not args.codes:
        for r in rules:
            print(rule_line(r))
        say(
            args,
            f"\n共 {len(rules)} 条规则；perfdsl rules <代码> 显示一条规则的依据、参数和例子。",
            f"\n{len(rules)} rules; perfdsl rules <CODE> shows a rule's source, parameters and examples.",
            stream=sys.stdout,
            prefix=False,
        )
        return EXIT_OK
    chosen, unknown = [], []
    for code in args.codes:
        hits = [r for r in rules if registry.matches(code, r.code)]
        if hits:
            chosen += [r for r in hits if r not in chosen]
        else:
            unknown.append(code)
    for code in unknown:
        hint = registry.suggest(code.upper(), [r.code for r in rules])
        say(args, f"没有审核规则 {code}" + (f"；{hint}" if hint else ""), f"no reviewer's rule {code}")
    if unknown and not chosen:
        return EXIT_USAGE
    if len(chosen) <= 3:  # one or a few rules: their full docs
        print("\n\n".join(rule_text(r) for r in chosen))
    else:  # a family prefix: the list
        for r in chosen:
            print(rule_line(r))
    return EXIT_USAGE if unknown else EXIT_OK
