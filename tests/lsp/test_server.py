"""End to end: the real `perfdsl lsp` as a subprocess, driven through an LSP client."""

from __future__ import annotations

import asyncio
import importlib.util
import re
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED_000
from tests.lsp.conftest import apply_edits, change_doc, open_doc, published, utf16

pytestmark = pytest.mark.asyncio

SEED_TEXT = SEED_000.read_text(encoding="utf-8")
SEED_URI = SEED_000.as_uri()


def line_of(text: str, *parts: str) -> int:
    """The first line holding every part (a space in a part matches any run of spaces, so that the
    examples' column alignment does not matter)."""
    patterns = [re.compile(re.escape(p).replace("\\ ", r"\s+")) for p in parts]
    return next(i for i, line in enumerate(text.split("\n")) if all(p.search(line) for p in patterns))


def errors(params: types.PublishDiagnosticsParams) -> list[types.Diagnostic]:
    return [d for d in params.diagnostics if d.severity == types.DiagnosticSeverity.Error]


async def test_capabilities(client: LanguageClient):
    caps = client.init_result.capabilities
    for cap in (
        "hover_provider",
        "completion_provider",
        "document_formatting_provider",
        "definition_provider",
        "document_symbol_provider",
        "code_action_provider",
        "folding_range_provider",
    ):
        assert getattr(caps, cap), cap
    assert caps.position_encoding in (None, types.PositionEncodingKind.Utf16)


async def test_seed_opens_without_errors(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    p = await published(client, SEED_URI, 1)
    assert errors(p) == []
    assert p.diagnostics, "the seed has warnings (F0101, S0103, A0104)"
    f0101 = next(d for d in p.diagnostics if d.code == "F0101")
    assert f0101.range.start.line == line_of(SEED_TEXT, '支出 "保障热线服务费用"')
    assert f0101.source == "perfdsl" and "226.54万元" in f0101.message


async def test_error_after_chinese_and_non_bmp_text(tmp_path: Path, client: LanguageClient):
    # 𠀀 (U+20000) is two UTF-16 code units; the Chinese characters around it are one each.
    line = '  实施单位 "𠀀𠀀单位" ？'
    text = f'项目 "测试" {{\n  年度 2023\n{line}\n}}\n'
    uri = (tmp_path / "bad.perf").as_uri()
    open_doc(client, uri, text)
    p = await published(client, uri, 1)
    (err,) = [d for d in errors(p) if d.code == "P0105"]
    col = line.index("？")
    assert err.range.start == types.Position(line=2, character=utf16(line[:col]))
    assert err.range.start.character == col + 2  # two astral characters → two extra units
    assert err.range.end == types.Position(line=2, character=utf16(line[: col + 1]))
    assert "？" in err.message


async def test_error_on_the_seed_line_with_chinese_before_it(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    lines = SEED_TEXT.split("\n")
    row = line_of(SEED_TEXT, "发送短信", "61.99")
    lines[row] += " ??? }}"
    change_doc(client, SEED_URI, "\n".join(lines), 2)
    p = await published(client, SEED_URI, 2)
    first = min(errors(p), key=lambda d: (d.range.start.line, d.range.start.character))
    assert first.range.start == types.Position(line=row, character=utf16(lines[row][: lines[row].index("???")]))


async def test_hover_on_an_indicator_of_the_seed(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    row = line_of(SEED_TEXT, "发送短信", "61.99")
    col = SEED_TEXT.split("\n")[row].index("发送短信") + 1
    h = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI), position=types.Position(line=row, character=col)
        )
    )
    text = h.contents.value
    assert "21.75%" in text and "0.65" in text
    assert "实际/目标 = 61.99万条/285万条" in text  # the completion formula
    assert "得分 = 3 × 21.75% = 0.65" in text  # how the score was made
    assert h.range.start.line == row


async def test_hover_on_a_fund_line_and_a_group(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    row = line_of(SEED_TEXT, "全年执行数 226.54万元")
    h = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI), position=types.Position(line=row, character=4)
        )
    )
    assert "94.79%" in h.contents.value and "到位率" in h.contents.value
    assert "（226.54/239）×100% = 94.79%" in h.contents.value
    row = line_of(SEED_TEXT, "数量 权重 15")
    h = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI), position=types.Position(line=row, character=5)
        )
    )
    assert "12.65" in h.contents.value and "15" in h.contents.value


async def test_hover_keeps_the_last_good_analysis_while_broken(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    broken = re.sub(r"评价指标体系\s*\{", "评价指标体系 {{ ??", SEED_TEXT, count=1)
    change_doc(client, SEED_URI, broken, 2)
    assert errors(await published(client, SEED_URI, 2))
    lines = broken.split("\n")
    row = next(i for i, line in enumerate(lines) if "发送短信" in line and "61.99" in line)
    h = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI),
            position=types.Position(line=row, character=lines[row].index("发送短信") + 2),
        )
    )
    assert h is not None and "21.75%" in h.contents.value and "0.65" in h.contents.value


