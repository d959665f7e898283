"""Files as of a git revision, for `perfdsl diff REV [-- FILE]`.

An old version is loaded the way it was: the file, everything it includes and the perfdsl.toml
files above it are read from the revision (`git show REV:path`) into a scratch folder laid out
like the repository, so an include or a reviewer's rule that changed since REV does not leak
into the old side."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ..loader import Loaded, load

MAX_FILES = 200  # includes fetched for one file, at most
GIT_TIMEOUT = 60


class GitError(Exception):
    pass


# Nothing from the repository under review may run: a reviewer who types `perfdsl diff HEAD` in
# a unit's repository must not run the unit's programs. git runs programs named in the
# repository's own config — core.fsmonitor on every status-like command, clean/smudge/process
# filters named by .gitattributes when it compares the working tree, textconv and external diff
# drivers, hooks — so every git command runs with those settings overridden, and perfdsl reads
# blobs with `cat-file` (no filter, no textconv) instead of `show`.
_NEUTRAL = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.askPass=",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "uploadpack.packObjectsHook=",
)
_DRIVER_KEYS = r"^(filter|diff|merge)\..+\.(clean|smudge|process|textconv|command|driver|required|cachetextconv)$"


def _overrides(cwd: str | Path) -> list[str]:
    return list(_overrides_at(str(Path(cwd).resolve())))


@lru_cache(maxsize=8)
def _overrides_at(cwd: str) -> tuple[str, ...]:
    """`-c` options that switch off every program-running setting, those the repository names
    for its own filter and diff drivers included (read with `git config`, which runs nothing)."""
    out: list[str] = []
    for setting in _NEUTRAL:
        out += ["-c", setting]
    try:
        p = subprocess.run(
            ["git", *out, "config", "-z", "--name-only", "--get-regexp", _DRIVER_KEYS],
            cwd=str(cwd),
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return tuple(out)
    for name in sorted(set(p.stdout.decode("utf-8", "replace").split("\0")) - {""}):
        out += ["-c", f"{name}={'false' if name.endswith(('.required', '.cachetextconv')) else ''}"]
    return tuple(out)


def _git(args: list[str], cwd: str | Path, *, binary: bool = False) -> bytes | str:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_ASKPASS")}
    try:
        p = subprocess.run(
            ["git", *_overrides(cwd), *args], cwd=str(cwd), capture_output=True, timeout=GIT_TIMEOUT, env=env
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} 超时") from None
    if p.returncode != 0:
        raise GitError(p.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return p.stdout if binary else p.stdout.decode("utf-8", "surrogateescape")


def toplevel(start: str | Path = ".") -> Path:
    start = Path(start)
    folder = start if start.is_dir() else start.parent
    return Path(str(_git(["rev-parse", "--show-toplevel"], folder or ".")).strip()).resolve()


def is_revision(rev: str, cwd: str | Path = ".") -> bool:
    if rev.startswith("-"):  # never an option in disguise
        return False
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
        return True
    except GitError:
        return False


def show(rev: str, relpath: str, top: Path) -> bytes | None:
    """The file's bytes at REV, or None when it did not exist there."""
    try:
        return _git(["cat-file", "blob", f"{rev}:{relpath}"], top, binary=True)  # type: ignore[return-value]
    except GitError:
        return None


def changed_files(rev: str, top: Path, pathspecs: list[str] | None = None, rev2: str | None = None) -> list[str]:
    """The .perf files (paths relative to the top) that differ between REV and REV2 or, without
    REV2, the working tree (untracked new ones included)."""
    specs = pathspecs or ["*.perf"]
    if rev.startswith("-") or (rev2 or "").startswith("-"):
        raise GitError(f"not a revision: {rev if rev.startswith('-') else rev2}")
    diff = ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv"]
    out = str(_git([*diff, rev, *([rev2] if rev2 else []), "--", *specs], top))
    names = [n for n in out.split("\0") if n.endswith(".perf")]
    if rev2 is None:
        untracked = str(_git(["ls-files", "--others", "--exclude-standard", "-z", "--", *specs], top))
        names += [n for n in untracked.split("\0") if n.endswith(".perf")]
    return sorted(dict.fromkeys(names))


def relative_to_top(path: str | Path, top: Path) -> str:
    return PurePosixPath(Path(os.path.abspath(path)).resolve().relative_to(top)).as_posix()


@dataclass
class OldVersion:
    loaded: Loaded | None  # None: the file did not exist at REV
    label: str  # "REV:path"
    scratch: str | None = None

    def shown(self, text: str) -> str:
        """Paths in messages read as REV:path instead of the scratch folder."""
        if self.scratch:
            text = text.replace(os.path.relpath(self.scratch) + os.sep, self.label.split(":", 1)[0] + ":")
            text = text.replace(self.scratch + os.sep, self.label.split(":", 1)[0] + ":")
        return text


def load_at(rev: str, relpath: str, top: Path, keep: list[str] | None = None) -> OldVersion:
    """Load the file as of REV (with its includes and perfdsl.toml as of REV). The scratch folder
    is removed unless `keep` is given (the caller then removes the folders listed in it)."""
    label = f"{rev}:{relpath}"
    data = show(rev, relpath, top)
    if data is None:
        return OldVersion(None, label)
    scratch = tempfile.mkdtemp(prefix="perfdsl-rev-")
    try:
        root = Path(scratch)
        (root / ".git").mkdir()  # the repository's top is the project root, as in the working tree
        _fetch_markers(rev, relpath, top, root)
        _write(root / relpath, data)
        _fetch_includes(rev, relpath, top, root)
        loaded = load(str(root / relpath))
        return OldVersion(loaded, label, scratch)
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            keep.append(scratch)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _fetch_markers(rev: str, relpath: str, top: Path, root: Path) -> None:
    parts = PurePosixPath(relpath).parts[:-1]
    for i in range(len(parts) + 1):
        rel = "/".join(parts[:i] + ("perfdsl.toml",))
        data = show(rev, rel, top)
        if data is not None:
            _write(root / rel, data)


def _fetch_includes(rev: str, relpath: str, top: Path, root: Path) -> None:
    from ..syntax import ast
    from ..syntax.parser import parse

    seen = {relpath}
    queue = [relpath]
    while queue and len(seen) < MAX_FILES:
        current = queue.pop()
        try:
            text = (root / current).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        tree, _ = parse(text, current)
        if tree is None:
            continue
        for item in tree.items:
            if not isinstance(item, ast.Include):
                continue
            target = os.path.normpath(str(PurePosixPath(current).parent / item.path.value)).replace(os.sep, "/")
            if target.startswith("../") or target == ".." or os.path.isabs(target) or target in seen:
                continue  # outside the repository: the loader reports it
            seen.add(target)
            data = show(rev, target, top)
            if data is not None:
                _write(root / target, data)
                queue.append(target)
