"""Command-center pages (layouts only)."""