async def test_completion_after_a_comparator_and_number_offers_units(client: LanguageClient):
    lines = SEED_TEXT.split("\n")
    row = line_of(SEED_TEXT, "发送短信", "61.99") + 1
    new = "      𠀀新增指标 ≥ 12"
    lines.insert(row, new)
    text = "\n".join(lines)
    open_doc(client, SEED_URI, text)
    await published(client, SEED_URI, 1)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI),
            position=types.Position(line=row, character=utf16(new)),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    labels = [i.label for i in items]
    for unit in ("万条", "次", "%", "万元", "人"):
        assert unit in labels, labels
    unit_item = next(i for i in items if i.label == "万条")
    assert unit_item.text_edit.range.start == types.Position(line=row, character=utf16(new))
    assert apply_edits(text, [unit_item.text_edit]).split("\n")[row] == new + "万条"


async def test_completion_offers_keywords_chinese_first(client: LanguageClient):
    text = '项目 "x" {\n  年度 2023\n}\n自评表 {\n  产出 {\n    数量 {\n      采购设备数量 \n    }\n  }\n}\n'
    uri = SEED_000.with_name("completion-probe.perf").as_uri()
    open_doc(client, uri, text)
    await published(client, uri, 1)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=6, character=13)
        )
    )
    items = sorted(result.items, key=lambda i: i.sort_text)
    labels = [i.label for i in items]
    assert "≥" in labels and "定性" in labels and "实际" in labels
    assert labels.index("定性") < labels.index("qualitative")
    assert labels.index("实际") < labels.index("actual")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=4)
        )
    )
    assert "质量" in [i.label for i in result.items]  # the standard 二级 names under 产出


async def test_formatting(client: LanguageClient):
    text = re.sub(r"\n\s*年度\s+2023", "\n      年度    2023", SEED_TEXT, count=1)
    assert text != SEED_TEXT
    open_doc(client, SEED_URI, text)
    await published(client, SEED_URI, 1)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    if importlib.util.find_spec("perfdsl.syntax.format") is None:
        assert not edits  # no formatter yet: nothing to do, and no error
        return
    from perfdsl.syntax.format import format_text

    canonical, _ = format_text(text, str(SEED_000))
    assert canonical is not None
    assert apply_edits(text, edits or []) == canonical


async def test_a_burst_of_changes_leaves_the_server_alive_and_right(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    start = len(client.published)
    version = 1
    for k in range(50):
        version += 1
        change_doc(client, SEED_URI, SEED_TEXT + ("\n" if k % 2 else ""), version)
    lines = SEED_TEXT.split("\n")
    row = line_of(SEED_TEXT, "发送短信", "61.99")
    lines[row] = lines[row].replace("61.99万条", "61.99 万条")  # P0107: the unit written apart
    version += 1
    change_doc(client, SEED_URI, "\n".join(lines), version)
    p = await published(client, SEED_URI, version, after=start)
    (err,) = [d for d in errors(p) if d.code == "P0107"]
    assert err.range.start.line == row
    assert err.range.start.character == utf16(lines[row][: lines[row].index("61.99 万条") + len("61.99 ")])
    assert len(client.published) - start < 10, "the burst was checked once or twice, not 51 times"
    assert not client._server or client._server.returncode is None
    # still answering
    h = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI), position=types.Position(line=row, character=8)
        )
    )
    assert h is not None and "发送短信" in h.contents.value and "61.99" in h.contents.value


async def test_definition_of_an_include(tmp_path: Path, client: LanguageClient):
    (tmp_path / "common").mkdir()
    part = tmp_path / "common" / "制度.perf"
    part.write_text('正文 "评价方法" """\n比较法。\n"""\n', encoding="utf-8")
    main = tmp_path / "main.perf"
    text = '项目 "测试" {\n  年度 2023\n}\n\n引用 "common/制度.perf"\n'
    main.write_text(text, encoding="utf-8")
    open_doc(client, main.as_uri(), text)
    p = await published(client, main.as_uri(), 1)
    assert not errors(p)
    locs = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()), position=types.Position(line=4, character=6)
        )
    )
    assert [loc.uri for loc in locs] == [part.as_uri()]


async def test_definition_of_a_formula_indicator(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    row = line_of(SEED_TEXT, "预算执行率 权重 5")
    locs = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=SEED_URI), position=types.Position(line=row, character=8)
        )
    )
    (loc,) = locs
    assert loc.uri == SEED_URI
    assert loc.range.start.line == line_of(SEED_TEXT, "全年执行数 226.54万元")  # 预算执行率 = 全年执行数 / 到位资金


