"""`python -m benchmarks`: the scale benchmark (benchmarks/scale_bench.py; --help for options)."""

from benchmarks.scale_bench import main

main()
