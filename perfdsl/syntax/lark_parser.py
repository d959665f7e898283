"""Lark's own parser of the grammar, and syntax errors in the author's terms.

parser.parse reads a text the grammar accepts with the fused loop, without Lark; this module is
loaded when a text has a syntax error — Lark's loop reports each error, and recovers to find the
next — or when the fused loop's tables must be made (loop_tables: the first run after an
install or a change to the grammar)."""

from __future__ import annotations

import difflib
import re
from functools import cache

from lark import Lark
from lark import Token as LarkToken
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..core.comparators import COMPARATORS
from ..diagnostics import Diagnostic, Span
from ..resources import grammar_path
from . import ast, fused, recovery, slips
from .builder import BUILDER, COMMENTS, LEXER_CALLBACKS, LOCK, at
from .speedups import loop_tables as _tables_of
from .speedups import speed_up

MAX_SYNTAX_ERRORS = 8

# The grammar is strict — no shift/reduce conflict, no two terminals that can match the same
# text — and tests/test_parser.py builds it with these options to hold it so (Lark's strict mode
# needs interegular, a test dependency). The parsers of a run are built without them: for a
# grammar that passes they make the same tables, and Lark imported without interegular starts
# every process ~7 ms sooner (a run loads the analysed grammar from its cache and checks nothing).
STRICT_OPTIONS = {"parser": "lalr", "strict": True, "keep_all_tokens": True, "maybe_placeholders": False}


@cache
def _lark() -> Lark:
    """The parser: the tree builder run inline (no intermediate Lark tree), with the speed-ups."""
    return inline_parser(speedups=True)


def inline_parser(speedups: bool = True) -> Lark:
    """A new Lark parser building perfdsl's syntax tree as it reduces. Without `speedups` it is
    Lark as it comes: the tests check that both give the same trees, spans and errors."""
    lark = Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        strict=False,  # see STRICT_OPTIONS
        keep_all_tokens=True,
        maybe_placeholders=False,
        transformer=BUILDER,
        cache=_cache_file("inline-comments"),
        lexer_callbacks=LEXER_CALLBACKS,
    )
    if speedups:
        speed_up(lark)
    return lark


@cache
def _raw_lark() -> Lark:
    return Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        strict=False,  # see STRICT_OPTIONS
        keep_all_tokens=True,
        maybe_placeholders=False,
        cache=_cache_file("raw"),
    )


def _cache_file(kind: str) -> str | bool:
    """Where Lark keeps the analysed grammar between runs (building it takes ~0.7 s; loading it
    ~15 ms): in the user's own cache folder (project.user_cache_folder), keyed by the grammar's text
    and the perfdsl version; not kept (False) when the user has no such folder."""
    path = fused.cache_file(kind, grammar_path().read_text(encoding="utf-8"))
    return f"{path}.lark-cache" if path else False


def loop_tables() -> dict | None:
    """The fused loop's tables, read from this parser (speedups.loop_tables)."""
    return _tables_of(_lark(), BUILDER, LEXER_CALLBACKS)


@cache
def _terminal_patterns() -> dict[str, str]:
    return {t.name: t.pattern.value for t in _lark().terminals}


def raw_parser() -> Lark:
    """The plain Lark parser of the grammar, building Lark's own tree (the benchmarks' floor)."""
    return _raw_lark()


