"""The perfdsl language server (pygls), over stdio.

Each open document is checked with `load()` — the same pipeline as `perfdsl check` — when it is
opened and as it changes. An edit after a quiet spell is checked at once; edits in quick
succession are checked once they pause for DEBOUNCE seconds, so a burst of typing costs one
check, not one per keystroke. Checks run on a worker thread, one document at a time, and a
result is published only if the document has not changed in the meantime.

The last analysis that produced an evaluation is kept per document: hover, the outline and go
to definition read figures from it while the text being typed does not parse."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from .analysis import Analysis, analyze, normalize, uri_to_path, with_figures

# The features' modules (completion, hover, symbols, formatting…) and the checker they read are
# imported when first used, the checker's on a worker thread as soon as `initialize` is answered
# (_warm_checker): the editor's handshake waits for none of them.

log = logging.getLogger("perfdsl.lsp")

DEBOUNCE = 0.15  # seconds


@dataclass
class DocState:
    uri: str
    path: str
    current: Analysis | None = None  # the latest analysis
    good: Analysis | None = None  # the latest analysis with an evaluation
    timer: asyncio.TimerHandle | None = None
    running: bool = False
    rerun: bool = False
    last_change: float = 0.0


class PerfLanguageServer(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE):
        super().__init__("perfdsl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = debounce
        self.lang = os.environ.get("PERFDSL_LANG", "zh")
        self.docs: dict[str, DocState] = {}
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="perfdsl-check")
        self.snippets = False
        self.warmed = False

    # ------------------------------------------------------------ helpers
    @property
    def encoding(self) -> str:
        enc = getattr(self.workspace, "position_encoding", None) or types.PositionEncodingKind.Utf16
        return enc.value if hasattr(enc, "value") else str(enc)

    def text(self, uri: str) -> tuple[str, int | None]:
        doc = self.workspace.get_text_document(uri)
        return doc.source, doc.version

    def state(self, uri: str) -> DocState:
        st = self.docs.get(uri)
        if st is None:
            st = self.docs[uri] = DocState(uri, uri_to_path(uri))
        return st

    # ------------------------------------------------------------ checking
    def schedule(self, uri: str, delay: float) -> None:
        st = self.state(uri)
        if st.timer is not None:
            st.timer.cancel()
        loop = asyncio.get_running_loop()
        st.timer = loop.call_later(delay, lambda: loop.create_task(self.check(uri)))

    async def check(self, uri: str) -> None:
        st = self.docs.get(uri)
        if st is None:
            return
        st.timer = None
        if st.running:
            st.rerun = True
            return
        st.running = True
        loop = asyncio.get_running_loop()
        try:
            while True:
                st.rerun = False
                if uri not in self.docs:
                    return
                text, version = self.text(uri)
                analysis = await loop.run_in_executor(
                    self.checker, partial(analyze, uri, text, version, encoding=self.encoding)
                )
                if uri not in self.docs:
                    return
                _, now = self.text(uri)
                st.current = analysis
                if analysis.evaluation is not None:
                    st.good = analysis
                if now == version:
                    self.publish(st, analysis)
                if not self.warmed:
                    self.warmed = True
                    self.checker.submit(_warm_up)
                if not st.rerun:
                    break
        except Exception as e:  # keep serving; the editor shows the failure in its log
            log.exception("checking %s failed", uri)
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"perfdsl: {e}"))
        finally:
            st.running = False

    def publish(self, st: DocState, analysis: Analysis) -> None:
        from .diagnostics import to_lsp

        diagnostics = to_lsp(analysis, self.lang)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=st.uri, diagnostics=diagnostics, version=analysis.version)
        )

    def changed(self, uri: str) -> None:
        st = self.state(uri)
        now = time.monotonic()
        quiet = now - st.last_change > self.debounce and not st.running and st.timer is None
        st.last_change = now
        self.schedule(uri, 0 if quiet else self.debounce)

    def recheck_includers(self, path: str) -> None:
        """A saved file may be included by open documents: check those again."""
        target = os.path.abspath(path)
        for uri, st in list(self.docs.items()):
            a = st.current
            if a is None or os.path.abspath(a.path) == target:
                continue
            if any(os.path.abspath(f) == target for f in a.loaded.files[1:]) or any(
                os.path.abspath(f) == target for f in a.loaded.texts if f != a.path
            ):
                self.schedule(uri, 0)


def build(debounce: float = DEBOUNCE) -> PerfLanguageServer:
    server = PerfLanguageServer(debounce)

    @server.feature(types.INITIALIZE)
    def initialize(ls: PerfLanguageServer, params: types.InitializeParams):
        options = params.initialization_options or {}
        if isinstance(options, dict) and options.get("lang") in ("zh", "en"):
            ls.lang = options["lang"]
        caps = params.capabilities
        ls.snippets = bool(
            caps
            and caps.text_document
            and caps.text_document.completion
            and caps.text_document.completion.completion_item
            and caps.text_document.completion.completion_item.snippet_support
        )
        ls.checker.submit(_warm_checker)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PerfLanguageServer, params: types.DidOpenTextDocumentParams):
        st = ls.state(params.text_document.uri)
        st.last_change = 0.0
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PerfLanguageServer, params: types.DidChangeTextDocumentParams):
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PerfLanguageServer, params: types.DidSaveTextDocumentParams):
        ls.recheck_includers(uri_to_path(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PerfLanguageServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        st = ls.docs.pop(uri, None)
        if st is not None and st.timer is not None:
            st.timer.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: PerfLanguageServer, params: types.DidChangeWatchedFilesParams):
        for change in params.changes:
            ls.recheck_includers(uri_to_path(change.uri))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: PerfLanguageServer, params: types.HoverParams):
        from .hover import hover

        uri = params.text_document.uri
        st = ls.state(uri)
        text, _ = ls.text(uri)
        return hover(text, params.position, st.current, st.good, ls.lang, ls.encoding)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[" ", '"', "/"], resolve_provider=False),
    )
    def on_completion(ls: PerfLanguageServer, params: types.CompletionParams):
        from .completion import complete

        uri = params.text_document.uri
        st = ls.state(uri)
        text, _ = ls.text(uri)
        return complete(
            text,
            params.position,
            st.current,
            st.good,
            path=st.path,
            lang=ls.lang,
            encoding=ls.encoding,
            snippets=ls.snippets,
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: PerfLanguageServer, params: types.DefinitionParams):
        from .definition import definition

        uri = params.text_document.uri
        st = ls.state(uri)
        text, _ = ls.text(uri)
        return definition(text, params.position, st.current, st.good, path=st.path, encoding=ls.encoding)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: PerfLanguageServer, params: types.DocumentSymbolParams):
        from .symbols import document_symbols

        uri = params.text_document.uri
        st = ls.state(uri)
        text, version = ls.text(uri)
        shape = st.current
        if shape is None or normalize(text) != shape.text:
            shape = analyze(uri, text, version, encoding=ls.encoding)
        if shape.ast is None and st.good is not None:
            shape = st.good
        fig = with_figures(shape, st.good)
        return document_symbols(shape, fig, ls.lang)

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    def on_folding(ls: PerfLanguageServer, params: types.FoldingRangeParams):
        from .symbols import folding_ranges

        text, _ = ls.text(params.text_document.uri)
        return folding_ranges(normalize(text))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(ls: PerfLanguageServer, params: types.DocumentFormattingParams):
        from .formatting import format_document

        uri = params.text_document.uri
        text, _ = ls.text(uri)
        try:
            return format_document(text, ls.state(uri).path, ls.encoding)
        except Exception:
            log.exception("formatting %s failed", uri)
            return []

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    )
    def on_code_action(ls: PerfLanguageServer, params: types.CodeActionParams):
        from .actions import code_actions

        uri = params.text_document.uri
        st = ls.state(uri)
        return code_actions(uri, params, st.current, ls.lang)

    return server


def _warm_checker() -> None:
    """Import and build what checking needs while the editor is still opening the document,
    and the features' modules."""
    from ..loader import load
    from . import completion, definition, diagnostics, formatting, hover, symbols  # noqa: F401

    load("warm-up.perf", '项目 "x" {\n  年度 2023\n}\n')


def _warm_up() -> None:
    """Build what completion and formatting use, once the first document has been checked."""
    from ..syntax.lark_parser import raw_parser

    raw_parser().parse_interactive("项目 {").exhaust_lexer()
    try:
        from .formatting import canonical

        canonical('项目 "x" {\n  年度 2023\n}\n', "warm-up.perf")
    except Exception:
        pass


def serve(debounce: float = DEBOUNCE) -> None:
    build(debounce).start_io()


__all__ = ["PerfLanguageServer", "build", "serve"]
