"""Ask step."""
