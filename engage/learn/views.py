"""Learn pages."""

from flask import Blueprint

bp = Blueprint("learn", __name__)
