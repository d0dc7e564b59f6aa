"""One transform per interchange kind: raw text rows -> canonical rows + rejects."""
