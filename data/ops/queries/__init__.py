"""Reads of the operations face, each scoped to the principal in the data layer."""
