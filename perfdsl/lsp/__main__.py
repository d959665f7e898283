"""python -m perfdsl.lsp: the language server over stdio (same as `perfdsl lsp`)."""

import sys

from perfdsl.cli.cmd_lsp import run

sys.exit(run(sys.argv[1:]))
