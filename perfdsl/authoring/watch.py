"""`perfdsl watch`: rebuild the outputs of the evaluations given whenever something they are made
from changes: the .perf file, a file it includes, a template (the built-in folder or the unit's
own), a ruleset, a perfdsl.toml.

Each rebuild goes through build_file, which refuses a file with errors and writes nothing, so the
last good output stays where it was; the errors are printed. The loop stops on Ctrl+C, when
`stop_event` is set, or after `max_rounds` batches of changes (for tests)."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import format_all
from ..project import perf_files
from ..render.build import DEFAULT_FORMATS, BuildResult, build_file
from ..render.report import RenderOptions
from ..resources import rulesets_dir
from ..rules.ruleset import load_ruleset
from . import deps

STEP_MS = 50
DEBOUNCE_MS = 400


@dataclass
class Target:
    source: str
    deps: set[str] = field(default_factory=set)  # resolved: the file, its includes, last year's file
    templates: set[str] = field(default_factory=set)  # resolved template folders and files
    fragment: bool = False  # an included file, not an evaluation


class Watcher:
    def __init__(
        self,
        paths: list[str],
        formats: tuple[str, ...] = DEFAULT_FORMATS,
        out_dir: str | None = None,
        *,
        strict: bool = False,
        options: RenderOptions | None = None,
        lang: str = "zh",
        on_result: Callable[[BuildResult], None] | None = None,
        out=None,
        err=None,
    ):
        self.paths = paths
        self.formats = formats
        self.out_dir = out_dir
        self.strict = strict
        self.options = options or RenderOptions()
        self.lang = lang
        self.on_result = on_result
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.targets: dict[str, Target] = {}
        self.rounds = 0
        self.watching = threading.Event()  # set once the file watcher runs (tests wait for it)

    # ------------------------------------------------------------ building

    def _say(self, zh: str, en: str, error: bool = False) -> None:
        text = zh if self.lang == "zh" else en
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=self.err if error else self.out, flush=True)

    def discover(self) -> list[str]:
        files, missing, _ = perf_files(self.paths)
        for m in missing:
            self._say(f"找不到 {m}", f"no such file or folder: {m}", error=True)
        return [str(Path(f)) for f in files]

    def build(self, source: str) -> BuildResult:
        result = build_file(source, self.formats, self.out_dir, strict=self.strict, options=self.options)
        t = self.targets.setdefault(source, Target(source))
        loaded = result.loaded
        t.deps = deps.source_dependencies(source, loaded)
        t.templates = deps.template_dependencies(loaded, self.options)
        ev = loaded.evaluation if loaded else None
        t.fragment = ev is not None and ev.is_fragment and loaded is not None and loaded.ok
        if t.fragment:
            return result  # a shared include: its includers are rebuilt instead
        if loaded is not None and loaded.diagnostics:
            for text in format_all(loaded.diagnostics, loaded.texts, self.lang):
                print(text, file=self.err, flush=True)
        if result.refused:
            self._say(
                f"{source}: 有错误，未生成任何文件（原有输出保持不变）",
                f"{source}: errors; nothing written (earlier outputs kept)",
                error=True,
            )
        elif result.error:
            self._say(
                f"{source}: 生成失败（原有输出保持不变）：{result.error}",
                f"{source}: build failed (earlier outputs kept): {result.error}",
                error=True,
            )
        else:
            self._say(f"{source}: 已生成 " + "、".join(result.outputs), f"{source}: wrote " + ", ".join(result.outputs))
        if self.on_result is not None:
            self.on_result(result)
        return result

    def build_all(self) -> None:
        for source in self.discover():
            self.build(source)

    # ------------------------------------------------------------ what a change touches

    def affected(self, changed: set[str]) -> list[str]:
        rules = str(rulesets_dir().resolve())
        if any(c.startswith(rules + os.sep) for c in changed):
            load_ruleset.cache_clear()
        out = []
        current = set(self.discover())
        for source in sorted(current):
            t = self.targets.get(source)
            if t is None or deps.affects(changed, t.deps, t.templates):  # new in a watched folder, or changed
                out.append(source)
        for gone in set(self.targets) - current:
            del self.targets[gone]
            self._say(f"{gone}: 文件已删除，不再监视", f"{gone}: deleted; no longer watched")
        return out

    def roots(self) -> list[str]:
        files = set().union(*(t.deps for t in self.targets.values())) if self.targets else set()
        templates = set().union(*(t.templates for t in self.targets.values())) if self.targets else set()
        return deps.watch_roots(self.paths, files, templates)

    @staticmethod
    def relevant(change, path: str) -> bool:
        return deps.relevant(path)

    # ------------------------------------------------------------ the loop

    def run(
        self,
        stop_event: threading.Event | None = None,
        max_rounds: int | None = None,
        force_polling: bool | None = None,
    ) -> int:
        import watchfiles

        stop_event = stop_event or threading.Event()
        self.build_all()
        self._say("正在监视改动（Ctrl+C 退出）", "watching for changes (Ctrl+C stops)")
        while not stop_event.is_set():
            roots = self.roots()
            restart = False
            for changes in watchfiles.watch(
                *roots,
                watch_filter=self.relevant,
                stop_event=stop_event,
                step=STEP_MS,
                debounce=DEBOUNCE_MS,
                rust_timeout=300,
                yield_on_timeout=True,
                raise_interrupt=True,
                force_polling=force_polling,
            ):
                self.watching.set()  # the first yield comes from a running watcher
                if not changes:
                    continue
                changed = {str(Path(p).resolve()) for _, p in changes}
                for source in self.affected(changed):
                    self.build(source)
                self.rounds += 1
                if max_rounds is not None and self.rounds >= max_rounds:
                    stop_event.set()
                    break
                if self.roots() != roots:
                    restart = True  # a new include or template folder: watch it as well
                    break
            if not restart:
                break
        return 0


def watch(
    paths: list[str],
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    out_dir: str | None = None,
    *,
    strict: bool = False,
    options: RenderOptions | None = None,
    lang: str = "zh",
    stop_event: threading.Event | None = None,
    max_rounds: int | None = None,
    on_result: Callable[[BuildResult], None] | None = None,
    out=None,
    err=None,
) -> int:
    return Watcher(
        paths, formats, out_dir, strict=strict, options=options, lang=lang, on_result=on_result, out=out, err=err
    ).run(stop_event, max_rounds)
