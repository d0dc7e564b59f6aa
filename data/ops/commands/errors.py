"""What a command refuses, field by field: the types live in data.command_errors (shared with
the public portal's commands); re-exported for operations."""

from data.command_errors import OpsError, Problem

__all__ = ["OpsError", "Problem"]
