"""A single self-contained HTML page of the report: pandoc's HTML body inside our own page with
inline styles. A Content-Security-Policy forbids every script and every outside resource, so
even text that slipped past the Markdown reader could not run or fetch anything."""

from __future__ import annotations

import html

from ..resources import templates_dir
from .title import split_kind

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def page(body_html: str, meta: dict, head_extra: str = "", csp: str = CSP) -> str:
    style = (templates_dir() / "page.css").read_text(encoding="utf-8")
    title = html.escape(meta.get("title", ""))
    name, kind = split_kind(meta.get("title", ""))
    shown = html.escape(name) + (f'<span class="nobr">{html.escape(kind)}</span>' if kind else "")
    subtitle = html.escape(meta.get("subtitle", ""))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{style}</style>\n{head_extra}</head>\n<body>\n<main>\n"
        f'<h1 class="title">{shown}</h1>\n'
        + (f'<p class="subtitle">{subtitle}</p>\n' if subtitle else "")
        + body_html
        + "\n</main>\n</body>\n</html>\n"
    )


def markdown_to_page(md: str, meta: dict) -> str:
    from .pandoc import markdown_to_html

    return page(markdown_to_html(md), meta)
