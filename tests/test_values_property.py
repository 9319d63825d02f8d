"""Property-based round-trips through a real store: params keep value and type, metrics keep their
float, names come back as given."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labtrack as lt
from labtrack.tracking.values import MAX_NAME_LENGTH
from session_reset import same

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

text = st.text(st.characters(codec="utf-8"))  # any text SQLite can hold: unicode, NUL, controls
json_leaves = st.none() | st.booleans() | st.integers() | st.floats() | text
keys = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00."), min_size=1, max_size=20
)  # names a param
json_values = st.recursive(  # dicts inside lists stay JSON; a dict param becomes one param per leaf
    json_leaves,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)
param_values = (
    st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**63 + 2)  # around the int64 edge
    | st.integers(min_value=-(2**63) - 2, max_value=-(2**63) + 2)
    | st.floats()  # nan, ±inf, -0.0, subnormals
    | text
    | st.booleans()
    | st.none()
    | json_values
)
names = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=MAX_NAME_LENGTH
)


def unflatten(params: dict, prefix: str) -> object:
    """The value of param `prefix` as given, rebuilt from its dotted names (`p.a.b` -> {"a": {"b": ...}})."""
    if prefix in params:
        return params[prefix]
    out: dict = {}
    for key, value in params.items():
        if key.startswith(prefix + "."):
            *path, leaf = key[len(prefix) + 1 :].split(".")
            node = out
            for part in path:
                node = node.setdefault(part, {})
            node[leaf] = value
    return out


@SETTINGS
@given(value=param_values)
def test_any_param_round_trips_with_its_type(store, value):
    with lt.run(params={"p": value}) as run:
        pass
    got = unflatten(lt.get_run(run.number).params, "p")
    assert same(got, value), (got, value)


@SETTINGS
@given(
    value=st.recursive(
        json_leaves,
        lambda inner: st.dictionaries(keys, inner, min_size=1, max_size=4),
        max_leaves=12,
    )
)
def test_nested_dicts_become_one_param_per_leaf(store, value):
    with lt.run(params={"cfg": value}) as run:
        pass
    params = lt.get_run(run.number).params
    assert same(unflatten(params, "cfg"), value)
    assert not any(isinstance(v, dict) for v in params.values())  # each leaf is its own param


@settings(SETTINGS, max_examples=25)
@given(values=st.lists(param_values, min_size=1, max_size=4))
def test_params_round_trip_through_the_runs_frame_too(store, values):
    params = {f"p{i}": v for i, v in enumerate(values)}
    with lt.run(params=params) as run:
        pass
    row = lt.runs(f"attributes.number = {run.number}").iloc[0]
    stored = {c.removeprefix("params."): row[c] for c in row.index if c.startswith("params.")}
    assert all(
        same(
            unflatten(
                {k: v for k, v in stored.items() if k == f"p{i}" or k.startswith(f"p{i}.")}, f"p{i}"
            ),
            v,
        )
        for i, v in enumerate(values)
    )


@SETTINGS
@given(value=st.floats())
def test_any_metric_float_round_trips(store, value):
    with lt.run() as run:
        lt.log(x=value)
    (got,) = lt.history(run.number, "x")["value"]
    # -0.0 comes back as 0.0 (equal, sign lost): metric_points.value is a REAL column.
    assert same(float(got), value) or got == value == 0.0
    assert same(lt.get_run(run.number).metrics["x"].last, value) or value == 0.0


@SETTINGS
@given(values=st.lists(st.floats(), min_size=1, max_size=30))
def test_any_metric_history_keeps_order_and_summary(store, values):
    with lt.run() as run:
        for v in values:
            lt.log(x=v)
    got = lt.history(run.number, "x")
    assert list(got["step"]) == list(range(len(values)))
    assert all(same(float(g), v) or g == v == 0.0 for g, v in zip(got["value"], values))
    finite = [v for v in values if v == v]
    summary = lt.get_run(run.number).metrics["x"]
    assert (summary.count, summary.nan_count) == (len(finite), len(values) - len(finite))


@SETTINGS
@given(name=names)
def test_any_name_round_trips(store, name):
    with lt.run(name) as run:
        lt.log_params(**{name: 1})
        lt.log({name: 2.0})
        run.set_tags(**{name: name})
    record = lt.get_run(run.number)
    assert (record.name, record.params, list(record.metrics), record.tags) == (
        name,
        {name: 1},
        [name],
        {name: name},
    )


@pytest.mark.parametrize("length", [MAX_NAME_LENGTH + 1, 1000])
def test_a_name_over_the_limit_is_refused(store, length):
    with (
        lt.run(),
        pytest.raises(lt.LabtrackError, match=f"is {length} characters long; the limit is 250"),
    ):
        lt.log_params(**{"n" * length: 1})
