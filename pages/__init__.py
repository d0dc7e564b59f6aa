"""Page layouts (Dash Pages): declarative only, no I/O and no callbacks."""
