"""The filter language (DESIGN §4): parsing, errors, and the SQL it compiles to, run on a real store."""

from __future__ import annotations

import re

import pytest
import sqlite_utils
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from labtrack.errors import FilterError
from labtrack.store.filters import And, Comparison, Field, Not, Or, compile_filter, parse_filter
from labtrack.store.schema import m001_initial, m005_dataset_context
from labtrack.store.sql_functions import register_functions

DAY = 86_400.0
MAY_1 = 1_714_521_600.0  # 2024-05-01T00:00:00Z

# run number -> (experiment, name, status, start, end, heartbeat, hypothesis, parent, notebook)
RUNS = {
    1: (1, "baseline", "finished", MAY_1, MAY_1 + 60, None, None, None, "a.ipynb"),
    2: (1, "rf-deep", "failed", MAY_1 + DAY, MAY_1 + DAY + 10, None, 1, None, "a.ipynb"),
    3: (2, "Tuned", "running", MAY_1 + 2 * DAY, None, MAY_1 + 2 * DAY + 30, None, 1, None),
    4: (2, None, "finished", MAY_1 + 3 * DAY, MAY_1 + 3 * DAY + 120, None, None, None, None),
}
PARAMS = [  # (run, key, value, kind): SQLite keeps each value's type
    (1, "lr", 0.01, "float"), (2, "lr", 0.1, "float"), (3, "lr", "0.01", "str"),
    (1, "epochs", 10, "int"), (2, "epochs", 20, "int"), (3, "epochs", 5, "int"),
    (1, "model", "rf", "str"), (2, "model", "svm", "str"), (3, "model", "RF", "str"),
    (4, "model", "a*b?[c]", "str"), (1, "flag", 1, "bool"), (1, "my param", "a b", "str"),
    (1, "it's \"q\"", 1, "int"), (1, "größe", "groß", "str"), (1, "select", "x", "str"),
    (2, "select", "y", "str"),
]  # fmt: skip
TAGS = [(1, "team", "vision"), (2, "team", "nlp"), (3, "team", "vision"), (1, "note", "it's")]
METRICS = [(1, "acc", 0.9), (2, "acc", 0.95), (3, "acc", 0.5), (1, "val.loss", 0.3),
           (2, "val.loss", None), (2, "f1 score", 0.7)]  # fmt: skip


def build_store() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    register_functions(db.conn)
    m001_initial(db)
    m005_dataset_context(db)
    db.execute("INSERT INTO experiments VALUES (1, 'nb', 0, NULL), (2, 'study', 0, NULL)")
    db.execute("INSERT INTO hypotheses (id, statement, metric, expect, created) VALUES (1, 's', 'acc', 'increase', 0)")  # fmt: skip
    for number, (exp, name, status, start, end, beat, hyp, parent, nb) in RUNS.items():
        db.execute(
            "INSERT INTO runs (id, uuid, experiment_id, name, status, start_time, end_time,"
            " heartbeat, hypothesis_id, parent_id, notebook) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [number, f"u-{number}", exp, name, status, start, end, beat, hyp, parent, nb],
        )
    db.conn.executemany("INSERT INTO params VALUES (?, ?, ?, ?)", PARAMS)
    db.conn.executemany("INSERT INTO tags VALUES (?, ?, ?)", TAGS)
    keys = {name: i for i, name in enumerate(dict.fromkeys(name for _, name, _ in METRICS), 1)}
    db.conn.executemany("INSERT INTO metric_keys VALUES (?, ?)", [(i, n) for n, i in keys.items()])
    db.conn.executemany(
        "INSERT INTO metric_summaries (run_id, key_id, last, last_step) VALUES (?, ?, ?, 0)",
        [(run, keys[name], last) for run, name, last in METRICS],
    )
    return db


@pytest.fixture(scope="module")
def db() -> sqlite_utils.Database:
    return build_store()


