"""What a built document depends on, and which folders to watch for it: one answer for `watch`
and `serve`.

A document is made from its .perf file, every file it includes, last year's file (上年评价) with
its includes, the templates (built-in or the unit's own 模板目录), the reference document, the
rulesets and perfdsl.toml. The loader names the files (`Loaded.dependencies()`); this module adds
the templates and turns it all into the folders a file watcher must follow."""

from __future__ import annotations

import os
from pathlib import Path

from ..loader import Loaded
from ..render.report import RenderOptions, resolve_options
from ..resources import rulesets_dir, templates_dir

EDITOR_LITTER = ("~", ".swp", ".swx", ".tmp")
TEMPLATE_SUFFIXES = (".j2", ".css", ".docx", ".typ", ".yaml", ".lua", ".png", ".jpg", ".jpeg", ".gif")


def source_dependencies(source: str, loaded: Loaded | None) -> set[str]:
    """The resolved files `source`'s result was made from (an include that did not parse too:
    its text was read)."""
    files = [source]
    if loaded is not None:
        files += loaded.dependencies() + list(loaded.texts)
    return {str(Path(f).resolve()) for f in files}


def template_dependencies(loaded: Loaded | None, options: RenderOptions | None) -> set[str]:
    """The template folders and files `loaded`'s documents are rendered with."""
    out = {str(templates_dir().resolve())}
    ev = loaded.evaluation if loaded is not None else None
    if ev is not None:
        chosen = resolve_options(ev, options)
        for p in (chosen.templates, chosen.reference_docx):
            if p:
                out.add(str(Path(p).resolve()))
    return out


def affects(changed: set[str], files: set[str] | frozenset[str], templates: set[str] | frozenset[str]) -> bool:
    """Whether a change to `changed` (resolved paths) changes a document made from `files` with
    `templates`. A ruleset or a perfdsl.toml (the reviewer's rules) may change any document."""
    if files & changed:
        return True
    rules = str(rulesets_dir().resolve()) + os.sep
    for c in changed:
        if c.startswith(rules) or os.path.basename(c) == "perfdsl.toml":
            return True
        if any(c == t or c.startswith(t + os.sep) for t in templates):
            return True
    return False


def watch_roots(paths: list[str], files: set[str], templates: set[str]) -> list[str]:
    """The folders to watch: the paths given (a file's folder), the rulesets, the folder of every
    dependency and every template folder — a folder inside another one is covered by it."""
    roots = {str(rulesets_dir().resolve()), str(templates_dir().resolve())}
    for p in paths:
        roots.add(str(Path(p).resolve() if os.path.isdir(p) else Path(p).resolve().parent))
    roots.update(str(Path(f).parent) for f in files)
    roots.update(t if os.path.isdir(t) else str(Path(t).parent) for t in templates)
    out: list[str] = []
    for r in sorted(r for r in roots if os.path.isdir(r)):
        if not any(r == o or r.startswith(o.rstrip(os.sep) + os.sep) for o in out):
            out.append(r)
    return out


def relevant(path: str) -> bool:
    """What a watcher reports (`affects` then decides): .perf files, rulesets, perfdsl.toml,
    templates and reference documents — never editor swap files or version-control internals."""
    name = os.path.basename(path)
    if name.startswith(".") or name.endswith(EDITOR_LITTER) or f"{os.sep}.git{os.sep}" in path:
        return False
    return name.endswith((".perf", ".toml", *TEMPLATE_SUFFIXES)) or path.startswith(
        str(templates_dir().resolve()) + os.sep
    )
