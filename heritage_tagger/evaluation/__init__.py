"""Metrics, protocol, reports and plots."""
