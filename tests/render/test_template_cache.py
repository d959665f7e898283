"""Templates compiled once and kept for the next process (render/template_cache.py): read back
instead of compiled, compiled again when the template changed or the entry is not whole, kept
only in the user's own cache folder."""

from __future__ import annotations

import os
import tempfile

import jinja2
import pytest

from perfdsl.render import report
from perfdsl.render.sandbox import BoundedEnvironment, render


@pytest.fixture
def folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.md.j2").write_text("{% for i in range(n) %}{{ i * 2 }} {% endfor %}项", encoding="utf-8")
    yield templates, tmp_path / "cache" / "perfdsl"
    report._environment.cache_clear()


def fresh(templates):
    """The environment a new process makes."""
    report._environment.cache_clear()
    return report._environment((str(templates),))


def compiled_without(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("compiled")

    monkeypatch.setattr(BoundedEnvironment, "compile", refuse)


def test_a_template_compiled_once_is_read_back_by_the_next_process(folders, monkeypatch):
    templates, cache = folders
    assert render(fresh(templates), "t.md.j2", {"n": 3}) == "0 2 4 项"
    assert [p.name.startswith("template-") for p in cache.iterdir()] == [True]
    with monkeypatch.context() as m:
        compiled_without(m)
        assert render(fresh(templates), "t.md.j2", {"n": 3}) == "0 2 4 项"


def test_a_changed_template_is_compiled_again(folders, monkeypatch):
    templates, _ = folders
    render(fresh(templates), "t.md.j2", {"n": 1})
    (templates / "t.md.j2").write_text("{{ n }} 项\n", encoding="utf-8")
    assert render(fresh(templates), "t.md.j2", {"n": 1}) == "1 项\n"


@pytest.mark.parametrize("damage", ["cut short", "changed", "emptied"])
def test_an_entry_not_whole_is_never_run(folders, damage):
    templates, cache = folders
    render(fresh(templates), "t.md.j2", {"n": 2})
    (entry,) = cache.iterdir()
    data = entry.read_bytes()
    entry.write_bytes({"cut short": data[: len(data) // 2], "changed": data[:-8] + b"\x00" * 8, "emptied": b""}[damage])
    assert render(fresh(templates), "t.md.j2", {"n": 2}) == "0 2 项"


def test_environments_compiled_differently_never_share_an_entry(folders):
    """An entry is code for one environment's options (the sandbox's intercepted operators, the
    finalize function…): another configuration keys its own."""
    from perfdsl.render.template_cache import bytecode_cache

    templates, cache = folders
    render(fresh(templates), "t.md.j2", {"n": 2})
    plain = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=bytecode_cache("a plain environment")
    )
    assert plain.get_template("t.md.j2").render(n=2) == "0 2 项"
    assert len({p.name.split("-")[1] for p in cache.iterdir()}) == 2


def test_no_cache_where_the_folder_is_not_the_users_own(folders, monkeypatch, tmp_path):
    """An entry is code: a folder another user can write to is never read or written — the
    templates are compiled in every process instead."""
    templates, _ = folders
    shared = tmp_path / "shared"
    for folder in (shared / "perfdsl", shared / f"perfdsl-{os.getuid()}"):  # ~/.cache's and the fallback
        folder.mkdir(parents=True)
        folder.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    assert fresh(templates).bytecode_cache is None
    assert render(fresh(templates), "t.md.j2", {"n": 1}) == "0 项"
    assert not [entry for folder in shared.iterdir() for entry in folder.iterdir()]
