"""Speed-ups for perfdsl's Lark parser, on Lark's own machinery. Each gives the same syntax
trees, positions and errors as Lark as it comes (tests/test_parser_speedups.py parses every
example, bad input and random text both ways), and each leaves the parser as it is when Lark's
internals are not as this code expects (lark 1.3): correct, only slower.

With them perfdsl's parse, its syntax tree built, costs about 0.58× a raw Lark parse that builds
Lark's own tree, in CPU time, on the 300-file corpus of the acceptance check (the fused loop took
it from 1.08–1.15×)."""

from __future__ import annotations

import operator
import re
from functools import partial
from typing import Any

from lark import Lark, Tree
from lark.grammar import Rule
from lark.lexer import BasicLexer, PatternStr, UnlessCallback
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders
from lark.parsers.lalr_analysis import Shift

from .ast import UNSET
from .ast import Token as ParserToken

# The builder's callback for a rule that hands its one child up unchanged (`attr: weight`): the
# fused loop reduces such a rule without a call (see FusedLoop).
PASS_THROUGH = operator.itemgetter(0)


def speed_up(lark: Lark) -> None:
    """Apply every speed-up to a parser built with perfdsl's tree builder as its transformer."""
    for speedup in SPEEDUPS:
        speedup(lark)


class WhitespaceSkippingLexer(BasicLexer):
    """Lark's lexer, skipping the whitespace before a token in one step. Lark reads whitespace as
    an ignored token like any other (a match over all the terminals, a line count, a turn of its
    loop) and a .perf file has more runs of whitespace than tokens. No terminal of the grammar
    can begin with whitespace, so skipping it first gives the same tokens, positions and errors."""

    whitespace: Any = None  # the grammar's WS pattern, compiled (its match method): set by skip_whitespace_quickly

    def next_token(self, lex_state, parser_state=None):
        text = lex_state.text  # a lark TextSlice
        line_ctr = lex_state.line_ctr
        pos = line_ctr.char_pos
        m = self.whitespace(text.text, pos, text.end)
        if m is not None:
            end = m.end()
            newlines = text.text.count("\n", pos, end)
            if newlines:
                line_ctr.line += newlines
                line_ctr.line_start_pos = text.text.rindex("\n", pos, end) + 1
            line_ctr.char_pos = end
            line_ctr.column = end - line_ctr.line_start_pos + 1
        return BasicLexer.next_token(self, lex_state, parser_state)


def skip_whitespace_quickly(lark: Lark) -> None:
    """Give the parser's contextual lexer the whitespace-skipping lexer (see above). Private Lark
    structures: if they are not as expected, Lark's own lexer stays (same result, slower)."""
    try:
        contextual = lark.parser.lexer
        lexers = [*contextual.lexers.values(), contextual.root_lexer]
        ws = next(t for t in lark.terminals if t.name == "WS")
    except (AttributeError, StopIteration):
        return
    if not all(type(x) is BasicLexer and "WS" in x.ignore_types for x in lexers):
        return
    WhitespaceSkippingLexer.whitespace = re.compile(ws.pattern.to_regexp()).match
    for x in lexers:
        x.__class__ = WhitespaceSkippingLexer


class IdentityRule(Rule):
    """A grammar rule compared by identity. The LALR loop checks each reduction's rule against
    an integer state (an assertion), which calls Rule.__eq__ in Python every time; one parser's
    rules are distinct objects, so identity is their equality."""

    __slots__ = ()
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__


def compare_rules_by_identity(lark: Lark) -> None:
    """Make the parser's rules IdentityRule and re-key its callbacks by them. Private Lark
    structures: if they are not as expected, nothing changes (same result, slower)."""
    try:
        callbacks = lark.parser.parser.parser.callbacks
    except AttributeError:
        return
    if not all(isinstance(key, str) or type(key) is Rule for key in callbacks):
        return
    items = list(callbacks.items())
    for key, _ in items:
        if type(key) is Rule:
            key.__class__ = IdentityRule
    callbacks.clear()  # the same dict (others may hold it), keys hashed anew
    callbacks.update(items)


