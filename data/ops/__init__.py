"""The vaccination-day side of the platform (check-in, screening, injection)."""
