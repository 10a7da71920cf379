"""Learn step."""