def direct_helper_callbacks(lark: Lark) -> None:
    """Lark's helper rules (the x* of the grammar) only gather children for their parent to
    splice in. Through a Transformer each costs three Python calls; give them Lark's own tree
    builder instead, as a parser without a transformer has. Private Lark structures: if they
    are not where expected, the Transformer's path (same result, slower) stays."""
    try:
        callbacks = lark.parser.parser.parser.callbacks
        plain = lark._parse_tree_builder.create_callback(None)
    except AttributeError:
        return
    plain_rules: set[int] = set()
    for rule in list(callbacks):
        if not isinstance(rule, str) and rule.origin.name.startswith("_") and rule in plain:
            callbacks[rule] = plain[rule]
            plain_rules.add(id(rule))
    lark.plain_helper_rules = plain_rules  # type: ignore[attr-defined]  # by identity: the fused loop's repetitions


class FusedLoop:
    """Lark's contextual lexer and LALR loop in one function, on Lark's own tables: each state's
    terminal patterns (its lexer's scanner and keyword callbacks), the parse table and the
    reduction callbacks, all read from the Lark object. Lark's loop costs a handful of Python
    calls per token (lex generator, next_token, match, Token.__new__, feed_token, line counting);
    here a token is matched (with the whitespace before it, in one match), made and shifted
    inline. It is made as perfdsl's own token (syntax.ast.Token: its slots filled here, its kind
    and file given by the tree builder), not as Lark's, a str holding a copy of its text. The
    loop reads only a text the grammar accepts: at the first character or token it cannot take
    it returns FAILED, and the caller parses the text again with Lark's own loop, which reports
    and recovers from the error as always."""

    FAILED: Any = object()

    def __init__(self, lark: Lark):
        contextual = lark.parser.lexer
        parser = lark.parser.parser.parser
        table = parser.parse_table
        self.states = table.states
        self.start_state = table.start_states["start"]
        self.end_state = table.end_states["start"]
        self.callbacks = parser.callbacks
        self.token_callbacks = {k for k in parser.callbacks if isinstance(k, str)}
        # Per parser state: (compiled alternations, ignored terminals, terminals that may span
        # lines, keyword tables, other terminal callbacks) — made on the state's first token (as
        # Lark builds its scanners: a small file meets few of the states), shared between states
        # with the same lexer.
        self.state_lexers = contextual.lexers
        self.by_lexer: dict[int, tuple] = {}
        self.lexers: dict[int, tuple] = {}
        self.whitespace = WhitespaceSkippingLexer.whitespace
        # Per rule: its length, what the loop calls to reduce it (_reduction) and the nonterminal
        # it reduces to.
        builder = lark._parse_tree_builder
        plain_trees = builder.tree_class is Tree and not builder.propagate_positions and not builder.ambiguous
        plain_rules: set[int] = getattr(lark, "plain_helper_rules", set()) if plain_trees else set()
        self.rules = {
            rule: (
                len(rule.expansion),
                _reduction(rule, callback, id(rule) in plain_rules, builder.maybe_placeholders),
                rule.origin.name,
            )
            for rule, callback in parser.callbacks.items()
            if not isinstance(rule, str)
        }

    def make_every_lexer(self) -> None:
        for state in self.state_lexers:
            self.lexer(state)

    def lexer(self, state: int) -> tuple:
        lexer = self.state_lexers[state]
        made = self.by_lexer.get(id(lexer))
        if made is None:
            scanner = lexer.scanner  # built on first use: build it now, with its callbacks
            keywords, others = {}, {}
            for kind, callback in lexer.callback.items():
                words = _keywords(callback)
                if words is None:
                    others[kind] = callback
                else:
                    keywords[kind] = words
            # The whitespace before a token is matched with it, in one call: no terminal begins
            # with whitespace, so the whitespace taken is the whole run and the token the same.
            skip = f"(?:{self.whitespace.__self__.pattern})?"  # the compiled pattern's own text
            made = (
                tuple(re.compile(skip + "(?:" + mre.pattern + ")", mre.flags).match for mre in scanner._mres),
                lexer.ignore_types,
                lexer.newline_types,
                keywords,
                others,
            )
            self.by_lexer[id(lexer)] = made
        self.lexers[state] = made
        return made

    def parse(self, text: str) -> Any:
        states, lexers, rules, whitespace = self.states, self.lexers, self.rules, self.whitespace
        token_callbacks, callbacks = self.token_callbacks, self.callbacks
        new_token, token_class = object.__new__, ParserToken
        count, rindex = text.count, text.rindex
        state_stack = [self.start_state]
        value_stack: list = []
        pos, line, line_start, end = 0, 1, 0, len(text)
        end_state = self.end_state
        while True:
            state = state_stack[-1]
            matchers, ignore, multiline, keywords, lexer_callbacks = (
                lexers[state] if state in lexers else self.lexer(state)
            )
            for match in matchers:  # the whitespace before the token and the token
                m = match(text, pos)
                if m is not None:
                    break
            else:  # no token here: the end of the text (after whitespace), or a character nothing takes
                m = whitespace(text, pos)
                if (m.end() if m is not None else pos) < end:
                    return self.FAILED
                m = None
            if m is None:  # the end of the text: reduce until the start rule is complete
                kind, token = "$END", None
            else:
                kind = m.lastgroup
                value = m.group(kind)
                stop = m.end()
                start = stop - len(value)
                if start != pos:  # whitespace before the token
                    newlines = count("\n", pos, start)
                    if newlines:
                        line += newlines
                        line_start = rindex("\n", pos, start) + 1
                    pos = start
                token = new_token(token_class)  # perfdsl's own token: given its kind and file by the builder
                token.kind, token.text, token._span, token._value = kind, value, None, UNSET
                token.line, token.column = line, pos - line_start + 1
                if kind in multiline:
                    newlines = count("\n", pos, stop)
                    if newlines:
                        line += newlines
                        line_start = rindex("\n", pos, stop) + 1
                token.end_line, token.end_column = line, stop - line_start + 1
                pos = stop
                if kind in keywords:  # a name that is one of the keywords possible here
                    keyword = keywords[kind].get(value)
                    if keyword is not None:
                        token.kind = kind = keyword
                elif kind in lexer_callbacks:  # any other callback: a comment handed over (and ignored)
                    result = lexer_callbacks[kind](token)
                    if kind in ignore:
                        continue
                    token, kind = result, result.type
                elif kind in ignore:
                    continue
            while True:
                try:
                    action, arg = states[state_stack[-1]][kind]
                except KeyError:
                    return self.FAILED
                if action is Shift:
                    if token is None:  # the text ended where more was expected
                        return self.FAILED
                    state_stack.append(arg)
                    value_stack.append(callbacks[kind](token) if kind in token_callbacks else token)
                    break
                size, callback, origin = rules[arg]
                if callback is None:  # the one child is the result: only the state changes
                    del state_stack[-1]
                else:
                    if size:
                        children = value_stack[-size:]
                        del state_stack[-size:]
                        del value_stack[-size:]
                    else:
                        children = []
                    value_stack.append(callback(children))
                state_stack.append(states[state_stack[-1]][origin][1])
                if token is None and state_stack[-1] == end_state:
                    return value_stack[-1]


