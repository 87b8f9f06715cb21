"""The benchmark: ``make bench`` runs ``python -m bench.run``; see the README's Benchmark section."""
