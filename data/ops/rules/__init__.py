"""Pure, versioned rules of the vaccination day: identity numbers, screening, schedules.

The Ministry's rules live as data files in `sets/` (shipped as package data), read and
validated by pydantic models; a correction of a rule is a data change, not a code change.
Nothing here touches the database, Redis or the web layer.
"""
