"""Turning the objects users log as artifacts into (name, bytes, media type)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import mimetypes
import os
from pathlib import Path
from typing import Any

from ..errors import InvalidValue


def encode_artifact(
    obj: Any, name: str | None, format: str | None = None
) -> tuple[str, bytes, str]:
    """Return `(name, data, media_type)` for a path, bytes, text, Figure or DataFrame.

    >>> encode_artifact(b"\\x00\\x01", "weights.bin")
    ('weights.bin', b'\\x00\\x01', 'application/octet-stream')
    """
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return (
            name or "artifact.bin",
            bytes(obj),
            _media_type(name or "", "application/octet-stream"),
        )
    if isinstance(obj, os.PathLike) or (isinstance(obj, str) and name is None):
        path = Path(obj)
        if not path.is_file():
            raise InvalidValue(
                f"no file at {str(obj)[:200]!r}; to store text, pass a name: lt.log_artifact(text, name='notes.txt')"
            )
        return (
            name or path.name,
            path.read_bytes(),
            _media_type(path.name, "application/octet-stream"),
        )
    if isinstance(obj, str):
        media = _media_type(name, "text/plain")
        return (
            name,
            obj.encode("utf-8"),
            media + "; charset=utf-8" if media.startswith("text/") else media,
        )
    if hasattr(obj, "savefig"):  # a matplotlib Figure
        buffer = io.BytesIO()
        obj.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        with contextlib.suppress(
            Exception
        ):  # kept: the cell's figure capture must not keep it again
            obj._labtrack_logged = True
        label = name or (obj.get_label() if hasattr(obj, "get_label") else "") or "figure"
        return _with_suffix(label, ".png"), buffer.getvalue(), "image/png"
    if hasattr(obj, "to_csv") and hasattr(obj, "columns"):  # a pandas DataFrame
        return _encode_frame(obj, name, format)
    raise InvalidValue(
        f"cannot store a {type(obj).__name__} as an artifact; pass a file path, bytes, str,"
        " a matplotlib Figure or a pandas DataFrame"
    )


def _encode_frame(df: Any, name: str | None, format: str | None) -> tuple[str, bytes, str]:
    """Parquet (or CSV) as asked; a frame the encoder refuses (a column of mixed types) falls back
    to CSV, then to its repr, with one warning that says what was stored and how to keep the types."""
    if format not in (None, "parquet", "csv"):
        raise InvalidValue(f"unknown DataFrame format {format!r}; use 'parquet' or 'csv'")
    if format is None:
        format = "parquet" if _has_pyarrow() else "csv"
    base = name or "dataframe"
    for stem in (".parquet", ".csv"):
        base = base[: -len(stem)] if base.lower().endswith(stem) else base
    failures: list[str] = []
    if format == "parquet":
        try:
            buffer = io.BytesIO()
            df.to_parquet(buffer)
            return (
                _with_suffix(name or base, ".parquet"),
                buffer.getvalue(),
                "application/vnd.apache.parquet",
            )
        except Exception as exc:  # pyarrow refuses e.g. a column holding both ints and strings
            failures.append(f"as Parquet ({type(exc).__name__}: {str(exc)[:160]})")
    try:
        data = df.to_csv(index=False).encode()
        stored = _with_suffix(base, ".csv")
        media = "text/csv; charset=utf-8"
    except Exception as exc:
        failures.append(f"as CSV ({type(exc).__name__}: {str(exc)[:160]})")
        data, stored, media = (
            repr(df).encode(),
            _with_suffix(base, ".txt"),
            "text/plain; charset=utf-8",
        )
    if failures:
        _warn_fallback(base, failures, stored)
    return stored, data, media


def _warn_fallback(name: str, failures: list[str], stored: str) -> None:
    import warnings

    from .failures import TrackingWarning

    warnings.warn_explicit(
        f"labtrack: DataFrame artifact {name!r} could not be stored {' nor '.join(failures)}; it was stored"
        f" as {stored!r} instead. To keep the column types, give mixed columns one type first"
        " (e.g. df['col'] = df['col'].astype(str)).",
        TrackingWarning,
        "labtrack",
        0,
        module="labtrack",
    )


def dataset_fingerprint(df: Any) -> tuple[str, dict[str, str]]:
    """A content fingerprint (sha256 of the rows' hashes, columns and dtypes) and the schema."""
    import pandas as pd

    schema = {str(column): str(dtype) for column, dtype in df.dtypes.items()}
    digest = hashlib.sha256(json.dumps(list(schema.items())).encode())
    digest.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    return digest.hexdigest(), schema


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _with_suffix(name: str, suffix: str) -> str:
    return name if name.lower().endswith(suffix) else name + suffix


def _media_type(name: str, default: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or default
