"""Parsing the filter language into a checked syntax tree; filters.py compiles the tree to SQL.

>>> parse_filter("tags.x = 'y'")
Comparison(field=Field(kind='tag', name='x'), op='=', values=('y',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, NamedTuple, NoReturn

from ..errors import FilterError

__all__ = [
    "ATTRIBUTES",
    "DATASET_COLUMNS",
    "And",
    "Comparison",
    "Field",
    "Node",
    "Not",
    "Or",
    "parse_filter",
]

Value = str | int | float


@dataclass(frozen=True)
class Field:
    """A run's field: `kind` is param, metric, tag or attribute (attributes by canonical name)."""

    kind: str
    name: str


@dataclass(frozen=True)
class Comparison:
    """`field op values`; op: = != < <= > >=, [NOT] LIKE, [NOT] ILIKE, [NOT] IN, IS [NOT] NULL."""

    field: Field
    op: str
    values: tuple[Value, ...] = ()


@dataclass(frozen=True)
class And:
    """All operands hold."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one operand holds."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The operand does not hold (a comparison with a missing field stays unknown, as in SQL)."""

    operand: Node


Node = Comparison | And | Or | Not

_PREFIXES = {
    "params": "param", "param": "param", "parameters": "param", "metrics": "metric",
    "metric": "metric", "tags": "tag", "tag": "tag", "attributes": "attribute",
    "attribute": "attribute", "attr": "attribute", "run": "attribute", "datasets": "dataset",
    "dataset": "dataset",
}  # fmt: skip
DATASET_COLUMNS = {"name": "d.name", "digest": "d.fingerprint", "context": "d.context"}
# Value types: "any" takes numbers (compared as numbers) and strings (compared with the text form);
# "text" takes strings, "number" numbers, "time" numbers or ISO dates.
_KIND_TYPES = {"param": "any", "metric": "number", "tag": "text", "dataset": "text"}
ATTRIBUTES = {
    "status": ("r.status", "text"), "name": ("r.name", "text"), "number": ("r.id", "any"),
    "uuid": ("r.uuid", "text"), "experiment": ("e.name", "text"),
    "notebook": ("r.notebook", "text"), "hypothesis": ("r.hypothesis_id", "any"),
    "parent": ("r.parent_id", "any"),
    # Times compare in epoch milliseconds, as MLflow's do (rounded as `labtrack push` rounds them).
    "start_time": ("round(r.start_time * 1000)", "time"),
    "end_time": ("round(r.end_time * 1000)", "time"),
    # Kept in MLflow's own tags by `labtrack import` (and by MLflow clients that log them).
    "user_id": ("(SELECT value FROM tags WHERE run_id = r.id AND key = 'mlflow.user')", "text"),
    "artifact_uri": (
        "(SELECT value FROM tags WHERE run_id = r.id AND key = 'mlflow.artifact_uri')", "text"),
    "duration": ("(COALESCE(r.end_time, r.heartbeat, r.start_time) - r.start_time)", "number"),
}  # fmt: skip
_ALIASES = {"run_name": "name", "run name": "name", "id": "number", "run_id": "uuid",
            "hypothesis_id": "hypothesis", "start": "start_time", "created": "start_time",
            "end": "end_time"}  # fmt: skip
