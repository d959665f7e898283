"""Where the packaged data lives: the grammar, the templates and the rulesets.

Installed, grammar/ and templates/ are the packages perfdsl.grammar and perfdsl.templates; in a
source checkout they sit beside the perfdsl/ folder. Both layouts are supported so that tests
and benchmarks run from a checkout as well as from a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _data_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    try:  # an editable install maps perfdsl.<name> onto the top-level folder
        import importlib.util

        spec = importlib.util.find_spec(f"perfdsl.{name}")
        if spec and spec.submodule_search_locations:
            return Path(list(spec.submodule_search_locations)[0])
    except ImportError:
        pass
    raise FileNotFoundError(f"perfdsl data folder {name!r} is missing from the installation")


def grammar_path() -> Path:
    return _data_dir("grammar") / "perf.lark"


def templates_dir() -> Path:
    return _data_dir("templates")


def rulesets_dir() -> Path:
    return _PACKAGE_DIR / "rules" / "data"


@cache
def template_words(name: str) -> tuple[str, ...]:
    """A list of words kept in templates/ (number-units.txt, title-kinds.txt), one a line, "#"
    starting a comment — the longer first, so that a pattern or a test of endings made from them
    takes the longest that fits (平方米 before 米). The Lua filters read the same files
    (templates/shared.lua)."""
    text = (templates_dir() / name).read_text(encoding="utf-8")
    words = {line.split("#", 1)[0].strip() for line in text.splitlines()}
    return tuple(sorted((w for w in words if w), key=lambda w: (-len(w), w)))
