"""Respond step."""