# ---------------------------------------------------------------- Lark's loop
def parse(text: str, file: str = "<text>", lark: Lark | None = None) -> tuple[ast.File | None, list[Diagnostic]]:
    """parser.parse with Lark's own loop (by default sped up: speedups.py), for a text that
    passed parser._precheck. One slip gives one diagnostic: after an error, the next is reported
    only if it lies in a later top-level item (see recovery.py)."""
    comments: list[ast.Token] = []
    errors: list[tuple[int, UnexpectedInput, Diagnostic]] = []
    lark = lark or _lark()

    def on_error(e: UnexpectedInput) -> bool:
        if len(errors) >= MAX_SYNTAX_ERRORS:
            return False
        d, stop = _describe(e, text, file)  # now: parsing on changes the state `e` points into
        errors.append((_pos(e, text), e, d))
        if stop:
            return False
        quoted = _quoted_by_mistake(e, text) if isinstance(e, UnexpectedCharacters) else None
        if quoted:
            # An unterminated string, or one in Chinese quotation marks: read it as the string the
            # author meant, so that the parser goes on as if it had been written right (without
            # it, the parser would wait for a string and trip over every token of the following
            # lines), then skip it.
            assert isinstance(e, UnexpectedCharacters)
            state = e.interactive_parser.lexer_thread.state
            assert state is not None
            _feed_string(e, quoted)
            state.line_ctr.feed(quoted)
        return True

    try:
        with LOCK:
            BUILDER.file = file
            result = _parse_with(lark, text, comments, on_error)
    except UnexpectedInput as e:  # recovery gave up
        errors.append((_pos(e, text), e, _describe(e, text, file)[0]))
        return None, _report(errors, text, file)
    if errors:
        # The layout slips (a unit apart from its number, a keyword run into its value) are
        # found on the tree; the tree the parser made around its errors still shows them, so
        # they are reported in the same run, not after the syntax errors are fixed — up to the
        # first error that misplaces what follows it (a brace left open), after which the tree
        # no longer means what the author wrote.
        reported = _report(errors, text, file)
        lines = {_where(d)[0] for d in reported}
        trusted_until = min((_where(d)[0] for d in reported if _misplaces_what_follows(d)), default=None)
        partial = ast.File(file, result, ()) if isinstance(result, tuple) else None
        more = [
            d
            for d in (slips.find(partial) if partial is not None else ())
            if _where(d)[0] not in lines and (trusted_until is None or _where(d)[0] < trusted_until)
        ]
        return None, sorted(reported + more, key=_where)
    return ast.File(file, result, tuple(comments)), []


def _where(d: Diagnostic) -> tuple[int, int]:
    return (d.span.line, d.span.column) if d.span is not None else (0, 0)


_CHINESE_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}


def _quoted_by_mistake(e: UnexpectedCharacters, text: str) -> str | None:
    """The text of a string written wrong, from its opening mark: `"…` to the end of its line
    (the closing quote forgotten), `“…”` to its closing mark (Chinese quotation marks)."""
    pos = e.pos_in_stream
    if pos is None:
        return None
    eol = text.find("\n", pos)
    eol = len(text) if eol < 0 else eol
    ch = text[pos]
    if ch == '"':
        return text[pos:eol]
    closer = _CHINESE_QUOTES.get(ch)
    if closer is None:
        return None
    end = text.find(closer, pos + 1, eol)
    return text[pos : end + 1] if end > 0 else None


def _feed_string(e: UnexpectedCharacters, rest: str) -> None:
    """Give the parser the string written wrong in `rest` as a STRING token, where a string is
    what it expects."""
    parser = e.interactive_parser
    try:
        if "STRING" not in parser.choices():
            return
    except Exception:
        return
    if e.pos_in_stream is None:
        return
    inner = rest[1:-1] if rest[-1:] in _CHINESE_QUOTES.values() else rest[1:].rstrip()
    value = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
    end = e.pos_in_stream + len(rest.rstrip())
    token = LarkToken(
        "STRING",
        value,
        start_pos=e.pos_in_stream,
        line=e.line,
        column=e.column,
        end_line=e.line,
        end_column=e.column + len(rest.rstrip()),
        end_pos=end,
    )
    try:
        parser.feed_token(token)
    except UnexpectedInput:
        return


ATTRIBUTE_KEYWORDS = [
    "分值",
    "权重",
    "实际",
    "实际完成值",
    "得分",
    "依据",
    "评分依据",
    "偏差原因",
    "改进措施",
    "指标解释",
    "评价要点",
    "指标说明",
    "公式",
    "达成度",
    "分类",
    "陈述完成率",
    "陈述得分",
    "陈述偏差率",
    "陈述总分",
    "陈述总体完成率",
    "陈述量化率",
    "陈述满分指标数",
    "监控",
    "已完成",
    "预计完成",
    "可能性",
    "经费保障",
    "制度保障",
    "人员保障",
    "硬件条件保障",
    "其他原因",
    "纠偏措施",
    "备注",
    "调整",
    "批复",
]


