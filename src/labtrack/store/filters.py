"""The filter language: one parser, compiled to parameterised SQL (DESIGN §4 "Filter language").

MLflow's search syntax plus `or`, `not` and parentheses (precedence: OR < AND < NOT < comparison):

    >>> compile_filter("metrics.acc > 0.9 and params.model = 'rf'")[1]
    ['acc', 0.9, 'model', 'rf']

Every value and every name travels as a `?` parameter: the SQL text holds only fixed fragments over
the aliases `r` (runs) and `e` (experiments). A numeric literal compares with numeric param values
only; a quoted one with the text MLflow holds for the param (`str(value)`: `params.lr = '1e-05'`,
`params.flag = 'True'`). LIKE is case-sensitive (run as GLOB); ILIKE folds ASCII case, as SQLite does.
Every filter MLflow accepts means the same here (tests/test_mlflow_filters.py); parsing is in
filter_parse.py.
"""

from __future__ import annotations

from ..errors import FilterError
from .filter_parse import (
    ATTRIBUTES,
    DATASET_COLUMNS,
    And,
    Comparison,
    Field,
    Node,
    Not,
    Or,
    parse_filter,
)

__all__ = ["And", "Comparison", "Field", "Not", "Or", "compile_filter", "parse_filter"]

_FIELD_SQL = {
    "param": "(SELECT value FROM params WHERE run_id = r.id AND key = ?)",
    "metric": "(SELECT s.last FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id"
    " WHERE s.run_id = r.id AND k.name = ?)",
    "tag": "(SELECT value FROM tags WHERE run_id = r.id AND key = ?)",
}
# A metric whose last value is NaN (NULL in the summary) is present, as in MLflow: != and IS NOT NULL
# see it. The summary row exists exactly when the run logged the metric.
_METRIC_ROW = (
    "EXISTS (SELECT 1 FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id"
    " WHERE s.run_id = r.id AND k.name = ?{})"
)
_STATUS_AS_MLFLOW = (
    "(CASE r.status WHEN 'interrupted' THEN 'KILLED' WHEN 'crashed' THEN 'FAILED'"
    " ELSE upper(r.status) END)"
)
_CHUNK = 64  # AND/OR terms joined flat, then in parenthesised groups
_MAX_PARAMS = 30_000  # under SQLite's 32,766 variables per statement

_GLOB = {"%": "*", "_": "?", "*": "[*]", "?": "[?]", "[": "[[]"}


def compile_filter(text: str | None) -> tuple[str, list]:
    """Return (sql_boolean_expression, params) for a WHERE clause; ("1", []) for None/blank.

    >>> compile_filter("status = 'finished'")
    ('r.status = ?', ['finished'])
    """
    node = parse_filter(text)
    if node is None:
        return "1", []
    sql, params = _compile(node, wrap=isinstance(node, Or))  # safe to AND with more
    if len(params) > _MAX_PARAMS:
        raise FilterError(f"the filter is too long ({len(params)} values; at most {_MAX_PARAMS})")
    return sql, params


def _join(op: str, parts: list[tuple[str, list]]) -> tuple[str, list]:
    """Join flat, in parenthesised chunks: SQLite limits both expression height and nesting."""
    while len(parts) > _CHUNK:
        chunks = [parts[i : i + _CHUNK] for i in range(0, len(parts), _CHUNK)]
        parts = [(f"({sql})", params) for sql, params in (_join(op, c) for c in chunks)]
    return f" {op} ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _compile(node: Node, wrap: bool = False) -> tuple[str, list]:
    """SQL for a node; `wrap` parenthesises a junction (comparisons bind tighter than NOT, AND)."""
    if isinstance(node, Comparison):
        return _compile_comparison(node)
    if isinstance(node, Not):
        sql, params = _compile(node.operand, wrap=True)
        return f"NOT {sql}", params
    op = "AND" if isinstance(node, And) else "OR"
    sql, params = _join(op, [_compile(n, wrap=op == "AND") for n in node.operands])
    return (f"({sql})" if wrap else sql), params