# MLflow's run statuses, by labtrack's names (SCHEDULED has none: it matches no run).
_MLFLOW_STATUS = {"killed": "interrupted"}
_KEYWORDS = {"and", "or", "not", "like", "ilike", "in", "is", "null", "true", "false"}
# SQLite before 3.46 has a fixed parser stack and a 1,000-deep expression tree: keep the SQL within.
_MAX_DEPTH = 10  # parentheses and NOTs
_MAX_COMPARISONS = 500
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<field>(?:[A-Za-z_][A-Za-z0-9_]*|`[A-Za-z_]+`)\.)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<name>`)"
    r"|(?P<number>[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<op>==|!=|<>|<=|>=|=|<|>)|(?P<punct>[(),])|(?P<string>['\"])"
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
_WORD_TAIL = re.compile(r"[\w.]*")


class _Token(NamedTuple):
    kind: str  # field, word, number, string, op, "(", ")", ",", end
    value: Any
    start: int
    end: int


def parse_filter(text: str | None) -> Node | None:
    """Parse a filter into its checked syntax tree; None for a blank filter.

    >>> parse_filter("tags.x = 'y'")
    Comparison(field=Field(kind='tag', name='x'), op='=', values=('y',))
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise FilterError(f"a filter must be text, not {type(text).__name__}")
    return _Parser(text).parse() if text.strip() else None


def _read_quoted(text: str, start: int, what: str) -> tuple[str, int]:
    """Read the quoted string or name at `start`; a doubled quote or a backslash before it stands for
    the quote, every other backslash is literal (as in MLflow: 'C:\\new\\table' is what it says)."""
    quote, out, i = text[start], [], start + 1
    while i < len(text):
        escaped = text[i] == "\\" and i + 2 < len(text)  # a backslash that ends the text is literal
        if text[i] in (quote, "\\" if escaped else quote) and text[i + 1 : i + 2] == quote:
            out.append(quote)
            i += 1
        elif text[i] == quote:
            return "".join(out), i + 1
        else:
            out.append(text[i])
        i += 1
    raise FilterError(f"unterminated {what}", text, start)


def _number(raw: str) -> int | float:
    if len(raw) <= 20 and not re.search("[.eE]", raw) and -(2**63) <= int(raw) < 2**63:
        return int(raw)
    return float(raw)  # beyond SQLite's integers; never int() of thousands of digits


def _tokenize(text: str) -> list[_Token]:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FilterError("invalid character (a lone surrogate)", text, exc.start) from None
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if (m := _TOKEN.match(text, pos)) is None:
            glued = bool(tokens) and tokens[-1].kind == "field" and tokens[-1].end == pos
            hint = " (quote names with other characters: params.`my-name`)" if glued else ""
            raise FilterError(f"unexpected character {text[pos]!r}{hint}", text, pos)
        kind, value, end = m.lastgroup or "", m.group(), m.end()
        if kind == "string":
            value, end = _read_quoted(text, pos, "string")
        elif kind == "name":  # a bare quoted attribute, as MLflow allows: `Run name` = 'x'
            value, end = _read_quoted(text, pos, "quoted name")
        elif kind == "field":
            value = value[:-1].strip("`") + "."  # `metric`.acc, as MLflow allows
            if text[end : end + 1] in ("`", '"'):
                name, end = _read_quoted(text, end, "quoted name")
            elif named := _NAME.match(text, end):
                name, end = named.group(), named.end()
            else:
                raise FilterError(f"expected a name after {value!r}", text, end)
            value = (value[:-1], name)
        elif kind == "number":
            if (bad := _WORD_TAIL.match(text, end).end()) > end:  # type: ignore[union-attr]
                raise FilterError(f"malformed number {text[pos:bad]!r}", text, pos)
            value = _number(value)
        if kind != "space":
            tokens.append(_Token(value if kind == "punct" else kind, value, pos, end))
        pos = end
    return [*tokens, _Token("end", None, len(text), len(text))]