def _previous_word(text: str, pos: int) -> tuple[str, int | None]:
    """The word just before `pos` on the same line (skipping spaces), and where it starts."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    j = i
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    return (text[j:i], j) if j < i else ("", None)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _pos(e: UnexpectedInput, text: str) -> int:
    if isinstance(e, UnexpectedToken) and e.token.type == "$END":
        return len(text)
    return e.pos_in_stream if e.pos_in_stream is not None else len(text)


TOP_KEYWORDS = [
    "项目",
    "资金",
    "绩效目标",
    "满意度调查",
    "评价工作",
    "正文",
    "引用",
    "自评表",
    "评价指标体系",
    "绩效指标",
    "申报",
    "监控",
    "project",
    "funds",
    "goals",
    "survey",
    "work",
    "narrative",
    "include",
    "self-evaluation",
    "evaluation",
    "indicators",
    "filing",
    "monitoring",
]


def _report(errors: list[tuple[int, UnexpectedInput, Diagnostic]], text: str, file: str) -> list[Diagnostic]:
    structure = recovery.scan(text)
    unclosed = recovery.unclosed_text_block(text, structure)
    if unclosed is not None:
        line = text.count("\n", 0, unclosed) + 1
        col = unclosed - (text.rfind("\n", 0, unclosed) + 1) + 1
        return [Diagnostic("P0103", Span(file, line, col, line, col + 3))]
    out: list[Diagnostic] = []
    previous = None
    strict = False  # after a block left open, only an error in a later top-level item is another slip
    for pos, e, d in sorted(errors, key=lambda x: x[0]):
        # The parser resumes after an error by dropping the token it could not take, so a slip
        # does not echo beyond its line: an error on a later line is another slip (`实际 ＞＝
        # 10台` on one line, `12,000次` on the next), an error on the same line is the same one.
        # Not so after a brace left open, which misplaces everything after it.
        if (
            previous is not None
            and not structure.independent(previous, pos)
            and (strict or text.count("\n", 0, pos) <= text.count("\n", 0, previous))
        ):
            continue
        out.append(_first_error(e, d, pos, text, file, structure))
        previous = pos
        if out[-1].code in ("P0102", "P0103"):
            break
        strict = _misplaces_what_follows(out[-1])
    if len(errors) >= MAX_SYNTAX_ERRORS and out:
        out.append(Diagnostic("P0106", out[-1].span))
    return out


def _misplaces_what_follows(d: Diagnostic) -> bool:
    """An error after which the parser reads the rest of the file in the wrong block: a brace
    left open, an unknown block keyword, the end of the file or of a text block too soon."""
    return d.code in ("P0102", "P0103", "P0205") or "没有闭合" in str(d.args.get("hint", ""))


def _first_error(e: UnexpectedInput, d: Diagnostic, pos: int, text: str, file: str, structure) -> Diagnostic:
    """The diagnostic for an error, naming its cause when the block structure shows one."""
    word, word_pos = _previous_word(text, pos)
    if isinstance(e, UnexpectedCharacters) and text[pos] == "%" and word_pos is not None and word[-1:].isdigit():
        # "95 %": the percent sign written apart from its number
        line, col = _line_col(text, pos)
        return Diagnostic("P0107", Span(file, line, col, line, col + 1), {"name": "%", "joined": word + "%"})
    if isinstance(e, UnexpectedToken) and e.token.type in ("QUANTITY", "STRING", "TEXT") and word_pos is not None:
        wanted = difflib.get_close_matches(word, ATTRIBUTE_KEYWORDS, n=3, cutoff=0.5)
        if wanted and word not in ATTRIBUTE_KEYWORDS:
            line, col = _line_col(text, word_pos)
            return Diagnostic(
                "P0201",
                Span(file, line, col, line, col + len(word)),
                {"block": "指标", "field": word, "suggestion": "是否想写：" + "或".join(f"「{w}」" for w in wanted)},
            )
    blocks = structure.open_blocks(pos)
    if blocks:
        outer = blocks[0]
        block_name = recovery.misspelt_block(outer.name, TOP_KEYWORDS)
        if block_name and outer.name not in TOP_KEYWORDS:
            return Diagnostic(
                "P0205",
                Span(file, outer.line, 1, outer.line, 1 + len(outer.name)),
                {"name": outer.name, "suggestion": f"是否想写：「{block_name}」"},
            )
        line_start = text.rfind("\n", 0, pos) + 1
        at_line_start = not text[line_start:pos].strip()
        if d.code in ("P0101", "P0105") and at_line_start and pos - line_start == 0:
            # a new top-level item begins while a block is still open: its brace is missing
            inner = blocks[-1]
            hint = f"第{inner.line}行的「{inner.name}」块没有闭合：在它的末尾加上右花括号「}}」"
            return Diagnostic(d.code, d.span, {**d.args, "hint": hint})
    return d


def _parse_with(lark: Lark, text: str, comments: list, on_error):
    # The lexer hands every comment to COMMENTS (a lexer callback: comments are otherwise ignored).
    COMMENTS.clear()
    try:
        return lark.parse(text, on_error=on_error)
    finally:
        file = BUILDER.file
        comments.extend([at("COMMENT", t, file) for t in COMMENTS])


# ---------------------------------------------------------------- errors in the author's terms
def _describe(e: UnexpectedInput, text: str, file: str) -> tuple[Diagnostic, bool]:
    """The Diagnostic for a Lark error, and whether parsing should stop there."""
    if isinstance(e, UnexpectedCharacters):
        pos = e.pos_in_stream or 0
        span = Span.point(file, e.line, e.column)
        ch = text[pos]
        if text.startswith('"""', pos):
            return Diagnostic("P0103", span), True
        if ch == '"':
            return Diagnostic("P0104", span), False
        separated = _thousands(text, pos)
        if separated is not None:
            start, end = separated
            written = text[start:end]
            line, col = _line_col(text, start)
            joined = re.sub(r"(?<=\d)[,，](?=\d)", "", written)
            return Diagnostic(
                "P0109", Span(file, line, col, line, col + len(written)), {"written": written, "joined": joined}
            ), False
        shown = "全角空格" if ch == "\u3000" else ch
        return Diagnostic("P0105", span, {"char": shown, "hint": _char_hint(ch, text[pos + 1 : pos + 2])}), False
    assert isinstance(e, UnexpectedToken)
    tok = e.token
    expected = _expected_text(_acceptable(e))
    if tok.type == "$END":
        line = text.count("\n") + 1
        col = len(text) - (text.rfind("\n") + 1) + 1
        return Diagnostic(
            "P0102",
            Span.point(file, line, col),
            {"expected": expected, "expected_en": _expected_text(_acceptable(e), "en")},
        ), True
    span = Span(file, tok.line, tok.column, tok.end_line or tok.line, tok.end_column or tok.column + 1)
    return Diagnostic(
        "P0101",
        span,
        {
            "found": _found_text(tok),
            "expected": expected,
            "found_en": _found_text(tok, "en"),
            "expected_en": _expected_text(_acceptable(e), "en"),
            "hint": _token_hint(tok, e, text),
        },
    ), False


