"""Options and their reading shared by the commands that build documents (build, watch)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_output_options(p, default_formats: str = "docx,xlsx") -> None:
    p.add_argument("--to", default=default_formats, help=f"输出格式，逗号分隔：docx,pdf,html,xlsx,md（默认 {default_formats}）")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="输出目录（默认：各文件旁的 build/）")
    p.add_argument("--strict", action="store_true", help="有警告也不生成")
    p.add_argument("--templates", metavar="DIR", help="单位自己的模板目录（优先于内置模板）")
    p.add_argument("--reference-docx", metavar="FILE", help="单位自己的 Word 样式文档")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")


def formats_of(args, prog: str = "perfdsl") -> tuple[str, ...] | None:
    """The formats asked for, or None (after saying why) when one is unknown."""
    from ..render.build import FORMATS

    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"{prog}: 未知的输出格式 {','.join(unknown)}；可用：{','.join(FORMATS)}", file=sys.stderr)
        return None
    return formats


def render_options(args):
    from ..render.report import RenderOptions

    return RenderOptions(templates=Path(args.templates).resolve() if args.templates else None,
                         reference_docx=Path(args.reference_docx).resolve() if args.reference_docx else None)
