"""The rule modules' error type lives in data.rule_errors (shared: data.cccd raises it for the
portal too); re-exported for operations."""

from data.rule_errors import RuleError

__all__ = ["RuleError"]