class _Parser:
    """Recursive descent: junction(OR) -> junction(AND) -> not_ -> primary -> comparison."""

    def __init__(self, text: str):
        self.text, self.tokens = text, _tokenize(text)
        self.i = self.depth = self.count = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def fail(self, message: str, token: _Token) -> NoReturn:
        raise FilterError(message, self.text, token.start)

    def expected(self, what: str, token: _Token) -> NoReturn:
        found = self.text[token.start : token.end]
        found = (
            repr(found if len(found) <= 30 else found[:27] + "...")
            if found
            else "the end of the filter"
        )
        self.fail(f"expected {what}, found {found}", token)

    @staticmethod
    def word(token: _Token) -> str:
        return token.value.lower() if token.kind == "word" else ""

    def nest(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            self.fail(f"too deeply nested (at most {_MAX_DEPTH} parentheses and NOTs)", token)

    def parse(self) -> Node:
        node = self.junction("or")
        if (token := self.peek()).kind == ")":
            self.fail("unexpected ')' with no matching '('", token)
        if token.kind != "end":
            self.expected("AND, OR or the end of the filter", token)
        return node

    def junction(self, word: str) -> Node:
        """`a OR b ...` when word is "or", of AND junctions; `a AND b ...` of NOTs."""
        operand = (lambda: self.junction("and")) if word == "or" else self.not_
        parts = [operand()]
        while self.word(self.peek()) == word:
            self.take()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else (Or if word == "or" else And)(tuple(parts))

    def not_(self) -> Node:
        if self.word(self.peek()) != "not":
            return self.primary()
        self.nest(self.take())
        node = Not(self.not_())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        if (opening := self.peek()).kind != "(":
            return self.comparison()
        self.nest(self.take())
        node = self.junction("or")
        if (closing := self.take()).kind == "end":
            self.fail("unclosed parenthesis", opening)
        if closing.kind != ")":
            self.expected("')', AND or OR", closing)
        self.depth -= 1
        return node

    def field(self) -> tuple[Field, str]:
        token = self.take()
        if token.kind == "field":
            prefix, name = token.value
            if (kind := _PREFIXES.get(prefix.lower())) is None:
                uses = "use params., metrics., tags., attributes. or datasets."
                self.fail(f"unknown field prefix {prefix!r} ({uses})", token)
            if kind == "attribute":
                name = self.attribute(name, token, "")
            if kind == "dataset" and name.lower() not in DATASET_COLUMNS:
                valid = ", ".join(DATASET_COLUMNS)
                self.fail(f"unknown dataset field {name!r} (valid: {valid})", token)
            name = name.lower() if kind == "dataset" else name
            return Field(kind, name), self.text[token.start : token.end]
        if token.kind == "name":
            return Field("attribute", self.attribute(token.value, token, "")), token.value
        if token.kind == "word" and self.word(token) not in _KEYWORDS:
            name = token.value
            hint = f"; for a param, metric or tag: params.{name}, metrics.{name} or tags.{name}"
            return Field("attribute", self.attribute(name, token, hint)), name
        self.expected("a field such as metrics.acc, params.lr or status", token)

    def attribute(self, name: str, token: _Token, hint: str) -> str:
        canonical = _ALIASES.get(name.lower(), name.lower())
        if canonical not in ATTRIBUTES:
            valid = ", ".join(sorted([*ATTRIBUTES, *_ALIASES]))
            self.fail(f"unknown attribute {name!r} (valid: {valid}){hint}", token)
        return canonical

    def literal(self, after: _Token) -> tuple[Value, _Token]:
        token = self.take()
        if token.kind in ("string", "number"):
            return token.value, token
        if self.word(token) in ("true", "false"):
            return int(self.word(token) == "true"), token
        if self.word(token) == "null":
            self.fail("null works only after IS: write IS NULL or IS NOT NULL", token)
        self.fail(f"expected a value after {self.text[after.start : after.end]!r}", token)

    def comparison(self) -> Comparison:
        self.count += 1
        if self.count > _MAX_COMPARISONS:
            self.fail(f"too many comparisons (at most {_MAX_COMPARISONS})", self.peek())
        field, src = self.field()
        token, negate = self.take(), ""
        if (word := self.word(token)) == "not":
            token, negate = self.take(), "NOT "
            if (word := self.word(token)) not in ("like", "ilike", "in"):
                self.expected("LIKE, ILIKE or IN after NOT", token)
        if token.kind == "op":
            op = {"==": "=", "<>": "!="}.get(token.value, token.value)
            return self.typed(field, src, op, [self.literal(token)])
        if word in ("like", "ilike"):
            pattern = self.literal(token)
            if not isinstance(pattern[0], str):
                self.fail(f"{word.upper()} needs a quoted pattern, e.g. 'rf%'", pattern[1])
            return self.typed(field, src, negate + word.upper(), [pattern])
        if word == "in":
            return self.typed(field, src, negate + "IN", self.in_list())
        if word == "is":
            if self.word(null := self.take()) == "not":
                negate, null = "NOT ", self.take()
            if self.word(null) != "null":
                self.expected("NULL or NOT NULL after IS", null)
            return Comparison(field, f"IS {negate}NULL")
        self.expected(
            f"an operator after {src!r} (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS)", token
        )

    def in_list(self) -> list[tuple[Value, _Token]]:
        if (opening := self.take()).kind != "(":
            self.fail("expected '(' after IN, e.g. params.model IN ('rf', 'svm')", opening)
        items = [self.literal(opening)]
        while (token := self.take()).kind == ",":
            items.append(self.literal(token))
        if token.kind == "end":
            self.fail("unclosed parenthesis", opening)
        if token.kind != ")":
            self.expected("',' or ')' in the IN list", token)
        return items

    def typed(
        self, field: Field, src: str, op: str, items: list[tuple[Value, _Token]]
    ) -> Comparison:
        """Check each value against the field's type and convert it (dates to epoch seconds)."""
        kind = _KIND_TYPES.get(field.kind) or ATTRIBUTES[field.name][1]
        values: list[Value] = []
        for value, token in items:
            if kind == "time" and "LIKE" in op:
                self.fail(f"{src} is a time: compare it to a date with =, <, > or IN", token)
            if kind == "number" and isinstance(value, str):
                what = "metrics compare" if field.kind == "metric" else f"{src} compares"
                self.fail(f"{what} to numbers, not text: write {src} > 0.5, without quotes", token)
            if kind == "text" and not isinstance(value, str):
                quoted = self.text[token.start : token.end]
                self.fail(f"{src} is text: quote the value, e.g. '{quoted}'", token)
            if kind == "time" and isinstance(value, str):
                if (millis := _epoch(value)) is None:
                    example = "use ISO format, e.g. '2024-05-01' or '2024-05-01T13:30:00'"
                    self.fail(f"invalid date/time {value!r} ({example})", token)
                value = millis
            elif field == Field("attribute", "status") and isinstance(value, str):
                if "LIKE" not in op:  # MLflow users write 'FINISHED', 'KILLED'
                    value = _MLFLOW_STATUS.get(value.lower(), value.lower())
            elif field == Field("attribute", "number") and isinstance(value, str):
                value = int(value[1:]) if re.fullmatch("#[0-9]{1,18}", value) else value  # '#12'
            elif field == Field("attribute", "hypothesis") and isinstance(value, str):
                value = self.hypothesis_id(value, src, op, token)  # the panel shows 'H3'
            values.append(value)
        return Comparison(field, op, tuple(values))

    def hypothesis_id(self, value: str, src: str, op: str, token: _Token) -> Value:
        """`'H3'`, `'h3'` or `'3'` -> 3: hypotheses are numbered, the panel writes them `H3`."""
        if match := re.fullmatch(r"\s*[Hh]?([0-9]{1,18})\s*", value):
            return int(match.group(1))
        if "LIKE" in op:
            return value
        self.fail(f"{src} takes a hypothesis id: write {src} = 3 or {src} = 'H3'", token)


def _epoch(text: str) -> float | None:
    """Epoch milliseconds of an ISO date/time (UTC when naive), or None if it is not one."""
    text = text.strip()
    text = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text  # Python 3.10 wants +00:00
    try:
        moment = datetime.fromisoformat(text)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return round(moment.timestamp() * 1000)
    except (ValueError, OverflowError, OSError):
        return None