_DESCRIPTIONS = {
    "NAME": ("名称", "a name"),
    "STRING": ("带引号的文字", "a quoted string"),
    "TEXT": ('文本块 """…"""', 'a text block """…"""'),
    "QUANTITY": ("数值（如 285万条、95%）", "a number (285万条, 95%)"),
    "DATE": ("日期（如 2024-04-12）", "a date (2024-04-12)"),
    "LBRACE": ("「{」", "'{'"),
    "RBRACE": ("「}」", "'}'"),
    "$END": ("文件结尾", "end of file"),
}

_COMPARATOR_WORDS = set(COMPARATORS)


def _expected_text(names, lang: str = "zh") -> str:
    i = 0 if lang == "zh" else 1
    patterns = _terminal_patterns()
    words, keywords = [], []
    has_comparator = False
    for n in sorted(names):
        if n in _DESCRIPTIONS:
            words.append(_DESCRIPTIONS[n][i])
            continue
        p = patterns.get(n, n)
        if p in _COMPARATOR_WORDS:
            has_comparator = True
        elif re.search(r"[\u4e00-\u9fff]", p):
            keywords.append(p)
    if has_comparator:
        words.insert(0, ("比较符（≥、≤、=…）或「定性」", "a comparator (≥, ≤, = …) or 定性")[i])
    keywords.sort(key=lambda k: (len(k), k))
    shown = [f"「{k}」" for k in keywords[:8]] + (["…"] if len(keywords) > 8 else [])
    if shown:
        parts = words + [("关键字" + "、".join(shown)) if i == 0 else ("a keyword " + " ".join(shown))]
    else:
        parts = words
    return ("、" if i == 0 else ", ").join(parts) if parts else ("其他内容", "something else")[i]


