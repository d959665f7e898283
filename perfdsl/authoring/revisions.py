"""What `perfdsl diff` compares, worked out from its arguments and git: two files, a revision
against the working tree, or two revisions — each file loaded once (with last year's file, so the
diff carries its 同比 figures), the problems collected as values for the command to print.

    perfdsl diff OLD.perf NEW.perf
    perfdsl diff REV [FILE|DIR …]            REV against the working tree
    perfdsl diff REV1 REV2 [FILE|DIR …]      one revision against another
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, format_all
from ..loader import Loaded, load
from .diff import FileDiff, added_or_removed, diff
from .gitrev import GitError, OldVersion, changed_files, is_revision, load_at, relative_to_top, toplevel

BASELINE_CODES = ("P0306", "P0307", "P0308", "P0309")  # problems with last year's file: notes of a diff


@dataclass
class Unusable:
    """A version that cannot be compared: its diagnostics, with file names as the user knows them."""

    loaded: Loaded
    rewrite: Callable[[str], str] = lambda s: s


@dataclass
class Comparison:
    diffs: list[FileDiff] = field(default_factory=list)
    unusable: list[Unusable] = field(default_factory=list)
    messages: list[tuple[str, str]] = field(default_factory=list)  # (中文, English): what could not be done
    usage_error: bool = False  # the arguments name nothing comparable
    revision: str | None = None  # the revision compared, for "nothing changed since REV"

    @property
    def failed(self) -> bool:
        return bool(self.unusable or self.messages)


def compare_arguments(items: list[str], lang: str = "zh") -> Comparison:
    """Whatever the arguments of `perfdsl diff` name, compared."""
    if len(items) == 2 and all(os.path.isfile(a) for a in items):
        return compare_files(items[0], items[1], lang)
    try:
        if items and not os.path.exists(items[0]) and is_revision(items[0]):
            if len(items) >= 2 and not os.path.exists(items[1]) and is_revision(items[1]):
                return compare_revisions(items[0], items[1], items[2:], lang)
            return compare_revisions(items[0], None, items[1:], lang)
        if len(items) == 1 and os.path.isfile(items[0]) and is_revision("HEAD", os.path.dirname(items[0]) or "."):
            return compare_revisions("HEAD", None, items, lang)
    except GitError as e:
        return Comparison(messages=[(str(e), str(e))], usage_error=True)
    result = Comparison(usage_error=True)
    for a in items:
        if not os.path.exists(a):
            result.messages.append(
                (
                    f"「{a}」既不是文件，也不是这个 git 仓库中的版本（提交、分支或标签）",
                    f"'{a}' is neither a file nor a revision (commit, branch or tag) of this git repository",
                )
            )
            return result
    result.messages.append(
        (
            "要比较两个文件，请给出两个 .perf 文件；要比较版本，先写版本，如 perfdsl diff HEAD~1 HEAD",
            "give two .perf files, or revisions first: perfdsl diff HEAD~1 HEAD",
        )
    )
    return result


def compare_files(old_path: str, new_path: str, lang: str = "zh") -> Comparison:
    result = Comparison()
    old, new = load(old_path), load(new_path)
    if _usable(result, old) & _usable(result, new):
        result.diffs.append(_diff(old, new, old_path, new_path, lang))
    return result


def compare_revisions(rev: str, rev2: str | None, paths: list[str], lang: str = "zh") -> Comparison:
    """The .perf files under `paths` (all that changed, when none) as of `rev`, against `rev2`
    or, when it is None, the working tree."""
    result = Comparison(revision=rev)
    top = toplevel(paths[0] if paths else ".")
    rels: list[str] = []
    for p in paths:
        try:
            rel = relative_to_top(p, top)
        except ValueError:
            result.messages.append((f"{p} 不在 git 仓库 {top} 之内", f"{p} is outside the repository {top}"))
            result.usage_error = True
            return result
        if os.path.isdir(p) or rev2 is not None and not rel.endswith(".perf"):
            rels.extend(changed_files(rev, top, [rel], rev2))
        else:
            rels.append(rel)
    if not paths:
        rels = changed_files(rev, top, None, rev2)
    scratch: list[str] = []
    try:
        for rel in rels:
            old = load_at(rev, rel, top, keep=scratch)
            if rev2 is None:
                here = top / rel
                shown = os.path.relpath(here)
                new = OldVersion(load(shown), shown) if here.is_file() else OldVersion(None, shown)
            else:
                new = load_at(rev2, rel, top, keep=scratch)
            _compare_versions(result, rel, old, new, rev, rev2, lang)
    finally:
        for folder in scratch:
            shutil.rmtree(folder, ignore_errors=True)
    return result


def _compare_versions(
    result: Comparison, rel: str, old: OldVersion, new: OldVersion, rev: str, rev2: str | None, lang: str
) -> None:
    if old.loaded is None and new.loaded is None:
        where = rev2 or "工作区"
        result.messages.append(
            (
                f"{rel} 在 {rev} 和 {where} 中都不存在",
                f"{rel} exists neither at {rev} nor {rev2 or 'in the working tree'}",
            )
        )
        return
    usable = True
    for version in (old, new):
        if version.loaded is not None:
            usable &= _usable(result, version.loaded, version.shown)
    if not usable:
        return
    if old.loaded is None:
        assert new.loaded is not None
        result.diffs.append(added_or_removed(new.loaded, new.label, added=True))
    elif new.loaded is None:
        result.diffs.append(added_or_removed(old.loaded, old.label, added=False))
    else:
        result.diffs.append(_diff(old.loaded, new.loaded, old.label, new.label, lang, new.shown))


def _usable(result: Comparison, loaded: Loaded, rewrite: Callable[[str], str] = lambda s: s) -> bool:
    ev = loaded.evaluation
    if loaded.ok and ev is not None and not ev.is_fragment:
        return True
    result.unusable.append(Unusable(loaded, rewrite))
    if loaded.ok:
        result.messages.append((f"{loaded.path} 没有「项目」块，无法比较", f"{loaded.path} has no 项目 block"))
    return False


def _diff(
    old: Loaded, new: Loaded, old_label: str, new_label: str, lang: str, rewrite: Callable[[str], str] = lambda s: s
) -> FileDiff:
    """The diff, with the new version's 同比 figures (against the file it names as last year's)
    and the problems with that file as notes."""
    d = diff(old, new, old_label, new_label)
    if d.year_over_year is None and new.scorecard is not None:
        d.year_over_year = new.scorecard.year_over_year
    d.notes.extend(rewrite(_text(x, new, lang)) for x in new.diagnostics if x.code in BASELINE_CODES)
    return d


def _text(d: Diagnostic, loaded: Loaded, lang: str) -> str:
    return next(format_all([d], loaded.texts, lang))
