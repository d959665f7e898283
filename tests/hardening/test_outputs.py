"""The door for writing (perfdsl.outputs): placement, confinement, sets replaced as a whole."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
from pathlib import Path

import pytest

from perfdsl import outputs
from perfdsl.outputs import JOURNAL, SET_PREFIX, OutputError, output_folder, prepare_folder, recover, write_set


# ---------------------------------------------------------------- placement
@pytest.mark.parametrize(
    ("source", "out", "walked", "expected"),
    [
        ("/p/a/2023.perf", None, None, "/p/a/build"),
        ("/p/a/2023.perf", "/o", None, "/o"),
        ("/p/a/2023.perf", "/o", "/p", "/o/a"),
        ("/p/a/b/2023.perf", "/o", "/p", "/o/a/b"),
        ("/p/2023.perf", "/o", "/p", "/o"),
        ("/p/a/2023.perf", None, "/p", "/p/a/build"),  # no -o: beside the file, however found
    ],
)
def test_output_folder_mirrors_the_walk(source, out, walked, expected):
    assert output_folder(source, out, walked) == Path(expected)


def test_two_files_of_one_name_in_two_folders_go_to_two_places():
    a = output_folder("/p/甲/2023.perf", "/o", "/p")
    b = output_folder("/p/乙/2023.perf", "/o", "/p")
    assert a != b


def test_placement_of_a_linked_file_is_beside_the_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.perf").write_text("")
    project = tmp_path / "project"
    project.mkdir()
    (project / "x.perf").symlink_to(elsewhere / "x.perf")
    assert output_folder(str(project / "x.perf"), None) == project / "build"


# ---------------------------------------------------------------- confinement
def test_a_build_folder_linked_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "perfdsl.toml").write_text("")
    away = tmp_path.parent / (tmp_path.name + "-away")
    away.mkdir()
    (tmp_path / "build").symlink_to(away)
    source = str(tmp_path / "x.perf")
    with pytest.raises(OutputError):
        prepare_folder(output_folder(source, None), outputs.confined_root(source, None), outputs.project_of(source))


def test_a_mirrored_folder_linked_out_of_the_output_folder_is_refused(tmp_path):
    out, away = tmp_path / "out", tmp_path / "away"
    out.mkdir()
    away.mkdir()
    (out / "甲").symlink_to(away)
    with pytest.raises(OutputError) as e:
        prepare_folder(out / "甲", out)
    assert "link" in e.value.message("en")


def test_a_link_inside_the_output_folder_is_followed(tmp_path):
    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "甲").symlink_to(out / "real")
    assert prepare_folder(out / "甲", out) == (out / "real").resolve()


def test_a_file_where_a_folder_is_needed_is_refused(tmp_path):
    (tmp_path / "out").write_text("")
    with pytest.raises(OutputError) as e:
        prepare_folder(tmp_path / "out" / "sub", tmp_path / "out")
    assert "not a folder" in e.value.message("en")


def test_a_document_name_that_is_a_link_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.md").symlink_to(victim)
    write_set(out, {"x.md": b"new"})
    assert victim.read_text() == "keep"
    assert not (out / "x.md").is_symlink() and (out / "x.md").read_bytes() == b"new"


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", SET_PREFIX + "x"])
def test_document_names_are_names(tmp_path, name):
    with pytest.raises(ValueError):
        write_set(tmp_path, {name: b""})


# ---------------------------------------------------------------- sets
def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(SET_PREFIX))


def test_a_set_replaces_the_old_one_and_leaves_nothing_behind(tmp_path):
    write_set(tmp_path, {"a.docx": b"old a", "b.xlsx": b"old b"})
    write_set(tmp_path, {"a.docx": b"new a", "b.xlsx": b"new b"})
    assert (tmp_path / "a.docx").read_bytes() == b"new a" and (tmp_path / "b.xlsx").read_bytes() == b"new b"
    assert _leftovers(tmp_path) == []


def test_files_are_created_with_the_usual_mode(tmp_path):
    write_set(tmp_path, {"a.md": b"x"})
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o666 & ~outputs._UMASK


def test_a_run_killed_while_renaming_is_finished_by_the_next(tmp_path):
    """The journal is whole, one document moved: recovery moves the others."""
    write_set(tmp_path, {"a.docx": b"old a", "b.xlsx": b"old b", "c.md": b"old c"})
    staging = tmp_path / (SET_PREFIX + "killed")
    staging.mkdir()
    for name in ("b.xlsx", "c.md"):
        (staging / name).write_bytes(b"new " + name[0].encode())
    (staging / JOURNAL).write_text(json.dumps(["a.docx", "b.xlsx", "c.md"]))
    (tmp_path / "a.docx").write_bytes(b"new a")  # moved before the kill
    recover(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "a.docx": b"new a",
        "b.xlsx": b"new b",
        "c.md": b"new c",
    }


def test_a_run_killed_while_staging_is_discarded_by_the_next(tmp_path):
    write_set(tmp_path, {"a.docx": b"old a"})
    staging = tmp_path / (SET_PREFIX + "half")
    staging.mkdir()
    (staging / "a.docx").write_bytes(b"half written")
    (staging / (JOURNAL + ".part")).write_text('["a.do')
    write_set(tmp_path, {"b.md": b"other"})
    assert (tmp_path / "a.docx").read_bytes() == b"old a"
    assert _leftovers(tmp_path) == []


def test_a_damaged_journal_is_discarded(tmp_path):
    staging = tmp_path / (SET_PREFIX + "bad")
    staging.mkdir()
    (staging / "a.md").write_bytes(b"x")
    (staging / JOURNAL).write_text("{not json")
    recover(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_journal_cannot_move_files_out_of_its_folder(tmp_path):
    out = tmp_path / "out"
    staging = out / (SET_PREFIX + "evil")
    staging.mkdir(parents=True)
    (staging / "x").write_bytes(b"x")
    (staging / JOURNAL).write_text(json.dumps(["../x", "..", "", 5]))
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    """(The refusal is made by hand: the tests may run as root, whom no folder mode stops.)"""
    write_set(tmp_path, {"a.md": b"old"})

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(outputs.os, "mkdir", refuse)
    with pytest.raises(OutputError) as e:
        write_set(tmp_path, {"a.md": b"new"})
    assert "not writable" in e.value.message("en")
    assert (tmp_path / "a.md").read_bytes() == b"old"


def test_a_full_disk_is_a_clear_error_and_the_old_set_stays(tmp_path):
    """A write that fails part-way (the file-size limit stands in for a full disk)."""
    write_set(tmp_path, {"small.md": b"old small", "large.docx": b"old large"})
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        with pytest.raises(OutputError) as e:
            write_set(tmp_path, {"small.md": b"new small", "large.docx": b"x" * 5000})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert "disk full" in e.value.message("en")
    assert (tmp_path / "small.md").read_bytes() == b"old small"
    assert _leftovers(tmp_path) == []


def test_os_errors_say_what_happened(tmp_path):
    for code, words in ((errno.ENOSPC, "disk full"), (errno.EROFS, "not writable"), (errno.EIO, "cannot write")):
        assert words in outputs._os_error(OSError(code, os.strerror(code)), tmp_path).message("en")