async def test_document_symbols_outline_with_scores(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=SEED_URI))
    )
    names = [s.name for s in symbols]
    assert "项目" in names and "资金" in names and "评价指标体系" in names
    tree = next(s for s in symbols if s.name == "评价指标体系")
    assert "96.39" in tree.detail
    output = next(s for s in tree.children if s.name == "产出")
    quantity = next(s for s in output.children if s.name == "数量")
    sms = next(s for s in quantity.children if s.name == "发送短信")
    assert "0.65" in sms.detail and "21.75%" in sms.detail
    assert sms.selection_range.start.line == line_of(SEED_TEXT, "发送短信", "61.99")
    funds = next(s for s in symbols if s.name == "资金")
    assert "94.79%" in funds.detail


async def test_quick_fixes(tmp_path: Path, client: LanguageClient):
    text = (
        '项目 "测试" {\n  年度 2023\n}\n资金 {\n  全年预算 239万元\n  全年预算数 239万元\n  全年执行数 200万元\n}\n'
        "自评表 {\n  产出 {\n    成本 {\n      𠀀光纤费成本 ≥ 5万元 实际 2.54万元 分值 50\n"
        "      发送短信 ≤ 285 万条 实际61.99万条 分值 40\n    }\n  }\n}\n"
    )
    uri = (tmp_path / "fix.perf").as_uri()
    open_doc(client, uri, text)
    p = await published(client, uri, 1)
    chosen = []
    for code in ("P0201", "I0103", "P0107", "P0108"):
        diag = next(d for d in p.diagnostics if d.code == code)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag]),
            )
        )
        assert actions, code
        preferred = next(a for a in actions if a.is_preferred)
        chosen += preferred.edit.changes[uri]
        if code == "P0201":
            assert preferred.title.endswith("「全年预算数」")
    fixed = apply_edits(text, chosen)  # the fixes of one version apply together
    assert fixed.split("\n")[4] == "  全年预算数 239万元"
    assert "𠀀光纤费成本 ≤ 5万元" in fixed
    assert "发送短信 ≤ 285万条 实际 61.99万条" in fixed


async def test_folding_and_close(client: LanguageClient):
    open_doc(client, SEED_URI, SEED_TEXT)
    await published(client, SEED_URI, 1)
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=SEED_URI))
    )
    starts = {r.start_line for r in ranges}
    assert line_of(SEED_TEXT, "评价指标体系 {") in starts and line_of(SEED_TEXT, "总体目标") in starts
    start = len(client.published)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=SEED_URI))
    )
    p = await published(client, SEED_URI, after=start)
    assert list(p.diagnostics) == []


async def test_half_typed_text_never_breaks_the_server(client: LanguageClient):
    uri = SEED_000.with_name("typing.perf").as_uri()
    open_doc(client, uri, "")
    await published(client, uri, 1)
    version = 1
    typed = SEED_TEXT[:4000]
    for cut in range(0, len(typed), 97):
        version += 1
        change_doc(client, uri, typed[:cut], version)
        pos = types.Position(line=typed[:cut].count("\n"), character=utf16(typed[:cut].rsplit("\n", 1)[-1]))
        ident = types.TextDocumentIdentifier(uri=uri)
        await client.text_document_completion_async(types.CompletionParams(text_document=ident, position=pos))
        await client.text_document_hover_async(types.HoverParams(text_document=ident, position=pos))
    await asyncio.sleep(0.3)
    p = await published(client, uri, version)
    assert p is not None
    assert not client._server or client._server.returncode is None


async def test_utf8_positions_and_english(tmp_path: Path, utf8_client: LanguageClient):
    client = utf8_client
    assert client.init_result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    line = '  实施单位 "𠀀单位" ？'
    text = f'项目 "测试" {{\n  年度 2023\n{line}\n}}\n'
    uri = (tmp_path / "utf8.perf").as_uri()
    open_doc(client, uri, text)
    p = await published(client, uri, 1)
    (err,) = [d for d in errors(p) if d.code == "P0105"]
    assert err.range.start == types.Position(line=2, character=len(line[: line.index("？")].encode("utf-8")))
    assert "unexpected character" in err.message


async def test_a_problem_in_an_included_file_shows_on_the_include(tmp_path: Path, client: LanguageClient):
    part = tmp_path / "part.perf"
    part.write_text('正文 "评价方法" """\n比较法。\n"""\n正文 "评价方法" ？\n', encoding="utf-8")
    text = '项目 "测试" {\n  年度 2023\n}\n引用 "part.perf"\n'
    main = tmp_path / "main.perf"
    main.write_text(text, encoding="utf-8")
    open_doc(client, main.as_uri(), text)
    p = await published(client, main.as_uri(), 1)
    (err,) = [d for d in errors(p) if d.code == "P0105"]
    assert err.range.start.line == 3  # the 引用 line
    assert "part.perf:4:" in err.message
    (related,) = err.related_information
    assert related.location.uri == part.as_uri() and related.location.range.start.line == 3
