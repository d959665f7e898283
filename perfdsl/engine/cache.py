"""A content-addressed cache of each file's results, so that a repository of thousands of files
is re-checked after one edit in the time it takes to read them.

The key is the file's bytes, its name (results name it), the job and its options, the project's
perfdsl.toml and the perfdsl version; an entry also lists every other file the result was made
from (includes, last year's file) with the hash of its bytes, and holds a digest of itself. An
entry that is damaged, truncated, foreign, stale or from another version is ignored and made
again — never believed. Entries are JSON (data, never code) written atomically, so that runs at
the same time cannot corrupt them; `.perfdsl-cache/` holds them, at the root of the tree checked."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .. import __version__, project
from ..atomic import atomic_write_bytes, atomic_write_sealed
from ..core.digest import sha256_hex

R = TypeVar("R")

FOLDER = ".perfdsl-cache"
FORMAT = 2  # 2: an entry is its digest, a line end and its body
_MAX_ENTRY = 16 * 1024 * 1024


def _hash(data: bytes) -> str:
    return sha256_hex(data)


def _file_hash(path: str) -> str | None:
    data, refusal = project.read_bytes(path, project.MAX_SOURCE_BYTES * 4)
    return None if data is None else _hash(data)


def _config_hash(root: Path) -> str:
    """The hash of the project's perfdsl.toml ("" when there is none or it cannot be read), read
    again only when it changes (project.config_stamp): every file of the project asks for it."""
    stamp = project.config_stamp(root)
    return _config_digest(*stamp) if stamp is not None else ""


@lru_cache(maxsize=64)
def _config_digest(path: Path, stamp: tuple[int, int, int]) -> str:
    return _file_hash(str(path)) or ""


@lru_cache(maxsize=256)
def _config_hash_in_run(run: int, folder: str) -> str:
    """The config hash of the project of a folder's files, found once a run (as the run finds a
    folder's lint settings once: engine.check.settings_for), not with a walk and a stat a file."""
    return _config_hash(project.folder_project_root(folder))


_STAMPED = (".py", ".lark", ".toml", ".j2", ".lua")


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """perfdsl's own code, grammar, rules and templates as installed (names, sizes and times):
    results made by other code — another version, or an edit between releases — are not reused.
    Walked with os.walk rather than pathlib: it runs in every process that uses the cache, and
    the start-up of a one-file check is measured."""
    from ..resources import grammar_path, rulesets_dir, templates_dir

    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    roots = sorted({package, str(grammar_path().parent), str(templates_dir()), str(rulesets_dir())})
    parts = [__version__]
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(names):
                if name.endswith(_STAMPED):
                    path = os.path.join(folder, name)
                    info = os.stat(path)
                    parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return _hash("\n".join(parts).encode("utf-8"))


def newest(paths: list[str], count: int) -> list[int]:
    """The places in `paths` of the `count` files changed last. After an edit they are the files
    the cache cannot answer, each costing a worker the checker's start (the parser, the model,
    the rules: 0.1–0.2 s) where an answer from the cache costs a tenth of a millisecond: started
    first, that start overlaps the other workers' answers instead of ending the run."""
    import heapq

    stamped = []
    for index, path in enumerate(paths):
        try:
            stamped.append((os.stat(path).st_mtime_ns, index))
        except OSError:
            continue
    return [index for _, index in heapq.nlargest(count, stamped)]


def default_folder(paths: list[str]) -> Path:
    """At the root of the tree being checked: the project of the first path named (the nearest
    folder up with perfdsl.toml or .git, else that folder itself) — one cache per repository,
    however many of its folders are checked, and none left inside the folders of sources."""
    if not paths:
        return Path(FOLDER)
    first = paths[0]
    root = project.folder_project_root(first) if os.path.isdir(first) else project.project_root(first)
    return root / FOLDER


class Cache:
    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = os.fspath(folder)  # a string: a Cache is made for every file a run looks up

    def key(self, kind: str, path: str, options: object, run: int | None = None) -> str | None:
        """`run`: the run the file is looked up in (engine.new_run), whose files of one folder
        share their project's perfdsl.toml; None: a file on its own."""
        data, refusal = project.read_bytes(path, project.MAX_SOURCE_BYTES)
        if data is None:
            return None  # an unreadable file is reported afresh every time
        absolute = os.path.abspath(path)
        if run is not None and not os.path.islink(absolute):  # a link's project is its target's
            config_hash = _config_hash_in_run(run, os.path.dirname(absolute))
        else:
            config_hash = _config_hash(project.project_root(path))
        head = json.dumps([FORMAT, code_stamp(), kind, absolute, path, options, config_hash])
        return _hash(head.encode("utf-8") + b"\0" + data)

    def _entry(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key + ".json")

    def get(self, key: str | None) -> dict | None:
        """The result kept under `key`, if its entry is whole and every file it was made from is
        as it was. An entry is its digest, a line end, and its body: the digest is checked on
        the bytes as read, before they are parsed."""
        if key is None:
            return None
        body = project.read_sealed(self._entry(key), _MAX_ENTRY)
        if body is None:
            return None  # missing, damaged, truncated or foreign
        try:
            entry = json.loads(body)
            if entry["key"] != key:
                return None
            for dep, dep_digest in entry["deps"]:
                if _file_hash(dep) != dep_digest:
                    return None  # an included file or last year's file changed
            result = entry["result"]
            return result if isinstance(result, dict) else None
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str | None, deps: list[str], result: dict, path: str = "") -> None:
        if key is None:
            return
        hashed = []
        itself = os.path.realpath(path) if path else ""
        for dep in deps:
            if os.path.realpath(dep) == itself:
                continue  # the file's own bytes are in the key
            digest = _file_hash(dep)
            if digest is None:
                return  # a dependency that cannot be read: nothing worth keeping
            hashed.append([dep, digest])
        body = json.dumps({"key": key, "deps": hashed, "result": result}).encode("utf-8")
        try:
            target = Path(self._entry(key))
            target.parent.mkdir(parents=True, exist_ok=True)
            ignore = Path(self.folder, ".gitignore")
            if not ignore.exists():
                atomic_write_bytes(ignore, b"*\n", durable=False)
            atomic_write_sealed(target, body)
        except OSError:
            pass  # a read-only tree or a full disk: the run's answer does not depend on the cache


def through(
    cache_dir: str | None,
    kind: str,
    path: str,
    options: object,
    run: int | None,
    make: Callable[[bool], tuple[R, list[str]]],
    keep: Callable[[R], dict],
    read: Callable[[dict], R],
) -> R:
    """A job's result for one file through the cache of its run (`cache_dir`; None: no cache):
    what the cache keeps for the file, when whole and current and of a shape `read` can make the
    result from; else `make(keeping)` → (the result, the files it was made from — looked up only
    when `keeping`), kept as `keep(result)` for the next run. The one way check, score and summary
    jobs use the cache."""
    if cache_dir is None:
        return make(False)[0]
    cache = Cache(cache_dir)
    key = cache.key(kind, path, options, run)
    hit = cache.get(key)
    if hit is not None:
        try:
            return read(hit)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            pass  # a shape this version does not read: made again
    result, dependencies = make(True)
    cache.put(key, dependencies, keep(result), path)
    return result
