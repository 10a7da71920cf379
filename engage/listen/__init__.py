"""Listen step."""
