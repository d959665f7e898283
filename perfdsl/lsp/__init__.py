"""The language server for .perf files."""
