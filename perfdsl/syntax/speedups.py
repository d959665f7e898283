"""Speed-ups for perfdsl's Lark parser, on Lark's own machinery. Each gives the same syntax
trees, positions and errors as Lark as it comes (tests/test_parser_speedups.py parses every
example, bad input and random text both ways), and each leaves the parser as it is when Lark's
internals are not as this code expects (lark 1.3): correct, only slower. Lark's own loop,
so sped up, parses a text with a syntax error (it reports and recovers); every other text is read
by the fused loop (fused.py), on the tables loop_tables reads from this parser.

With them perfdsl's parse, its syntax tree built, costs about 0.58× a raw Lark parse that builds
Lark's own tree, in CPU time, on the 300-file corpus of the acceptance check (the fused loop took
it from 1.08–1.15×)."""

from __future__ import annotations

import re
from typing import Any

from lark import Lark, Tree
from lark.grammar import Rule
from lark.lexer import BasicLexer, PatternStr, UnlessCallback
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders
from lark.parsers.lalr_analysis import Shift

from .fused import FORMAT, PASS_THROUGH


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


def loop_tables(lark: Lark, builder: Any, lexer_callbacks: dict[str, Any]) -> dict | None:
    """The fused loop's tables (see fused.py) read from a parser built with `builder` as its
    transformer and `lexer_callbacks`, after the other speed-ups: its parse table, each state's
    terminal patterns (its lexer's scanner and keyword callbacks) and each rule's reduction as
    Lark would make it, told by name. None when Lark's private structures are not as expected,
    or a rule or lexer is of a shape the loop does not take: Lark's loop parses then."""
    try:
        contextual = lark.parser.lexer
        parser = lark.parser.parser.parser
        table = parser.parse_table
        whitespace = WhitespaceSkippingLexer.whitespace
        if whitespace is None or any(isinstance(key, str) for key in parser.callbacks):
            return None  # no whitespace skipping, or terminals with transformer callbacks
        rules = [rule for rule in parser.callbacks if not isinstance(rule, str)]
        rule_index = {id(rule): i for i, rule in enumerate(rules)}
        described = [_rule_table(lark, builder, rule, parser.callbacks[rule]) for rule in rules]
        if None in described:
            return None
        count = len(table.states)
        if set(table.states) != set(range(count)) or set(contextual.lexers) != set(range(count)):
            return None
        states = []
        for state in range(count):
            actions = {}
            for kind, (action, arg) in table.states[state].items():
                actions[kind] = 2 * arg + 1 if action is Shift else 2 * rule_index[id(arg)]
            states.append(actions)
        skip = f"(?:{whitespace.__self__.pattern})?"  # matched with the token: no terminal begins with whitespace
        lexer_index: dict[int, int] = {}
        lexers: list[list] = []
        state_lexers: list[int] = []
        for state in range(count):
            lexer = contextual.lexers[state]
            if id(lexer) not in lexer_index:
                made = _lexer_table(lexer, skip, lexer_callbacks)
                if made is None:
                    return None
                lexer_index[id(lexer)] = len(lexers)
                lexers.append(made)
            state_lexers.append(lexer_index[id(lexer)])
        return {
            "format": FORMAT,
            "whitespace": whitespace.__self__.pattern,
            "start": table.start_states["start"],
            "end": table.end_states["start"],
            "states": states,
            "rules": described,
            "state_lexers": state_lexers,
            "lexers": lexers,
        }
    except (AttributeError, KeyError, TypeError):
        return None


def _rule_table(lark: Lark, builder: Any, rule: Rule, callback: Any) -> list | None:
    """[length, origin, how, …] for a rule (fused.py), or None for a reduction of another shape."""
    size, origin = len(rule.expansion), rule.origin.name
    name = rule.alias or rule.options.template_source or origin
    tree_builder = lark._parse_tree_builder
    plain_trees = (
        tree_builder.tree_class is Tree and not tree_builder.propagate_positions and not tree_builder.ambiguous
    )
    if callback is PASS_THROUGH and size == 1:
        return [size, origin, "pass"]
    if plain_trees and id(rule) in getattr(lark, "plain_helper_rules", ()):
        shape = _repetition_shape(rule, tree_builder.maybe_placeholders)
        return [size, origin, shape] if shape else None
    spliced = _spliced_child(callback, size)
    if spliced is not None:
        build, k = spliced
        return [size, origin, "splice", name, k] if build == getattr(builder, name, None) else None
    return [size, origin, "call", name] if callback == getattr(builder, name, None) else None


def _repetition_shape(rule: Rule, placeholders: bool) -> str | None:
    """For the helper rules of a repetition (`__x_star: x | __x_star x`, each reduction one more
    item): "first" for the rule of its first item, "next" for the rule of each further one —
    which Lark's tree builder does in three calls each, making a tree the parent then splices in
    (the fused loop gathers the items in a list). None for any rule that is not of this shape, whose children Lark
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
        return "first"
    if len(expansion) == 2 and expansion[0] == rule.origin and kept_as_is(expansion[1]):
        return "next"
    return None


def _spliced_child(callback: Any, size: int) -> tuple[Any, int] | None:
    """For Lark's child filter of a rule that keeps every child in order and splices in the
    children of one helper (`entry: NAME __entry_star_1`): what it calls and which child it
    splices; None for a filter of any other shape (one that drops children or adds placeholders)."""
    if type(callback) is not ChildFilterLALR_NoPlaceholders:
        return None
    include = list(callback.to_include)
    spliced = [i for i, to_expand in include if to_expand]
    if [i for i, _ in include] != list(range(size)) or len(spliced) != 1:
        return None
    return callback.node_builder, spliced[0]


def _lexer_table(lexer: Any, skip: str, lexer_callbacks: dict[str, Any]) -> list | None:
    scanner = lexer.scanner  # built on first use: build it now, with its callbacks
    keywords, handed_over = {}, []
    for kind, callback in lexer.callback.items():
        words = _keywords(callback)
        if words is not None:
            keywords[kind] = words
        elif callback == lexer_callbacks.get(kind) and kind in lexer.ignore_types:
            handed_over.append(kind)  # a comment: handed to its callback, then ignored
        else:
            return None
    return [
        [[skip + "(?:" + mre.pattern + ")", mre.flags] for mre in scanner._mres],
        sorted(lexer.ignore_types),
        sorted(lexer.newline_types),
        keywords,
        handed_over,
    ]


# In this order: direct_helper_callbacks finds rules in Lark's own callback table by their
# structural hash, which compare_rules_by_identity then replaces; loop_tables reads the
# callbacks and lexers the others leave.
SPEEDUPS = (direct_helper_callbacks, compare_rules_by_identity, skip_whitespace_quickly)
