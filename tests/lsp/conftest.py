"""A real `perfdsl lsp` subprocess driven through pytest-lsp's client, and helpers to wait for
the diagnostics of a given document version."""

from __future__ import annotations

import asyncio
import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.conftest import ROOT

SERVER = [sys.executable, "-m", "perfdsl.cli.main", "lsp"]


def make_client() -> LanguageClient:
    """pytest-lsp's test client, recording every publishDiagnostics (with its version)."""
    from pygls.protocol import default_converter

    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish(c: LanguageClient, params: types.PublishDiagnosticsParams):
        c.diagnostics[params.uri] = params.diagnostics
        c.published.append(params)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient):
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ROOT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ROOT.as_uri(), name="perfdsl")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def published(
    client: LanguageClient, uri: str, version: int | None = None, *, timeout: float = 10, after: int = 0
) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for `uri` (of `version`, when given) among those received
    from index `after` on; waits for it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for p in client.published[after:]:
            if p.uri == uri and (version is None or p.version == version):
                return p
        if loop.time() > deadline:
            got = [(p.uri.rsplit("/", 1)[-1], p.version) for p in client.published]
            raise AssertionError(f"no diagnostics for {uri} version {version}; received {got}")
        await asyncio.sleep(0.01)


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="perf", version=version, text=text)
        )
    )


def change_doc(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) the way an editor does."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p: types.Position) -> int:
        if p.line >= len(lines):
            return len(text)
        line = lines[p.line]
        units = 0
        for i, ch in enumerate(line):
            if units >= p.character:
                return starts[p.line] + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return starts[p.line] + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def utf8_client(lsp_client: LanguageClient):
    """A client that asks for UTF-8 positions (as Neovim and Helix may)."""
    caps = client_capabilities("visual-studio-code")
    caps.general = types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf8])
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=caps, root_uri=ROOT.as_uri(), initialization_options={"lang": "en"})
    )
    yield
    await lsp_client.shutdown_session()
