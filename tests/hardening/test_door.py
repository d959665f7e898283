"""The door for reading (perfdsl.project): what a .perf names or a walk finds is confined to
the project, a regular file and bounded — rulesets, templates, reference documents, includes,
perfdsl.toml and the limits it sets."""

from __future__ import annotations

import io
import os
import socket
import zipfile

import pytest

from perfdsl import project as door
from perfdsl.loader import load
from perfdsl.project import Reason, perf_files, read_bytes, read_docx
from perfdsl.render.build import build_file

from .conftest import STARTER, vary


def _codes(path) -> list[tuple[str, int]]:
    return sorted((d.code, d.span.line) for d in load(str(path)).diagnostics if d.severity == "error")


def _with_ruleset(value: str) -> str:
    return vary(STARTER, '评价规则 "caiyu-2020-10"', f'评价规则 "{value}"')


LINE = STARTER.split("\n").index('  评价规则 "caiyu-2020-10"') + 1


# ---------------------------------------------------------------- special files
@pytest.mark.parametrize("kind", ["fifo", "socket", "dev-null", "dev-zero", "proc", "folder", "broken-link"])
def test_special_files_are_refused_without_blocking(tmp_path, kind):
    p = tmp_path / "x.perf"
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
    elif kind == "folder":
        p.mkdir()
    else:
        target = {"dev-null": "/dev/null", "dev-zero": "/dev/zero", "proc": "/proc/self/environ"}.get(kind, "/nowhere")
        p.symlink_to(target)
    data, refusal = read_bytes(p, 1000)
    assert data is None and refusal is not None
    assert refusal.reason in (Reason.SPECIAL, Reason.TOO_LARGE, Reason.MISSING)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "proc", "outside", "outside-folder"])
def test_walks_skip_what_is_not_a_file_of_the_folder(tmp_path, kind):
    (tmp_path / "ok.perf").write_text(STARTER, encoding="utf-8")
    away = tmp_path.parent / (tmp_path.name + "-away")
    away.mkdir(exist_ok=True)
    (away / "secret.perf").write_text(STARTER, encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.perf")
    elif kind == "dev-zero":
        (tmp_path / "zero.perf").symlink_to("/dev/zero")
    elif kind == "proc":
        (tmp_path / "env.perf").symlink_to("/proc/self/environ")
    elif kind == "outside":
        (tmp_path / "linked.perf").symlink_to(away / "secret.perf")
    else:
        (tmp_path / "linked").symlink_to(away)
    files, missing, skipped = perf_files([str(tmp_path)])
    assert [os.path.basename(f) for f in files] == ["ok.perf"] and not missing
    assert kind == "outside-folder" or [d.code for d in skipped] == ["P0007"]


# ---------------------------------------------------------------- rulesets
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("/etc/passwd", "P0006"),
        ("/tmp/evil", "P0006"),
        ("../../evil.toml", "P0006"),
        ("长" * 300, "P0310"),
        ("a b", "P0310"),
        ("a:b", "P0310"),
        ("..", "P0310"),
        ("caiyu..x", "P0310"),
        ("nosuch", "P0304"),
        ("rules/nosuch.toml", "P0304"),
    ],
)
def test_ruleset_names_are_names_and_files_are_confined(project, value, code):
    path = project("x.perf", _with_ruleset(value))
    assert (code, LINE) in _codes(path)


def test_a_ruleset_file_of_the_project_is_used(project):
    project("rules/mine.toml", 'extends = "caiyu-2020-10"\ntitle = "本单位规则"\n')
    path = project("x.perf", _with_ruleset("rules/mine.toml"))
    loaded = load(str(path))
    assert loaded.ok and loaded.evaluation.ruleset.title == "本单位规则"


def test_a_ruleset_file_cannot_extend_a_file_outside(project):
    project("rules/mine.toml", 'extends = "../../outside.toml"\n')
    path = project("x.perf", _with_ruleset("rules/mine.toml"))
    assert ("P0006", LINE) in _codes(path)


def test_a_ruleset_file_that_is_a_fifo_is_refused(project):
    os.mkfifo(project.root / "r.toml")
    path = project("x.perf", _with_ruleset("r.toml"))
    assert ("P0005", LINE) in _codes(path)


