"""The fluent layer: `lt.*` functions over a default `Lab` plus the active run and hypothesis."""
