"""Benchmarks: programs that measure and print JSON, never pass/fail tests (see README.md)."""
