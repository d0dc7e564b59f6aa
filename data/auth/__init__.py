"""Accounts, roles and scopes: every read and write is checked here, in the data layer."""
