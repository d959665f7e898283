"""The language server for .perf files: diagnostics, hover with the computed figures,
completion, formatting, go to definition, the outline and quick fixes. Start it with
`perfdsl lsp` (stdio); see editors/README.md for editor set-up."""


def serve(debounce: float | None = None) -> None:
    from .server import DEBOUNCE
    from .server import serve as _serve

    _serve(DEBOUNCE if debounce is None else debounce)
