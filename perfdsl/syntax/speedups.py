"""Speed-ups for perfdsl's Lark parser, on Lark's own machinery. Each gives the same tokens,
trees, positions and errors as Lark as it comes (tests/test_parser_speedups.py parses every
example, bad input and random text both ways), and each leaves the parser as it is when Lark's
internals are not as this code expects (lark 1.3): correct, only slower.

With them perfdsl's parse, its syntax tree built, costs 1.08–1.15× a raw Lark parse that builds
Lark's own tree, in CPU time (benchmarks/bench_check.py), and 1.00× in instructions counted
under valgrind: the speed-ups pay for building perfdsl's tree."""

from __future__ import annotations

import re
from typing import Any

from lark import Lark
from lark.grammar import Rule
from lark.lexer import BasicLexer


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
    for rule in list(callbacks):
        if not isinstance(rule, str) and rule.origin.name.startswith("_") and rule in plain:
            callbacks[rule] = plain[rule]


# In this order: direct_helper_callbacks finds rules in Lark's own callback table by their
# structural hash, which compare_rules_by_identity then replaces.
SPEEDUPS = (direct_helper_callbacks, compare_rules_by_identity, skip_whitespace_quickly)
