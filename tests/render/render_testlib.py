"""Shared helpers for the rendering tests: tool requirements and pandoc AST reading."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from perfdsl.render.pandoc import READER_FORMAT, pandoc_path

IN_CI = os.environ.get("CI") == "true"


def require(ok: bool, reason: str) -> None:
    """Skip when a font or tool is missing; under CI=true the environment is part of what
    is tested, so fail instead."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} not found (install {package})")
    return path


def pandoc_json(markdown: str, reader: str = READER_FORMAT) -> dict:
    out = subprocess.run(
        [pandoc_path(), "-f", reader, "-t", "json"],
        input=markdown.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out)


def inline_text(inlines: list) -> str:
    """Text of inlines as a reader sees it; anything but plain text is shown as <Kind>."""
    out = []
    for i in inlines:
        kind = i["t"]
        if kind == "Str":
            out.append(i["c"])
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        else:
            out.append(f"<{kind}>")
    return "".join(out)


def block_text(blocks: list) -> str:
    parts = []
    for b in blocks:
        if b["t"] in ("Plain", "Para"):
            parts.append(inline_text(b["c"]))
        else:
            parts.append(f"<{b['t']}>")
    return "\n\n".join(parts)


def tables(doc: dict) -> list[dict]:
    return [b for b in doc["blocks"] if b["t"] == "Table"]


def table_rows(table: dict) -> list[list[tuple[str, int, int]]]:
    """All rows (head, bodies, foot) as [(text, rowspan, colspan)] per cell."""
    _attr, _caption, _colspecs, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    return [[(block_text(cell[4]), cell[2], cell[3]) for cell in row[1]] for row in rows]


def head_row_count(table: dict) -> int:
    return len(table["c"][3][1])
