"""`perfdsl rules`: the reviewer's rules — all of them in a list, or one with its full doc."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("rules", help="列出审核规则；perfdsl rules R010 显示一条规则的说明")
    p.add_argument("codes", nargs="*", metavar="CODE", help="规则代码（如 R010）或前缀（如 R01）")
    p.add_argument("--markdown", action="store_true", help="输出全部规则的 Markdown 文档（即 docs/rules.md）")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..lint import registry
    from ..lint.docs import markdown, rule_line, rule_text

    if args.markdown:
        sys.stdout.write(markdown())
        return 0
    rules = registry.all_rules()
    if not args.codes:
        for r in rules:
            print(rule_line(r))
        print(f"\n共 {len(rules)} 条规则；perfdsl rules <代码> 显示一条规则的依据、参数和例子。")
        return 0
    chosen, unknown = [], []
    for code in args.codes:
        hits = [r for r in rules if registry.matches(code, r.code)]
        if hits:
            chosen += [r for r in hits if r not in chosen]
        else:
            unknown.append(code)
    for code in unknown:
        hint = registry.suggest(code.upper(), [r.code for r in rules])
        print(f"perfdsl: 没有审核规则 {code}" + (f"；{hint}" if hint else ""), file=sys.stderr)
    if unknown and not chosen:
        return 2
    if len(chosen) <= 3:  # one or a few rules: their full docs
        print("\n\n".join(rule_text(r) for r in chosen))
    else:  # a family prefix: the list
        for r in chosen:
            print(rule_line(r))
    return 2 if unknown else 0
