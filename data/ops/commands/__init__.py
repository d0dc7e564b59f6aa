"""The write side of operations: one short transaction per command, shared by the forms, the
JSON API, the simulator and (through the same rules and loaders) the ETL.

A command checks the principal's scope first, then its input (a dose against the interchange
rules in data.interchange: a form's dose is valid exactly when the same row in a file is),
then writes the operational row and its audit entry in one unit of work. record_injection also
writes the fact, the rollup deltas and the data version there; sessions, bookings, check-ins
and screenings bump no version, since no dashboard counts them (see each module).
"""