def select(db: sqlite_utils.Database, text: str | None) -> list[int]:
    sql, params = compile_filter(text)
    query = f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {sql}"
    return [row[0] for row in db.execute(query + " ORDER BY r.id", params).fetchall()]


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, [1, 2, 3, 4]), ("", [1, 2, 3, 4]), ("  \n", [1, 2, 3, 4]),
        # metrics: numbers, NaN stored as NULL, odd names
        ("metrics.acc > 0.9", [2]), ("metrics.acc >= 0.9", [1, 2]), ("metrics.acc < 0.9", [3]),
        ("metrics.acc <= 0.9", [1, 3]), ("metrics.acc = 0.9", [1]), ("metric.acc == .9", [1]),
        ("metrics.acc != 0.9", [2, 3]), ("metrics.acc <> 9e-1", [2, 3]),
        ("metrics.acc > -1e-3", [1, 2, 3]), ("metrics.acc IN (0.5, 0.95)", [2, 3]),
        ("metrics.acc NOT IN (0.5)", [1, 2]), ("metrics.val.loss < 1", [1]),
        ('metrics."val.loss" IS NULL', [3, 4]), ("metrics.`val.loss` != 1", [1, 2]), ("metrics.`f1 score` > 0.5", [2]),
        ("metrics.acc IS NOT NULL", [1, 2, 3]),
        # params: numeric literals meet numbers only; quoted literals meet the text form
        ("params.lr = 0.01", [1]), ("params.lr = '0.01'", [1, 3]), ("params.lr > 0.05", [2]),
        ("params.lr != 0.01", [2]), ("params.epochs = 10", [1]), ("params.epochs = '10'", [1]),
        ("params.epochs >= 10.0", [1, 2]), ("param.epochs < 10", [3]),
        ("parameters.model = 'rf'", [1]), ("params.model LIKE 'r%'", [1]),
        ("params.model ILIKE 'r%'", [1, 3]), ("params.model NOT LIKE 'r%'", [2, 3, 4]),
        ("params.model NOT ILIKE 'R_'", [2, 4]), ("params.model LIKE 'a*%'", [4]),
        ("params.model LIKE 'a_b%[c]'", [4]), ("params.model LIKE 'a*'", []),
        ("params.model IN ('rf', 'svm')", [1, 2]), ("params.model NOT IN ('rf', 'svm')", [3, 4]),
        ("params.epochs IN (5, 10)", [1, 3]), ("params.epochs IN (5, '20')", [2, 3]),
        ("params.model NOT IN (1, 'rf')", [2, 3, 4]), ("params.lr NOT IN (0.1, 'x')", [1, 3]),
        ("params.`my param` = 'a b'", [1]), ("params.`it's \"q\"` = 1", [1]),
        ('params."it\'s ""q""" = 1', [1]), ('params.`größe` = "groß"', [1]),
        ("params.select = 'x'", [1]), ("params.flag = true", [1]), ("params.flag = false", []),
        ("params.missing IS NULL", [1, 2, 3, 4]), ("params.lr IS NOT NULL", [1, 2, 3]),
        # tags: text, with each quoting style
        ("tags.team = 'vision'", [1, 3]), ("tag.team != 'vision'", [2]),
        ("tags.note = 'it''s'", [1]), ("tags.note = \"it's\"", [1]), ("tags.note = 'it\\'s'", [1]),
        ("tags.team IS NULL", [4]), ("tags.team LIKE '%i%'", [1, 3]),
        # attributes, bare or prefixed, with aliases
        ("status = 'finished'", [1, 4]), ("attributes.status = 'FINISHED'", [1, 4]),
        ("attr.name = 'baseline'", [1]), ("run.run_name LIKE 'rf%'", [2]), ("name IS NULL", [4]),
        ("number = 2", [2]), ("id IN (1, 3)", [1, 3]), ("number = '#3'", [3]),
        ("attribute.uuid = 'u-1'", [1]), ("run_id = 'u-4'", [4]), ("experiment = 'study'", [3, 4]),
        ("notebook = 'a.ipynb'", [1, 2]), ("hypothesis = 1", [2]), ("hypothesis_id IS NULL", [1, 3, 4]),
        ("hypothesis = 'H1'", [2]), ("hypothesis = 'h1'", [2]), ("hypothesis IN ('H1', 'H9')", [2]),
        ("hypothesis != 'H1'", []), ("attributes.hypothesis = '1'", [2]),
        ("parent = 1", [3]), ("start_time > '2024-05-02'", [3, 4]),
        ("start >= '2024-05-02T00:00:00Z'", [2, 3, 4]), ("start_time < '2024-05-02T03:00+02:00'", [1, 2]),
        (f"start_time <= {MAY_1 * 1000:.0f}", [1]), (f"created > {MAY_1 * 1000 + 1}", [2, 3, 4]), ("end_time IS NULL", [3]), ("end > '2024-05-03'", [4]),
        ("duration > 50", [1, 4]), ("duration < 40", [2, 3]),
        # or < and < not < comparison; keywords in any case
        ("status = 'finished' or status = 'failed' and metrics.acc > 0.99", [1, 4]),
        ("(status = 'finished' or status = 'failed') and metrics.acc > 0.9", [2]),
        ("not status = 'finished'", [2, 3]), ("not not status = 'finished'", [1, 4]),
        ("not (status = 'finished' or tags.team = 'vision')", [2]),
        ("NOT metrics.acc > 0.9 AND status != 'running'", [1]),
        ("STATUS = 'finished' AnD Metrics.acc > 0", [1]), ("((((number = 1))))", [1]),
        ("number = 1 or number = 2 and (number = 3 or not number = 4)", [1, 2]),
    ],
)  # fmt: skip
def test_filter_selects_runs(db, text, expected):
    assert select(db, text) == expected


