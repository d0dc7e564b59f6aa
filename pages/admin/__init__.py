"""Administration pages (layouts only; every callback checks the role again)."""
