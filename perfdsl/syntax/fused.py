"""The fused loop: Lark's contextual lexer and LALR loop in one function, on Lark's own tables
kept as plain data — so that a text the grammar accepts is parsed without Lark itself.

Lark's loop costs a handful of Python calls per token (lex generator, next_token, match,
Token.__new__, feed_token, line counting); here a token is matched (with the whitespace before
it, in one match), made and shifted inline. And because the tables are data, a process that
parses only good files never imports Lark or loads its grammar (about 40 ms of every start): the
tables are derived from Lark's parser of the grammar once (speedups.loop_tables), kept in the
user's cache folder beside Lark's own cache, keyed by the grammar and this code, and read back
as JSON — data, never code.

The loop reads only a text the grammar accepts: at the first character or token it cannot take
it returns FAILED, and the caller parses the text again with Lark's own loop, which reports and
recovers from the error as always. tests/test_parser_speedups.py holds both to the same trees,
positions and diagnostics on every example, bad input and random text.

The tables (FORMAT 2), all names being the grammar's:
- `whitespace`: the pattern of the whitespace the grammar ignores;
- `start`, `end`: the parser's start and end states;
- `states`: for each state, each terminal or rule name that state can take → 2 × next state + 1
  (a shift, or the state a reduction goes to) or 2 × rule (a reduction by that rule): one JSON
  object a state, read as the dict the loop looks up, with nothing made after;
- `rules`: for each rule, [its length, the name it reduces to, how to build its value, …]:
  ["pass"] (a rule of one symbol handing it up: only the state changes), ["call", builder
  method], ["splice", builder method, i] (the method called on the children with the i-th, a
  repetition's list of items, spliced in), ["first"] / ["next"] (a repetition's first and
  further items);
- `state_lexers`: for each state, which of the `lexers` reads its next token;
- `lexers`: [patterns, ignored, multi-line, keywords, callbacks] — the terminal patterns of
  the state (alternations of named groups, each [pattern, flags], whitespace before the token
  included), the terminals ignored, those that may span lines, {terminal: {word: keyword}} for
  a name that spells one of the keywords possible there, and the terminals handed to a lexer
  callback (a comment)."""

from __future__ import annotations

import contextlib
import json
import operator
import os
import re
from typing import Any

from ..core.digest import sha256_hex
from .ast import UNSET
from .ast import Token as ParserToken

FORMAT = 2

# The builder's callback for a rule that hands its one child up unchanged (`attr: weight`): the
# fused loop reduces such a rule without a call.
PASS_THROUGH = operator.itemgetter(0)

# The largest tables file read back (the grammar's are about 60 KB).
_MAX_TABLES_BYTES = 8 * 1024 * 1024


def _next_item(children: list) -> list:
    """A repetition's further item (`entry*`), added to the list of those before it: the list
    its first item began (that reduction is `list`: a list of the one child, in C). Lark builds
    a throw-away tree for each; the rule that holds the repetition splices the list in."""
    items, item = children
    items.append(item)
    return items


def _no_token(text: str, pos: int) -> None:
    """The lexer of a state that reads no terminal."""
    return None


def _spliced(build: Any, k: int) -> Any:
    def spliced(children: list) -> Any:  # children: the loop's own new list, spliced in place
        children[k : k + 1] = children[k]
        return build(children)

    return spliced


