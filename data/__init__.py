"""Data layer: the only code that speaks SQL or Redis."""
