"""Turning the objects users log as artifacts into (name, bytes, media type)."""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
import os
from pathlib import Path
from typing import Any

from ..errors import InvalidValue


def encode_artifact(obj: Any, name: str | None, format: str | None = None) -> tuple[str, bytes, str]:
    """Return `(name, data, media_type)` for a path, bytes, text, Figure or DataFrame.

    >>> encode_artifact(b"\\x00\\x01", "weights.bin")
    ('weights.bin', b'\\x00\\x01', 'application/octet-stream')
    """
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return name or "artifact.bin", bytes(obj), _media_type(name or "", "application/octet-stream")
    if isinstance(obj, os.PathLike) or (isinstance(obj, str) and name is None):
        path = Path(obj)
        if not path.is_file():
            raise InvalidValue(
                f"no file at {str(obj)[:200]!r}; to store text, pass a name: lt.log_artifact(text, name='notes.txt')"
            )
        return name or path.name, path.read_bytes(), _media_type(path.name, "application/octet-stream")
    if isinstance(obj, str):
        media = _media_type(name, "text/plain")
        return name, obj.encode("utf-8"), media + "; charset=utf-8" if media.startswith("text/") else media
    if hasattr(obj, "savefig"):  # a matplotlib Figure
        buffer = io.BytesIO()
        obj.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        label = name or (obj.get_label() if hasattr(obj, "get_label") else "") or "figure"
        return _with_suffix(label, ".png"), buffer.getvalue(), "image/png"
    if hasattr(obj, "to_csv") and hasattr(obj, "columns"):  # a pandas DataFrame
        return _encode_frame(obj, name, format)
    raise InvalidValue(
        f"cannot store a {type(obj).__name__} as an artifact; pass a file path, bytes, str,"
        " a matplotlib Figure or a pandas DataFrame"
    )


def _encode_frame(df: Any, name: str | None, format: str | None) -> tuple[str, bytes, str]:
    if format is None:
        format = "parquet" if _has_pyarrow() else "csv"
    if format == "parquet":
        buffer = io.BytesIO()
        df.to_parquet(buffer)
        return _with_suffix(name or "dataframe", ".parquet"), buffer.getvalue(), "application/vnd.apache.parquet"
    if format == "csv":
        return _with_suffix(name or "dataframe", ".csv"), df.to_csv(index=False).encode(), "text/csv; charset=utf-8"
    raise InvalidValue(f"unknown DataFrame format {format!r}; use 'parquet' or 'csv'")


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
