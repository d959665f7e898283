"""What the server loads before it answers the editor."""

from __future__ import annotations

import subprocess
import sys


def test_the_handshake_waits_for_no_checker():
    """`initialize` is answered before the checker, the parser or a feature's module is imported
    (they load on a worker thread right after, and with the first document): the server module
    itself loads none of them."""
    probe = (
        "import sys\n"
        "import perfdsl.lsp.server\n"
        "print([m for m in ('perfdsl.loader', 'perfdsl.lsp.completion', 'perfdsl.lsp.hover', 'lark') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