def _acceptable(e: UnexpectedToken) -> set[str]:
    """The terminals acceptable where the error is. Lark's `accepts` keeps only upper-case
    terminal names, and the Chinese keywords are named by themselves: add those back."""
    accepts = set(e.accepts or e.expected or ())
    try:
        choices = e.interactive_parser.choices()
    except Exception:
        return accepts
    terminals = _terminal_patterns()
    return accepts | {t for t in choices if t in terminals and not t.isupper()}


def _found_text(tok: LarkToken, lang: str = "zh") -> str:
    i = 0 if lang == "zh" else 1
    if tok.type in ("LBRACE", "RBRACE"):
        return _DESCRIPTIONS[tok.type][i]
    kind = _DESCRIPTIONS.get(tok.type, ("关键字", "keyword"))[i]
    text = str(tok)
    if len(text) > 24:
        text = text[:24] + "…"
    return f"{kind}「{text}」" if i == 0 else f"{kind} '{text}'"


def _token_hint(tok: LarkToken, e: UnexpectedToken, text: str) -> str:
    value = str(tok)
    patterns = _terminal_patterns()
    keywords = [patterns[n] for n in _acceptable(e) if n in patterns and re.search(r"[\u4e00-\u9fff]", patterns[n])]
    if tok.type == "NAME":
        for kw in sorted(keywords, key=len, reverse=True):
            if value.startswith(kw) and value != kw:
                return f"关键字「{kw}」之后须留一个空格"
        before = text[: tok.start_pos].rstrip(" \t")
        if before and (before[-1].isdigit() or before[-1] == "%") and len(value) <= 4:
            return "单位须紧跟数字书写，中间不留空格，如 285万条"
        if "QUANTITY" in _acceptable(e):
            return "此处应填写数值"
    if tok.type == "RBRACE":
        return "多余的右花括号「}」，或上面缺少与它配对的「{」；也可能是上一行没有写完整"
    if tok.type == "LBRACE":
        return "「{」之前应有名称"
    return "参照 perfdsl new 生成的示例文件书写"


_FULL_WIDTH = {
    "＞": "≥ 或 >",
    "＜": "≤ 或 <",
    "≧": "≥",
    "≦": "≤",
    "＋": "+",
    "％": "%",
    "｛": "{",
    "｝": "}",
    "＂": '"',
}


_NUMBER_WITH_SEPARATORS = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?[^\s\d,，]*")


def _thousands(text: str, pos: int) -> tuple[int, int] | None:
    """Where a number written with thousands separators (1,000万元, 12，000次) lies, when the
    unexpected character at `pos` is one of its separators."""
    if text[pos] not in ",，" or not (pos > 0 and text[pos - 1].isdigit() and text[pos + 1 : pos + 2].isdigit()):
        return None
    start = pos
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ",，"):
        start -= 1
    m = _NUMBER_WITH_SEPARATORS.match(text, start)
    return (m.start(), m.end()) if m else None


def _char_hint(ch: str, following: str = "") -> str:
    if ch == "\u3000":
        return "这是全角空格：请改用半角空格"
    if ch in "＞＜" and following == "＝":
        return f"「{ch}＝」是全角符号：请改用 {'≥ 或 >=' if ch == '＞' else '≤ 或 <='}（比较符也可写作 大于等于、小于等于）"
    if ch in _FULL_WIDTH:
        return f"这是全角符号：请改用 {_FULL_WIDTH[ch]}（比较符写作 ≥、≤、=、>=、<= 或 大于等于 等）"
    if ch == "%":
        return "百分号须紧跟数字书写，如 95%"
    if ch in "“”‘’「」":
        return '文字请用英文双引号 " 括起'
    if ch in ":：":
        return "字段名与值之间用空格分隔，不需要冒号"
    if ch in "?？":
        return "此处应填写数值或文字"
    if ch in "}{":
        return "花括号不配对"
    return "删除该字符，或把含有它的文字放在引号中"
