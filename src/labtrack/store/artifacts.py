"""Content-addressed artifact files: `artifacts/sha256/ab/cdef...`, written once, shared by runs."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ArtifactFiles:
    """The artifact folder of a store. Paths come only from validated sha256 digests."""

    def __init__(self, root: Path):
        self.root = root

    def path_for(self, digest: str) -> Path:
        """The file holding the artifact with this sha256 (a ValueError for anything else)."""
        if not _HEX64.match(digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / "sha256" / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        """Write `data` once (atomically) and return its sha256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_for(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return digest

    def read(self, digest: str) -> bytes:
        return self.path_for(digest).read_bytes()

    def digests_on_disk(self) -> Iterator[tuple[str, Path]]:
        """Every (sha256, path) present under the folder."""
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for sub in sorted(base.iterdir()):
            if not sub.is_dir():
                continue
            for file in sorted(sub.iterdir()):
                digest = sub.name + file.name
                if _HEX64.match(digest):
                    yield digest, file
