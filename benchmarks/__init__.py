"""Benchmarks of the word2vec engine against gensim (run from the repository root)."""
