"""Benchmarks of reindus: `make bench` (python -m bench) prints one line per metric.

May import: anything of the project (it measures the CLI, the app and the store as a user meets them); only the
tests import it back (to start the app and the cluster the way the benchmarks do).
"""
