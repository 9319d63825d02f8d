"""The tracking core: the run handle and how values are checked and encoded."""