def _compile_comparison(c: Comparison) -> tuple[str, list]:
    kind, op = c.field.kind, c.op
    if kind == "dataset":  # a run matches when one of its datasets does, as in MLflow
        column, exists = (
            DATASET_COLUMNS[c.field.name],
            "EXISTS (SELECT 1 FROM datasets d WHERE d.run_id = r.id AND {})",
        )
        if op.startswith("IS"):
            sql = exists.format(f"{column} IS NOT NULL")
            return (sql if "NOT" in op else f"NOT {sql}"), []
        condition, params = _condition(c, column, [])
        return exists.format(condition), params
    if kind == "metric" and (op.startswith("IS") or op in ("!=", "NOT IN")):
        if op.startswith("IS"):
            sql = _METRIC_ROW.format("")
            return (sql if "NOT" in op else f"NOT {sql}"), [c.field.name]
        condition, params = _condition(c, "s.last", [])
        return _METRIC_ROW.format(f" AND (s.last IS NULL OR {condition})"), [c.field.name, *params]
    if kind == "attribute":
        x, xp = ATTRIBUTES[c.field.name][0], []
    else:
        x, xp = _FIELD_SQL[kind], [c.field.name]
    if op.startswith("IS"):
        return f"{x} {op}", xp
    if c.field == Field("attribute", "status") and op.endswith("LIKE"):  # 'fin%' or 'FIN%'
        plain = Comparison(c.field, op.removeprefix("NOT "), c.values)
        (ours, a), (theirs, b) = _condition(plain, x, []), _condition(plain, _STATUS_AS_MLFLOW, [])
        sql = f"({ours} OR {theirs})"
        return (f"NOT {sql}" if op.startswith("NOT") else sql), [*a, *b]
    return _condition(c, x, xp)


def _condition(c: Comparison, x: str, xp: list) -> tuple[str, list]:
    """`x op values` for one value expression `x` (with its parameters `xp`)."""
    number, text = (x, xp), (x, xp)
    if c.field.kind == "param":  # params keep their SQLite type: numbers meet numeric values only
        number = f"(CASE WHEN typeof({x}) IN ('integer','real') THEN {x} END)", xp + xp
        # quoted values meet the text MLflow would hold: str(value), so '1e-05' and 'True' match
        text = "(SELECT lt_param_text(value, kind) FROM params WHERE run_id = r.id AND key = ?)", xp
    elif x in ("r.id", "r.hypothesis_id", "r.parent_id"):
        text = f"CAST({x} AS TEXT)", xp
    if c.op.endswith("ILIKE"):
        return f"lower({text[0]}) {c.op[:-5]}LIKE lower(?)", [*text[1], c.values[0]]
    if c.op.endswith("LIKE"):
        pattern = "".join(_GLOB.get(ch, ch) for ch in str(c.values[0]))
        return f"{text[0]} {c.op[:-4]}GLOB ?", [*text[1], pattern]
    if not c.op.endswith("IN"):
        side = text if isinstance(c.values[0], str) else number
        return f"{side[0]} {c.op} ?", [*side[1], c.values[0]]
    numbers = [v for v in c.values if not isinstance(v, str)]
    strings = [v for v in c.values if isinstance(v, str)]
    if not (numbers and strings):
        (sql, params), values = (number, numbers) if numbers else (text, strings)
        return f"{sql} {c.op} ({_marks(values)})", [*params, *values]
    # Mixed types: a text value makes the numeric side NULL; COALESCE keeps `NOT IN` true for it.
    sql = f"(COALESCE({number[0]} IN ({_marks(numbers)}), 0) OR {text[0]} IN ({_marks(strings)}))"
    return (f"NOT {sql}" if c.op == "NOT IN" else sql), [*number[1], *numbers, *text[1], *strings]


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))
