"""Benchmarks of reindus: `make bench` (python -m bench) prints one line per metric."""
