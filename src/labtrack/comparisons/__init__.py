"""Comparisons of runs (params, metric summaries, aligned histories) and their exports."""
