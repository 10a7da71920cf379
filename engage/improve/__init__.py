"""Improve step."""
