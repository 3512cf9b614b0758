"""The computing core of the statistics: plain Python over DuckDB, no Django.

Everything here takes a DuckDB connection (over a registry snapshot, or any tables with the
same columns) and plain values, so the same code runs in a page, a command or a benchmark.
"""
