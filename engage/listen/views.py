"""Listen pages."""

from flask import Blueprint

bp = Blueprint("listen", __name__)