# ---------------------------------------------------------------- templates and reference documents
def _docx(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _with_field(field: str, value: str) -> str:
    return vary(STARTER, '评价规则 "caiyu-2020-10"', f'评价规则 "caiyu-2020-10"\n  {field} "{value}"')


@pytest.mark.parametrize(
    ("make", "value", "code"),
    [
        (None, "/dev/zero", "P0006"),
        (None, "/etc/hostname", "P0006"),
        (None, "missing.docx", "P0001"),
        ("fifo", "ref.docx", "P0005"),
        ("text", "ref.docx", "P0008"),
        ("no-document", "ref.docx", "P0008"),
        ("bomb", "ref.docx", "P0008"),
    ],
)
def test_reference_documents_are_checked_up_front(project, make, value, code):
    target = project.root / "ref.docx"
    if make == "fifo":
        os.mkfifo(target)
    elif make == "text":
        target.write_text("not a zip")
    elif make == "no-document":
        target.write_bytes(_docx({"word/styles.xml": b"<x/>"}))
    elif make == "bomb":
        (project.root / "perfdsl.toml").write_text('[limits]\ninflated = "1 MiB"\n')
        target.write_bytes(_docx({"word/document.xml": b"<x/>", "word/media/big.bin": b"\0" * (2 << 20)}))
    path = project("x.perf", _with_field("参考文档", value))
    assert (code, LINE + 1) in _codes(path)


def test_a_template_folder_outside_the_project_is_refused_and_never_used(project, tmp_path_factory):
    away = tmp_path_factory.mktemp("away")
    (away / "report.md.j2").write_text("OUTSIDE\n")
    path = project("x.perf", _with_field("模板目录", str(away)))
    assert ("P0006", LINE + 1) in _codes(path)
    r = build_file(str(path), ("md",), str(project.root / "out"))
    assert r.refused and not (project.root / "out").exists()


def test_templates_cannot_include_through_a_link_out_of_their_folder(project, tmp_path_factory):
    from perfdsl.render.errors import RenderError
    from perfdsl.render.sandbox import BoundedEnvironment, ConfinedLoader, render

    away = tmp_path_factory.mktemp("away")
    (away / "secret.j2").write_text("SECRET")
    folder = project.root / "tpl"
    folder.mkdir()
    (folder / "link.j2").symlink_to(away / "secret.j2")
    (folder / "main.j2").write_text("{% include 'link.j2' %}")
    env = BoundedEnvironment(loader=ConfinedLoader([str(folder)]))
    with pytest.raises(RenderError, match=r"main\.j2:1: template 'link\.j2' not found"):
        render(env, "main.j2", {})


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{% for i in range(2000) %}{% for j in range(2000) %}{% endfor %}{% endfor %}", "loops more than"),
        ("{{ 'x' * 100000000 }}", "too large"),
        ("{{ [1] * 100000000 }}", "too large"),
        ("{{ 10 ** 100000000 }}", "too large"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "recurses"),
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("\n\n{% include '/etc/passwd' %}", ":3: template '/etc/passwd' not found"),
        ("{% include '../x' %}", "not found"),
        ("{% if %}", "main.j2:1:"),
    ],
)
def test_user_templates_are_bounded_and_errors_name_the_line(tmp_path, source, words):
    from perfdsl.render.errors import RenderError
    from perfdsl.render.sandbox import BoundedEnvironment, ConfinedLoader, render

    (tmp_path / "main.j2").write_text(source)
    env = BoundedEnvironment(loader=ConfinedLoader([str(tmp_path)]))
    with pytest.raises(RenderError) as e:
        render(env, "main.j2", {})
    assert words in str(e.value) and "main.j2" in str(e.value)


# ---------------------------------------------------------------- limits and includes
def test_limits_come_from_perfdsl_toml(project):
    (project.root / "perfdsl.toml").write_text('[limits]\nsource = "1 KiB"\nincludes = 2\n')
    path = project("x.perf", STARTER)
    assert ("P0004", 1) in _codes(path)
    assert door.limits(project.root)[0].includes == 2


@pytest.mark.parametrize("value", ['"lots"', "-1", "true", '"0 MiB"'])
def test_bad_limits_are_reported(project, value):
    (project.root / "perfdsl.toml").write_text(f"[limits]\nsource = {value}\nnosuch = 1\n")
    path = project("x.perf", STARTER)
    codes = [d.code for d in load(str(path)).diagnostics]
    assert codes.count("P0009") == 2


def test_include_depth_is_bounded(project):
    (project.root / "perfdsl.toml").write_text("[limits]\ninclude_depth = 5\n")
    for i in range(10):
        project(f"f{i}.perf", f'引用 "f{i + 1}.perf"\n' if i < 9 else "")
    path = project("x.perf", STARTER + '\n引用 "f0.perf"\n')
    assert [d.code for d in load(str(path)).diagnostics if d.severity == "error"] == ["P0311"]


def test_include_count_is_bounded(project):
    (project.root / "perfdsl.toml").write_text("[limits]\nincludes = 3\n")
    for i in range(6):
        project(f"f{i}.perf", "")
    path = project("x.perf", STARTER + "".join(f'\n引用 "f{i}.perf"' for i in range(6)) + "\n")
    assert [d.code for d in load(str(path)).diagnostics].count("P0311") == 3


def test_perfdsl_toml_that_is_a_fifo_does_not_block(project):
    os.remove(project.root / "perfdsl.toml")
    os.mkfifo(project.root / "perfdsl.toml")
    path = project("x.perf", STARTER)
    codes = [d.code for d in load(str(path)).diagnostics]
    assert "R907" in codes


def test_read_docx_bounds_what_a_lying_header_claims(tmp_path):
    data = _docx({"word/document.xml": b"\0" * (3 << 20)})
    p = tmp_path / "a.docx"
    p.write_bytes(data)
    limits = door.Limits(inflated=1 << 20)
    assert read_docx(p, limits)[1].reason is Reason.NOT_DOCX
    assert read_docx(p)[1] is None


@pytest.mark.parametrize("size", [0, 1, 4095, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 3])
def test_a_file_is_read_whole_at_every_size(tmp_path, size):
    """One read of the file's own size, then chunks: every byte, and the limit still holds."""
    data = bytes((i * 7 + 3) % 256 for i in range(size))
    target = tmp_path / "f.bin"
    target.write_bytes(data)
    assert read_bytes(target, limit=size + 10) == (data, None)
    if size:
        got, refusal = read_bytes(target, limit=size - 1)
        assert got is None and refusal is not None and refusal.reason is Reason.TOO_LARGE
