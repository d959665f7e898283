"""The three commands are registered with the perfdsl command line."""

import pytest

from .helpers import perfdsl


@pytest.mark.parametrize(
    "command,words",
    [
        ("diff", ["--textconv", "--format"]),
        ("watch", ["--to", "--output"]),
        ("serve", ["--port", "--host", "127.0.0.1"]),
    ],
)
def test_help(command, words):
    p = perfdsl(command, "--help")
    assert p.returncode == 0
    for w in words:
        assert w in p.stdout


def test_listed_in_the_main_help():
    out = perfdsl("--help").stdout
    for command in ("diff", "watch", "serve"):
        assert command in out