@pytest.mark.parametrize(
    "text, message, position",
    [
        ("metrics.acc >", "expected a value after '>'", 13),
        ("(status = 'x'", "unclosed parenthesis", 0),
        ("params.m IN ('a', 'b'", "unclosed parenthesis", 12),
        ("status = 'x')", "unexpected ')' with no matching '('", 12),
        ("foo.bar = 1", "unknown field prefix 'foo' (use params., metrics., tags., attributes. or datasets.)", 0),
        ("status = 'abc", "unterminated string", 9),
        ("params.`abc = 1", "unterminated quoted name", 7),
        ("attributes.color = 'x'", "unknown attribute 'color' (valid: artifact_uri, created, duration, end, end_time, ", 0),
        ("acc > 0.9", "for a param, metric or tag: params.acc, metrics.acc or tags.acc", 0),
        ("metrics.acc > '0.9'", "metrics compare to numbers, not text", 14),
        ("metrics.acc LIKE 'a%'", "metrics compare to numbers, not text", 17),
        ("metrics.acc IN (1, '2')", "metrics compare to numbers, not text", 19),
        ("duration > '5'", "duration compares to numbers, not text", 11),
        ("tags.team = 5", "tags.team is text: quote the value, e.g. '5'", 12),
        ("start_time > 'yesterday'", "invalid date/time 'yesterday' (use ISO format", 13),
        ("start_time LIKE '2024%'", "start_time is a time: compare it to a date", 16),
        ("params.x = null", "null works only after IS: write IS NULL or IS NOT NULL", 11),
        ("params.x", "expected an operator after 'params.x' (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS), found the end of the filter", 8),
        ("params.x == = 1", "expected a value after '=='", 12),
        ("params.x IS 5", "expected NULL or NOT NULL after IS, found '5'", 12),
        ("params.x NOT = 1", "expected LIKE, ILIKE or IN after NOT, found '='", 13),
        ("params.x IN 1", "expected '(' after IN", 12),
        ("params.x IN ()", "expected a value after '('", 13),
        ("params.x IN (1 2)", "expected ',' or ')' in the IN list, found '2'", 15),
        ("params.x LIKE 5", "LIKE needs a quoted pattern", 14),
        ("status = 'a' status = 'b'", "expected AND, OR or the end of the filter, found 'status'", 13),
        ("status = 'a' and", "expected a field such as metrics.acc, params.lr or status, found the end", 16),
        ("(status = 'a' number = 1)", "expected ')', AND or OR, found 'number'", 14),
        ("params.x = 1abc", "malformed number '1abc'", 11),
        ("params.x ! 1", "unexpected character '!'", 9),
        ("params.val-loss > 1", "unexpected character '-' (quote names with other characters", 10),
        ("params. = 1", "expected a name after 'params.'", 7),
        ("(" * 11 + "number = 1" + ")" * 11, "too deeply nested (at most 10", 10),
        ("not " * 11 + "number = 1", "too deeply nested", 40),
        ("number = 1 or " * 500 + "number = 1", "too many comparisons (at most 500)", 7000),
        ("status = '\ud800'", "invalid character (a lone surrogate)", 10),
        ("hypothesis = 'first'", "hypothesis takes a hypothesis id: write hypothesis = 3 or hypothesis = 'H3'", 13),
    ],
)  # fmt: skip
def test_errors_point_at_the_problem(text, message, position):
    with pytest.raises(FilterError) as caught:
        compile_filter(text)
    assert message in str(caught.value)
    assert caught.value.position == position
    shown, pointer = str(caught.value).splitlines()[-2:]
    window_start = max(0, position - 40)
    assert pointer.index("^") - 2 == position - window_start + (3 if window_start else 0)
    assert shown.strip(" .").startswith(text[window_start : window_start + 10].strip())


