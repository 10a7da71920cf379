"""Accounts step."""
