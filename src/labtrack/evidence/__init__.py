"""The statistics of hypotheses: metric summaries, effects, intervals and verdicts (pure functions)."""