def test_a_filter_must_be_text():
    with pytest.raises(FilterError, match="a filter must be text, not int"):
        compile_filter(5)  # type: ignore[arg-type]


def test_parse_gives_a_checked_tree():
    tree = parse_filter("not (metrics.acc > 0.9 or run.start < '2024-05-01Z') and tags.t IS NULL")
    acc = Comparison(Field("metric", "acc"), ">", (0.9,))
    start = Comparison(Field("attribute", "start_time"), "<", (MAY_1 * 1000,))
    assert tree == And((Not(Or((acc, start))), Comparison(Field("tag", "t"), "IS NULL")))


@pytest.mark.parametrize(
    "text",
    [
        "params.model = '''; DROP TABLE runs; --'",
        "params.`x'); DROP TABLE runs; --` = 1",
        'tags."team"" OR 1=1 --" = \'x\'',
        "params.model LIKE '%'' OR ''1''=''1'",
        "status = \"x' OR 'a'='a\"",
    ],
)
def test_injection_is_taken_literally(db, text):
    sql, params = compile_filter(text)
    assert "DROP" not in sql and "1=1" not in sql and "'a'" not in sql
    assert select(db, text) == []
    assert {"runs", "params", "tags"} <= set(db.table_names())


@pytest.mark.parametrize(
    "text",
    [
        "params.x = '1' OR 1=1 --",
        "params.model = 'rf'; DROP TABLE runs; --",
        "status = 'x' OR '1'='1'",
    ],
)
def test_injection_outside_a_literal_is_rejected(db, text):
    with pytest.raises(FilterError):
        compile_filter(text)
    assert select(db, None) == [1, 2, 3, 4]


LEAF = "params.lr NOT IN (1, 'x')"  # a heavy comparison: three subqueries, CASE, COALESCE
DEEP = "not (" * 3 + "number = 1 or (number = 2 and (number = 3 or (number = 4" + ")" * 6


@pytest.mark.parametrize(
    "text, expected",
    [
        (" or ".join([LEAF] * 499 + ["number = 4"]), [1, 2, 3, 4]),
        (" and ".join([DEEP] + [LEAF] * 495), [2, 3]),
        ("((" + " and ".join([LEAF] * 200) + ") or " + " or ".join([DEEP] * 20) + ") and " + " and ".join([LEAF] * 190), [1, 2, 3]),
        ("not " * 5 + "(" * 5 + LEAF + ")" * 5, []),
        ("number IN (" + ", ".join(str(i) for i in range(20_000)) + ")", [1, 2, 3, 4]),
    ],
)  # fmt: skip
def test_limits_keep_the_sql_executable(db, text, expected):
    """Long chains, deep nesting and long IN lists stay within SQLite's limits, even nested again."""
    sql, params = compile_filter(text)
    scoped = f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE ({sql}) AND e.name != ?"
    query = (
        f"SELECT id FROM runs WHERE id IN ({scoped}) ORDER BY id"  # as the store's reads nest it
    )
    assert [row[0] for row in db.execute(query, [*params, "-"]).fetchall()] == expected


def test_too_many_values_is_an_error():
    with pytest.raises(
        FilterError, match=r"the filter is too long \(30001 values; at most 30000\)"
    ):
        compile_filter("number IN (" + ", ".join(["1"] * 30_001) + ")")


# --- properties -------------------------------------------------------------------------------

TOKENS = ["params.lr", "metrics.acc", "tags.team", "status", "start_time", "params.`a b`", "(", ")",
          "and", "or", "not", "=", "!=", "<", ">=", "in", "is", "null", "like", "ilike", "'a'",
          "'2024-05-01'", "1", "-2.5e3", ",", "`", '"', "'", "true", "\\", ".", "params."]  # fmt: skip
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS)).map(" ".join)))
def test_any_text_is_an_error_or_sql_that_runs(db, text):
    try:
        select(db, text)
    except FilterError as exc:
        assert exc.position is None or 0 <= exc.position <= len(text)


