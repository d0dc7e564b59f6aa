"""The write side of operations: one short transaction per command, shared by the forms, the
JSON API, the simulator and (through the same rules and loaders) the ETL.

A command checks the principal's scope first, then the row against the interchange rules
(data.interchange: a form's dose is valid exactly when the same row in a file is), then
writes the operational row, its fact, the rollup deltas, the audit entry and the data
version in one unit of work.
"""
