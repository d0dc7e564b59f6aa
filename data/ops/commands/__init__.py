"""The vaccination day's write side: one short transaction per command.

Each command checks the principal's scope before anything else, writes its audit entry in the
same transaction, and refuses bad input with an OpsError listing (field, code) per problem.
None of them bumps the data version: the dashboards count doses, stock and AEFI reports,
never sessions, bookings, check-ins or screenings (see each module).
"""
