"""Reports step."""