def literal(value: str | int | float, single_quotes: bool) -> str:
    """A filter literal for a value, as a user would write it (backslashes are literal)."""
    if not isinstance(value, str):
        return repr(value)
    if single_quotes:
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace('"', '\\"') + '"'


@SETTINGS
@given(
    st.one_of(
        st.text(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    st.booleans(),
)
def test_a_stored_param_is_found_by_its_literal(db, value, single_quotes):
    # a backslash right before a quote, or last, cannot be written: it would escape the quote
    assume(not isinstance(value, str) or not re.search(r"\\(['\"]|$)", value))
    decoy = value + "x" if isinstance(value, str) else str(value)  # text never meets a number
    db.conn.executemany("INSERT INTO params VALUES (?, 'prop', ?, 'p')", [(1, value), (2, decoy)])
    try:
        assert select(db, f"params.prop = {literal(value, single_quotes)}") == [1]
        assert select(db, f"params.prop IN ({literal(value, single_quotes)}, 'zz')") == [1]
    finally:
        db.execute("DELETE FROM params WHERE key = 'prop'")


STRINGS = st.text(max_size=5).map(lambda s: literal(s, True))
NUMBERS = st.one_of(st.integers(-5, 5), st.floats(-2, 2, allow_nan=False)).map(repr)
BY_FIELD = {  # field -> literals it accepts
    "params.lr": st.one_of(STRINGS, NUMBERS), "params.`my param`": STRINGS,
    "metrics.acc": NUMBERS, "metrics.`val.loss`": NUMBERS, "tags.team": STRINGS,
    "status": STRINGS, "number": NUMBERS, "duration": NUMBERS,
    "start_time": st.sampled_from(["'2024-05-02'", "'2024-05-02T12:00:00+01:00'", "1714521600"]),
}  # fmt: skip


@st.composite
def comparisons(draw) -> str:
    field = draw(st.sampled_from(sorted(BY_FIELD)))
    values = BY_FIELD[field]
    form = draw(st.sampled_from(["op", "in", "not in", "is", "like"]))
    if form == "op":
        op = draw(st.sampled_from(["=", "==", "!=", "<>", "<", "<=", ">", ">="]))
        return f"{field} {op} {draw(values)}"
    if form in ("in", "not in"):
        return f"{field} {form} ({', '.join(draw(st.lists(values, min_size=1, max_size=4)))})"
    if form == "like" and field.startswith(("params", "tags", "status")):
        return f"{field} {draw(st.sampled_from(['like', 'ILIKE', 'not like']))} {draw(STRINGS)}"
    return f"{field} is {draw(st.sampled_from(['null', 'not null']))}"


def expressions(depth: int) -> st.SearchStrategy[str]:
    """Well-formed filters nested at most `depth` levels (two NOT/parentheses a level)."""
    if depth == 0:
        return comparisons()
    sub = expressions(depth - 1)
    return st.one_of(
        comparisons(),
        st.tuples(sub, st.sampled_from(["and", "or", "AND", "Or"]), sub).map(" ".join),
        sub.map(lambda e: f"not ({e})"),
    )


@SETTINGS
@given(expressions(4), expressions(3))
def test_well_formed_filters_compile_and_obey_logic(db, a, b):
    runs_a, runs_b = set(select(db, a)), set(select(db, b))
    assert set(select(db, f"({a}) or ({b})")) == runs_a | runs_b
    assert set(select(db, f"({a}) and ({b})")) == runs_a & runs_b
    assert select(db, f"({a}) and not ({a})") == []


def test_datasets_are_found_by_name_digest_and_context(store):
    import pandas as pd

    import labtrack as lt

    with lt.run("trained"):
        digest = lt.log_dataset(pd.DataFrame({"x": [1, 2]}), "churn", context="training")
    with lt.run("evaluated"):
        lt.log_dataset(pd.DataFrame({"x": [3]}), "churn-test")
    assert lt.runs("datasets.context = 'training'")["name"].tolist() == ["trained"]
    assert lt.runs(f"dataset.digest = '{digest}'")["name"].tolist() == ["trained"]
    assert lt.runs("datasets.name LIKE 'churn%' and datasets.context IS NULL")["name"].tolist() == [
        "evaluated"
    ]
