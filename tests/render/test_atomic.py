"""Atomic writes: the target is either the old file or the complete new one."""

from __future__ import annotations

import os
import stat

import pytest

from perfdsl import atomic
from perfdsl.atomic import atomic_write_bytes, atomic_write_text


def test_writes_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.docx"
    atomic_write_bytes(target, b"\x00\x01data")
    assert target.read_bytes() == b"\x00\x01data"
    assert os.listdir(tmp_path) == ["out.docx"]


def test_replaces_existing_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "新内容\n")
    assert target.read_text(encoding="utf-8") == "新内容\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 or os.name != "posix"


def test_text_is_utf8_without_newline_translation(tmp_path):
    target = tmp_path / "a.md"
    atomic_write_text(target, "第一行\n第二行\r\n")
    assert target.read_bytes() == "第一行\n第二行\r\n".encode()


def test_new_file_gets_normal_permissions(tmp_path):
    target = tmp_path / "new.pdf"
    atomic_write_bytes(target, b"%PDF")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~atomic._UMASK


def test_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old complete file")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old complete file"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")

    def interrupted_fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new data")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.docx"]


def test_relative_path_in_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    atomic_write_text("plain.txt", "x")
    assert (tmp_path / "plain.txt").read_text() == "x"


def test_a_name_taken_beside_the_target_is_never_written_through(tmp_path, monkeypatch):
    """The temporary file is made new (O_EXCL): a file or link already at the name drawn — by
    chance or planted to redirect the write — is left alone and another name drawn."""
    outside = tmp_path / "outside.txt"
    outside.write_text("not to be touched")
    folder = tmp_path / "out"
    folder.mkdir()
    draws = iter([b"\x01" * 6, b"\x01" * 6, b"\x02" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    planted = folder / f".report.md.{'01' * 6}.tmp"
    planted.symlink_to(outside)
    atomic_write_text(folder / "report.md", "报告\n")
    assert (folder / "report.md").read_text(encoding="utf-8") == "报告\n"
    assert outside.read_text() == "not to be touched"
    assert sorted(os.listdir(folder)) == sorted([planted.name, "report.md"])