def _reduction(rule: Rule, callback: Any, plain_helper: bool, placeholders: bool) -> Any:
    """What the fused loop calls to reduce `rule`, given the callback Lark would call: None for a
    rule of one symbol that hands it up unchanged (PASS_THROUGH: only the state changes); for a
    helper rule given Lark's own tree builder (direct_helper_callbacks), the one-call builder of
    its repetition; for Lark's child filter, the same list made by slicing; else the callback."""
    if callback is PASS_THROUGH and len(rule.expansion) == 1:
        return None
    return (
        (plain_helper and _repetition_builder(rule, placeholders))
        or _spliced(callback, len(rule.expansion))
        or callback
    )


def _extend_repetition(children: list) -> Any:
    head, item = children
    head.children.append(item)
    return head


def _repetition_builder(rule: Rule, placeholders: bool) -> Any:
    """For the helper rules of a repetition (`__x_star: x | __x_star x`, each reduction one more
    item), a callback doing in one call what Lark's tree builder does in three: the first item
    makes the helper's tree, each further one is appended to its list — which Lark's child
    filter also reuses ("optimize for left-recursion"), wrapping it in a new tree that the
    parent then splices in. None for any rule that is not of this shape, whose children Lark
    filters or expands otherwise, or that Lark names or shapes in another way."""
    name = rule.origin.name
    options = rule.options
    if not name.startswith("_") or rule.alias or options.template_source or options.expand1:
        return None
    if placeholders and options.empty_indices:
        return None

    def kept_as_is(symbol: Any) -> bool:  # neither dropped nor spliced by Lark's child filter
        if symbol.is_term:
            return options.keep_all_tokens or not symbol.filter_out
        return not symbol.name.startswith("_")

    expansion = rule.expansion
    if len(expansion) == 1 and kept_as_is(expansion[0]):
        return partial(Tree, name)
    if len(expansion) == 2 and expansion[0] == rule.origin and kept_as_is(expansion[1]):
        return _extend_repetition
    return None


