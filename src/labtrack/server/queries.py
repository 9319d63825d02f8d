"""The REST API's query strings, read into typed values; a mistake says how to fix the request.

>>> RunsQuery.parse({"filter": "metrics.acc > 0.9", "sort": "metrics.acc", "order": "desc", "limit": "50"})
RunsQuery(filter='metrics.acc > 0.9', experiment=None, sort='metrics.acc', descending=True, offset=0, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..client import RUN_COLUMNS
from ..errors import LabtrackError

# The Run fields `sort` accepts besides `params.X`, `metrics.X` and `tags.X`.
RUN_FIELDS = tuple(RUN_COLUMNS)
SORT_PREFIXES = ("params.", "metrics.", "tags.")
MAX_RUNS_LISTED = 500  # runs named in one `runs=` list (compare, export, history)
MAX_POINTS = 100_000
MAX_RUN_NUMBER = (
    2**63 - 1
)  # SQLite's largest integer: `after` and run numbers beyond it are mistakes

Args = Mapping[str, str]


class QueryError(LabtrackError, ValueError):
    """A query parameter of a REST request is missing or malformed."""


def text(args: Args, name: str) -> str | None:
    """A text parameter; None when absent or empty."""
    value = args.get(name)
    return value if value else None


def integer(
    args: Args,
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int | None = None,
) -> int | None:
    """An integer parameter within [minimum, maximum]; `default` when absent or empty."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if len(raw) > 40:  # int() of thousands of digits is slow, and no valid value is that long
        raise QueryError(f"{name} must be an integer of at most 40 digits, not {raw[:40]!r}...")
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be an integer, not {raw[:40]!r}") from None
    top = MAX_RUN_NUMBER if maximum is None else maximum  # SQLite holds no larger integer
    if minimum <= value <= top:
        return value
    if maximum is not None:
        raise QueryError(f"{name} must be between {minimum} and {maximum}, not {value}")
    side = f"at least {minimum}" if value < minimum else f"at most {top}"
    raise QueryError(f"{name} must be {side}, not {value}")


def flag(args: Args, name: str) -> bool:
    """A yes/no parameter: 1, true or yes; 0, false, no or absent."""
    raw = (args.get(name) or "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise QueryError(f"{name} must be 1 or 0, not {raw[:40]!r}")


def items(args: Args, name: str, *, required: bool = False) -> list[str]:
    """A comma-separated list (empty items dropped); at most MAX_RUNS_LISTED of them."""
    values = [part.strip() for part in (args.get(name) or "").split(",") if part.strip()]
    if required and not values:
        raise QueryError(f"{name} is required: a comma-separated list, e.g. {name}=3,4,5")
    if len(values) > MAX_RUNS_LISTED:
        raise QueryError(f"{name} lists {len(values)} items; at most {MAX_RUNS_LISTED} at once")
    return values


def numbers(args: Args, name: str) -> list[int] | None:
    """A comma-separated list of run numbers (`#12` accepted); None when absent, [] when empty."""
    if name not in args:
        return None
    try:
        found = [int(v.removeprefix("#")) for v in items(args, name)]
    except ValueError:
        raise QueryError(
            f"{name} must be run numbers separated by commas, e.g. {name}=3,4"
        ) from None
    if any(not 0 <= n <= MAX_RUN_NUMBER for n in found):
        raise QueryError(f"{name} must be run numbers between 0 and {MAX_RUN_NUMBER}")
    return found


def sort_field(args: Args) -> str:
    """`sort`: a Run field, or `params.X`, `metrics.X`, `tags.X`; default `number`."""
    value = (args.get("sort") or "").strip() or "number"
    if value in RUN_FIELDS or (value.startswith(SORT_PREFIXES) and "." in value[:-1]):
        return value
    raise QueryError(
        f"cannot sort by {value[:60]!r}; use one of {', '.join(RUN_FIELDS)}, or params.NAME,"
        " metrics.NAME, tags.NAME"
    )


def descending(args: Args) -> bool:
    """`order`: asc (default) or desc."""
    value = (args.get("order") or "asc").strip().lower()
    if value not in ("asc", "desc"):
        raise QueryError(f"order must be asc or desc, not {value[:40]!r}")
    return value == "desc"


@dataclass(frozen=True)
class RunsQuery:
    """What `GET runs` asks for: which runs (filter, experiment, after, numbers), in what order, which page."""

    filter: str | None = None
    experiment: str | None = None
    sort: str = "number"
    descending: bool = False
    offset: int = 0
    limit: int | None = None
    after: int | None = None
    numbers: tuple[int, ...] | None = None
    columns: tuple[str, ...] | None = None

    @classmethod
    def parse(cls, args: Args) -> RunsQuery:
        filter_text = args.get("filter") or ""
        chosen = numbers(args, "numbers")
        return cls(
            filter=filter_text if filter_text.strip() else None,
            experiment=text(args, "experiment"),
            sort=sort_field(args),
            descending=descending(args),
            offset=integer(args, "offset", 0) or 0,
            limit=integer(args, "limit"),
            after=integer(args, "after"),
            numbers=None if chosen is None else tuple(chosen),
            columns=columns(args),
        )


def columns(args: Args) -> tuple[str, ...] | None:
    """`columns`: the params, metrics and tags each run brings (`params.lr,metrics.acc`); None: all."""
    from ..client import ColumnError, check_field

    if "columns" not in args:
        return None
    try:
        return tuple(check_field(name) for name in items(args, "columns"))
    except ColumnError as exc:
        raise QueryError(str(exc)) from None
