"""Where the layout files (reference.docx, typst template, pandoc data dir) live.

In a source checkout they are under the repository's ``templates/``; an installed wheel
ships the same folder as the ``perfdsl.templates`` package.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

__all__ = ["templates_dir", "template_path"]


@functools.lru_cache(maxsize=1)
def templates_dir() -> Path:
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "pandoc-data").is_dir():
        return checkout
    return Path(str(resources.files("perfdsl.templates")))


def template_path(*parts: str) -> Path:
    return templates_dir().joinpath(*parts)
