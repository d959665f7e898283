"""The perfdsl command (perfdsl/cli/main.py and one module per command)."""

import gc

from ..engine import GC_THRESHOLDS

# A command's start allocates many objects that live as long as the process (modules, the
# grammar's tables): at the default thresholds the collector scans them again and again while
# they load. The engine freezes them once loaded (perfdsl.engine.tune_gc), with the same thresholds.
gc.set_threshold(*GC_THRESHOLDS)
