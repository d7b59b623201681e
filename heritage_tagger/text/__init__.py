"""Lemmatiser (spaCy lookups), tokens, metadata similarity and word vectors (gensim)."""
