"""Comparison methods of the papers behind one registry."""
