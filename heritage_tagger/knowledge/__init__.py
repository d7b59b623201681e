"""Neighbour index (faiss), tag relevance and the semantic summary of neighbours."""
