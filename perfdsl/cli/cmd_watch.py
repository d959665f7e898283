"""`perfdsl watch FILE|DIR`: rebuild the reports whenever their sources change."""

from __future__ import annotations

import signal
import sys

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def register(subparsers) -> None:
    p = subparsers.add_parser("watch", help="监视 .perf 文件（及其引用的文件、模板、评价规则），改动后自动重新生成报告")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--to", default="docx,xlsx", help="输出格式，逗号分隔：docx,pdf,html,xlsx,md（默认 docx,xlsx）")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="输出目录（默认：各文件旁的 build/）")
    p.add_argument("--strict", action="store_true", help="有警告也不生成")
    p.add_argument("--templates", metavar="DIR", help="单位自己的模板目录（优先于内置模板）")
    p.add_argument("--reference-docx", metavar="FILE", help="单位自己的 Word 样式文档")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")
    p.set_defaults(handler=run)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run(args) -> int:
    import os
    from pathlib import Path

    from ..authoring.watch import watch
    from ..render.build import FORMATS
    from ..render.report import RenderOptions

    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"perfdsl watch: 未知的输出格式 {','.join(unknown)}；可用：{','.join(FORMATS)}", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        print(f"perfdsl watch: 找不到 {'、'.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    options = RenderOptions(templates=Path(args.templates).resolve() if args.templates else None,
                            reference_docx=Path(args.reference_docx).resolve() if args.reference_docx else None)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return watch(args.paths, formats, args.output, strict=args.strict, options=options, lang=args.lang)
    except KeyboardInterrupt:
        return EXIT_OK
