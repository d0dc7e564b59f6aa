"""One registration written as one row of a registrations file (shared by check-in's walk-ins
at operations and the public portal's self-registration).

The cells go through the registrations kind's rules (data.interchange.kinds.registrations)
and its loader (data.loaders.simple.apply_registrations: registration and fct_registration),
so a registration typed in a form is valid exactly when the same file row would be, and its
refusals are worded as the reject report words them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from data.few_rows import FewRows
from data.interchange import command_row
from data.interchange.kinds import registrations, registrations_row
from data.loaders.simple import apply_registrations


def checked_registration(conn: Connection, cells: Mapping[str, object], lang: str, tz: str
                         ) -> FewRows:
    """The loader's row once the contract's rules accept the cells (text, as a file holds
    them); OpsError with each refused field, in `lang`, otherwise."""
    values = {f: cells.get(f) for f in registrations.OPERATIONAL}
    return command_row.checked_row(conn, values, registrations_row.transform,
                                   registrations.transform, lang, tz, with_facility=False)


def write_registration(conn: Connection, cells: Mapping[str, object], lang: str, tz: str
                       ) -> FewRows:
    """Check the cells as above and load the row; returns the row loaded."""
    rows = checked_registration(conn, cells, lang, tz)
    apply_registrations(conn, rows, 1_000)
    return rows
