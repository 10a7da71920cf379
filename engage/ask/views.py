"""Ask pages."""

from flask import Blueprint

bp = Blueprint("ask", __name__)
