"""Inform step."""
