"""Improve pages."""

from flask import Blueprint

bp = Blueprint("improve", __name__)