class FusedLoop:
    """The loop on a set of tables (see the module's docstring), building its values with
    `builder`'s methods and handing the terminals of `lexer_callbacks` to them. Raises
    ValueError for tables that do not fit the builder or are not whole."""

    FAILED: Any = object()

    def __init__(self, tables: dict, builder: Any, lexer_callbacks: dict[str, Any]):
        try:
            self._load(tables, builder, lexer_callbacks)
        except (KeyError, TypeError, IndexError, AttributeError, re.error) as e:
            raise ValueError(f"the parser tables do not fit: {e!r}") from None

    def _load(self, tables: dict, builder: Any, lexer_callbacks: dict[str, Any]) -> None:
        if tables["format"] != FORMAT:
            raise ValueError(f"tables of format {tables['format']}, not {FORMAT}")
        rules = []
        for size, origin, how, *args in tables["rules"]:
            if how == "pass" and size == 1:
                reduction = None
            elif how == "call":
                reduction = getattr(builder, args[0])
            elif how == "splice" and 0 <= args[1] < size:
                reduction = _spliced(getattr(builder, args[0]), args[1])
            elif how == "first" and size == 1:
                reduction = list
            elif how == "next" and size == 2:
                reduction = _next_item
            else:
                raise ValueError(f"a rule built as {how!r}")
            rules.append((int(size), reduction, str(origin)))
        self.rules = rules
        self.states = states = tables["states"]
        if type(states) is not list or not all(type(actions) is dict for actions in states):
            raise ValueError("states that are not a list of actions")
        self.start_state, self.end_state = tables["start"], tables["end"]
        if not all(type(s) is int and 0 <= s < len(states) for s in (self.start_state, self.end_state)):
            raise ValueError("a start or end state out of the tables")
        self.whitespace = re.compile(tables["whitespace"]).match
        self.state_lexers = tables["state_lexers"]
        if len(self.state_lexers) != len(states):
            raise ValueError("a state without its lexer")
        self.lexer_tables = tables["lexers"]
        if len(self.lexer_tables) <= max(self.state_lexers, default=0):
            raise ValueError("a state's lexer out of the tables")
        for _, _, _, _, callbacks in self.lexer_tables:
            if not set(callbacks) <= set(lexer_callbacks):
                raise ValueError(f"terminals handed to callbacks there are not: {callbacks}")
        self.lexer_callbacks = lexer_callbacks
        self.by_lexer: dict[int, tuple] = {}
        self.lexers: dict[int, tuple] = {}

    def make_every_lexer(self) -> None:
        for state in range(len(self.states)):
            self.lexer(state)

    def lexer(self, state: int) -> tuple:
        """The state's lexer, its patterns compiled on its first token (a small file meets few
        of them), shared between the states that read the same terminals."""
        index = self.state_lexers[state]
        made = self.by_lexer.get(index)
        if made is None:
            patterns, ignore, multiline, keywords, callbacks = self.lexer_tables[index]
            matchers = [re.compile(pattern, flags).match for pattern, flags in patterns]
            made = (
                matchers[0] if matchers else _no_token,
                tuple(matchers[1:]),
                frozenset(ignore),
                frozenset(multiline),
                keywords,
                {kind: self.lexer_callbacks[kind] for kind in callbacks},
            )
            self.by_lexer[index] = made
        self.lexers[state] = made
        return made

    def parse(self, text: str) -> Any:
        """The value of the start rule, or FAILED."""
        try:
            return self._parse(text)
        except (IndexError, KeyError, TypeError, re.error):  # tables that do not hold together: Lark's loop reads it
            return self.FAILED

    def _parse(self, text: str) -> Any:
        states, lexers, rules, whitespace = self.states, self.lexers, self.rules, self.whitespace
        new_token, token_class = object.__new__, ParserToken
        state = self.start_state
        state_stack = [state]
        value_stack: list = []
        pos, line, line_start, end = 0, 1, 0, len(text)
        end_state = self.end_state
        while True:
            first_match, other_matches, ignore, multiline, keywords, lexer_callbacks = (
                lexers[state] if state in lexers else self.lexer(state)
            )
            # the whitespace before the token and the token (most states read with one pattern)
            m = first_match(text, pos)
            if m is None:
                for match in other_matches:
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
                if start != pos:  # whitespace before the token: one space between two tokens needs no count
                    if start - pos > 1 or text[pos] == "\n":
                        gap = text[pos:start]
                        if "\n" in gap:
                            line += gap.count("\n")
                            line_start = pos + gap.rindex("\n") + 1
                    pos = start
                token = new_token(token_class)  # perfdsl's own token: given its kind and file by the builder
                token.kind, token.text, token._span, token._value = kind, value, None, UNSET
                token.line, token.column = line, pos - line_start + 1
                if kind in multiline and "\n" in value:
                    line += value.count("\n")
                    line_start = pos + value.rindex("\n") + 1
                token.end_line, token.end_column = line, stop - line_start + 1
                pos = stop
                if kind in keywords:  # a name that is one of the keywords possible here
                    keyword = keywords[kind].get(value)
                    if keyword is not None:
                        token.kind = kind = keyword
                elif kind in lexer_callbacks:  # a comment handed over (and ignored)
                    lexer_callbacks[kind](token)
                    if kind in ignore:
                        continue
                elif kind in ignore:
                    continue
            while True:  # `state` is always the top of state_stack
                try:
                    action = states[state][kind]
                except KeyError:
                    return self.FAILED
                if action & 1:  # a shift
                    if token is None:  # the text ended where more was expected
                        return self.FAILED
                    state = action >> 1
                    state_stack.append(state)
                    value_stack.append(token)
                    break
                size, reduction, origin = rules[action >> 1]
                if reduction is None:  # the one child is the result: only the state changes
                    state = states[state_stack[-2]][origin] >> 1
                    state_stack[-1] = state
                else:
                    if size:
                        children = value_stack[-size:]
                        del state_stack[-size:]
                        del value_stack[-size:]
                        value_stack.append(reduction(children))
                    else:
                        value_stack.append(reduction([]))
                    state = states[state_stack[-1]][origin] >> 1
                    state_stack.append(state)
                if token is None and state == end_state:
                    return value_stack[-1]


# ---------------------------------------------------------------- kept between runs
def cache_file(kind: str, grammar: str, extra: str = "") -> str | None:
    """The file that keeps `kind` derived from `grammar` (and `extra`: the code it is derived
    by), under a key of both and the perfdsl version; None when there is no folder of the
    user's own to keep it in."""
    from .. import __version__
    from ..project import user_cache_folder

    folder = user_cache_folder()
    if not folder:
        return None
    key = sha256_hex((grammar + __version__ + kind + extra).encode())[:16]
    return os.path.join(folder, f"grammar-{kind}-{key}")


def code_of_tables() -> str:
    """The code the tables are derived by and read with (this module and speedups.py, by size
    and time, as the result cache stamps perfdsl's code): tables kept by other code are stale."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [str(FORMAT)]
    for name in ("fused.py", "speedups.py"):
        try:
            info = os.stat(os.path.join(here, name))
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(name)
    return "\n".join(parts)


def read_tables(path: str) -> dict | None:
    """The tables kept at `path`, if they are there, whole (kept behind their digest: a file cut
    short or changed is not read) and of this format."""
    from ..project import read_sealed

    body = read_sealed(path, _MAX_TABLES_BYTES)
    if body is None:
        return None
    try:
        tables = json.loads(body)
    except ValueError:
        return None
    return tables if isinstance(tables, dict) and tables.get("format") == FORMAT else None


def keep_tables(path: str, tables: dict) -> None:
    from ..atomic import atomic_write_sealed

    body = json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with contextlib.suppress(OSError):  # a full disk: the tables are made again next time
        atomic_write_sealed(path, body)
