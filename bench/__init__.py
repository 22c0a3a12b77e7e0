"""Chibo's benchmark, run by hand (never in CI): see docs/benchmarks.md."""
