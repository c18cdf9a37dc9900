"""The corpus generator and measure behind scripts/corpus.py, one module per
concern; each imports the names of the ones before it."""
