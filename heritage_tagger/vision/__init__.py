"""Backbone registry (weights, transforms and feature size together), feature extraction, siamese head."""
