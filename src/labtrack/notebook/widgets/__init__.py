"""Notebook views of runs. Importing this package loads no widget library; views do, when shown."""

from __future__ import annotations

from .live import LiveView, LiveViews, RunSummary

__all__ = ["LiveView", "LiveViews", "RunSummary"]