def _spliced(callback: Any, size: int) -> Any:
    """For Lark's child filter of a rule that keeps every child in order and splices in the
    children of one helper (`entry: NAME __entry_star_1`), the same list made by slicing, in one
    call; None for a filter of any other shape (one that drops children or adds placeholders)."""
    if type(callback) is not ChildFilterLALR_NoPlaceholders:
        return None
    include = list(callback.to_include)
    spliced = [i for i, to_expand in include if to_expand]
    if [i for i, _ in include] != list(range(size)) or len(spliced) != 1:
        return None
    build, k = callback.node_builder, spliced[0]
    return lambda children: build(children[:k] + children[k].children + children[k + 1 :])


def _keywords(callback: Any) -> dict[str, str] | None:
    """Lark's keyword callback (a name that spells a keyword is retyped as the keyword, by a
    match against every keyword) as the dict it amounts to, when every keyword is a plain
    string; None for any other callback."""
    if type(callback) is not UnlessCallback:
        return None
    terminals = callback.scanner.terminals
    if not all(type(t.pattern) is PatternStr and not t.pattern.flags for t in terminals):
        return None
    words: dict[str, str] = {}
    for t in terminals:  # the first that matches wins, as in Lark's scanner
        words.setdefault(t.pattern.value, t.name)
    return words


def fuse_the_loop(lark: Lark) -> None:
    """Give the parser its fused loop (see FusedLoop), used first by perfdsl's parse. Private
    Lark structures: if they are not as expected, there is none and Lark's loop parses."""
    try:
        fused = FusedLoop(lark)
        fused.lexer(fused.start_state)  # the others are made alike, when first met
    except (AttributeError, KeyError, TypeError):
        return
    if fused.whitespace is None:  # the loop skips whitespace by the pattern skip_whitespace_quickly found
        return
    lark.fused_loop = fused  # type: ignore[attr-defined]


# In this order: direct_helper_callbacks finds rules in Lark's own callback table by their
# structural hash, which compare_rules_by_identity then replaces; the fused loop reads the
# callbacks and lexers the others leave.
SPEEDUPS = (direct_helper_callbacks, compare_rules_by_identity, skip_whitespace_quickly, fuse_the_loop)
