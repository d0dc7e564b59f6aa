"""Reads of the vaccination day (plain data out; scope checked in the data layer)."""
