"""Helpers for the robustness, crash, concurrency, fuzz and incremental tests (not tests themselves)."""
