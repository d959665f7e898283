"""Templates — the built-in ones and a unit's own (模板目录, --templates) — run in jinja2's
SandboxedEnvironment, confined and bounded:

- a template is read only from the template folders, through perfdsl.project: `{% include %}`
  and `{% extends %}` of an absolute path, of `..`, or of a link that leads out of its folder
  find nothing; a template is a regular file under the size limit;
- the work a render may do is bounded: `range()` yields at most MAX_ITERATIONS items in all
  during one render (so nested loops are bounded as a whole, not loop by loop), `*` and `**`
  cannot build values beyond MAX_VALUE characters or digits, every call the template makes
  checks a deadline, and recursion (a macro calling itself) stops at Python's limit;
- every failure is a RenderError that says `template file:line: message`, never a traceback.

Text from a .perf file is never template source: it reaches templates as values only."""

from __future__ import annotations

import contextvars
import os
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import project
from .errors import RenderError

MAX_ITERATIONS = 1_000_000  # range() items in one render, all loops together
MAX_VALUE = 10_000_000  # characters of a string, items of a list or digits of a number made by * or **
DEADLINE_SECONDS = 30.0


class TemplateBudgetError(RuntimeError):
    pass


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ITERATIONS
        self.deadline = time.monotonic() + DEADLINE_SECONDS

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise TemplateBudgetError(f"the template loops more than {MAX_ITERATIONS} times in all")
        if time.monotonic() > self.deadline:
            raise TemplateBudgetError(f"the template ran longer than {DEADLINE_SECONDS:g} s")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _spend(n: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.spend(n)


def _bounded_range(*args: int) -> Iterator[int]:
    for i in range(*args):
        _spend()
        yield i


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from the folders given, in order, through the project's door: a name that
    leaves its folder (absolute, `..`, a link out) is not found."""

    def __init__(self, folders: list[str]):
        self.folders = [Path(f).resolve() for f in folders]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if "\0" in template or template.startswith(("/", "\\")) or os.path.isabs(template):
            raise jinja2.TemplateNotFound(template)
        for folder in self.folders:
            path, refusal = project.locate(template, folder / "_", folder)
            if refusal is not None or path is None:
                continue
            data, refusal = project.read_bytes(path, project.MAX_ASSET_BYTES)
            if refusal is not None or data is None:
                continue
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            stamp = path.stat().st_mtime_ns
            return source, str(path), lambda p=path, s=stamp: _unchanged(p, s)
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return []


def _unchanged(path: Path, stamp: int) -> bool:
    try:
        return path.stat().st_mtime_ns == stamp
    except OSError:
        return False


class BoundedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals["range"] = _bounded_range

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * max(abs(left), 2).bit_length() > MAX_VALUE:
                raise TemplateBudgetError("the template builds a number too large")
            return left**right
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple, bytes)) and isinstance(n, int) and len(seq) * n > MAX_VALUE:
                    raise TemplateBudgetError("the template builds a value too large")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend(0)  # every call looks at the deadline
        return super().call(__context, __obj, *args, **kwargs)


def render(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render the template `name` within the budget; a RenderError naming the template's file
    and line for anything that goes wrong in it."""
    token = _BUDGET.set(_Budget())
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(f"template {_shown(e.filename or e.name or name)}:{e.lineno}: {e.message}") from None
    except (jinja2.TemplateError, TemplateBudgetError, RecursionError, ArithmeticError, TypeError, ValueError) as e:
        raise RenderError(f"template {_where(e, name)}: {_message(e)}") from None
    finally:
        _BUDGET.reset(token)


def _message(e: BaseException) -> str:
    if isinstance(e, jinja2.TemplateNotFound):
        return f"template '{e.name}' not found (templates are read from the template folders only)"
    if isinstance(e, RecursionError):
        return "the template recurses too deeply"
    return str(e) or type(e).__name__


def _where(e: BaseException, name: str) -> str:
    """file:line of the innermost template frame (jinja rewrites template frames so that they
    carry the template's file and line)."""
    found = f"{name}:1"
    for frame in traceback.extract_tb(e.__traceback__):
        if (
            frame.filename.endswith((".j2", ".jinja", ".jinja2", ".html", ".md", ".typ"))
            or "<template>" in frame.filename
        ):
            found = f"{_shown(frame.filename)}:{frame.lineno}"
    return found


def _shown(filename: str) -> str:
    rel = os.path.relpath(filename) if os.path.isabs(filename) else filename
    return filename if rel.startswith("..") else rel
