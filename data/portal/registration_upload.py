"""An organisation's list of people, uploaded on the public portal (no sign-in).

The file goes through the registrations kind's rules and loader like any registrations file
(etl.pipeline.load_file, called by the portal's callback); this is the further check of its
valid rows (the pipeline's row_check), inside the load's transaction. An anonymous upload may
only ADD registrations: an id already stored is refused (else anyone could overwrite anyone's
registration by naming its id), and so is an identity number already registered (the portal's
one-registration-per-identity rule, data.portal.registration). Rows without an organisation
take the one the uploader stated, so the registry shows who listed them; the content hash is
computed again for the rows changed.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import Connection, bindparam, text

from data.interchange.kinds import common, registrations
from data.interchange.messages import message
from data.interchange.validate import REJECT_COLUMNS

RowCheck = Callable[[Connection, pd.DataFrame, pd.Series], tuple[pd.DataFrame, pd.DataFrame]]
MAX_ORGANISATION = 200  # the registration table's column


def _found(conn: Connection, sql: str, values: list[str]) -> set[str]:
    stmt = text(sql).bindparams(bindparam("v", expanding=True))
    out: set[str] = set()
    for i in range(0, len(values), 1000):
        out.update(r[0] for r in conn.execute(stmt, {"v": values[i:i + 1000]}).all())
    return out


def organisation_check(organisation: str, lang: str) -> RowCheck:
    """The portal upload's row check for a list sent in the name of `organisation`."""

    def check(conn: Connection, rows: pd.DataFrame, lines: pd.Series
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
        ids = sorted({str(x) for x in rows["registration_id"]})
        people = sorted({str(x) for x in rows["person_id"]})
        taken = _found(conn, "SELECT registration_id FROM registration "
                             "WHERE registration_id IN :v", ids)
        known = _found(conn, "SELECT person_id FROM registration WHERE person_id IN :v",
                       people) | _found(conn, "SELECT person_id FROM portal_registration "
                                              "WHERE person_id IN :v", people)
        id_taken = rows["registration_id"].isin(taken)
        person_known = rows["person_id"].isin(known) & ~id_taken
        refused = pd.concat([
            pd.DataFrame({"line": lines[id_taken].to_numpy(), "field": "registration_id",
                          "value": rows["registration_id"][id_taken].to_numpy(),
                          "reason": message("registration_exists", lang)}),
            pd.DataFrame({"line": lines[person_known].to_numpy(), "field": "person_id",
                          "value": rows["person_id"][person_known].to_numpy(),
                          "reason": message("person_registered", lang)}),
        ], ignore_index=True)[REJECT_COLUMNS]
        kept = rows[~(id_taken | person_known)].copy()
        # The same person twice in the file: the first line keeps its place.
        again = kept["person_id"].duplicated(keep="first")
        if again.any():
            refused = pd.concat([refused, pd.DataFrame({
                "line": lines.loc[kept.index[again]].to_numpy(), "field": "person_id",
                "value": kept["person_id"][again].to_numpy(),
                "reason": message("person_registered", lang)})], ignore_index=True)
            kept = kept[~again]
        blank = kept["organisation"].isna()
        if blank.any():
            kept.loc[blank, "organisation"] = organisation[:MAX_ORGANISATION]
            kept["row_hash"] = common.row_hash(kept[registrations.OPERATIONAL])
        return kept, refused.reset_index(drop=True)

    return check
