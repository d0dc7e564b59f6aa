"""Row validation that collects every problem (line, field, value, reason, code) at once."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from data.interchange import parse
from data.interchange.messages import message

# The column the readers (etl.readers) add to every raw frame: the row's line in its file.
LINE = "_line"
REJECT_COLUMNS = ["line", "field", "value", "reason"]


def _flags(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A mask as booleans, NA as False. A mask that is already plain bool (most are) is
    taken as it is: wrapping and filling it costs more than the check, on a one-row form."""
    if isinstance(mask, np.ndarray) and mask.dtype == bool:
        return mask
    if isinstance(mask, pd.Series) and mask.dtype == bool:
        return mask.to_numpy()
    return np.asarray(pd.Series(mask).fillna(False), dtype=bool)


class Validator:
    """Wraps a raw frame; checks mark rows bad and record a reason per failing field."""

    def __init__(self, raw: pd.DataFrame, lang: str, tz: str) -> None:
        self.raw = raw.reset_index(drop=True)
        self.lang = lang
        self.tz = tz
        self.bad = np.zeros(len(self.raw), dtype=bool)
        self._rejects: list[pd.DataFrame] = []
        self._text: dict[str, pd.Series] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def col(self, name: str) -> pd.Series:
        """The raw text column (all NA when the file lacks it)."""
        if name in self.raw:
            return self.raw[name]
        return pd.Series(pa.nulls(len(self.raw), pa.large_string()), dtype="str")

    def text(self, field: str) -> pd.Series:
        """parse.text of the raw column, computed once per field (checks share it)."""
        if field not in self._text:
            self._text[field] = parse.text(self.col(field))
        return self._text[field]

    def reject(
        self, mask: pd.Series | np.ndarray, field: str, key: str,
        value: pd.Series | None = None, **fmt: object,
    ) -> None:
        """Mark rows bad; `fmt` values may be Series, formatted row by row."""
        m = _flags(mask)
        if not m.any():
            return
        self.bad |= m
        values = (value if value is not None else self.col(field))[m]
        per_row = {k: v for k, v in fmt.items() if isinstance(v, pd.Series)}
        if per_row:
            cols = {k: v[m].tolist() for k, v in per_row.items()}
            fixed = {k: v for k, v in fmt.items() if k not in per_row}
            reasons: list[str] | str = [
                message(key, self.lang, **fixed, **{k: cols[k][i] for k in cols})
                for i in range(int(m.sum()))
            ]
        else:
            reasons = message(key, self.lang, **fmt)
        self._rejects.append(pd.DataFrame({
            "line": self.raw[LINE][m].to_numpy(), "field": field,
            "value": values.astype("object").where(values.notna(), "").to_numpy(),
            "reason": reasons, "code": key,
        }))

    def add_unreadable(self, rows: Iterable[dict[str, object]]) -> None:
        """Rows the reader could not parse at all."""
        for r in rows:
            if "reason" in r:
                key = str(r["reason"])
                reason = message(key, self.lang)
            elif "json_error" in r:
                key, reason = "bad_json", message("bad_json", self.lang, error=r["json_error"])
            else:
                key = "bad_row"
                reason = message(key, self.lang, actual=r["actual"], expected=r["expected"])
            self._rejects.append(pd.DataFrame({"line": [r["line"]], "field": ["*"],
                                               "value": [""], "reason": [reason],
                                               "code": [key]}))

    def missing_columns(self, required: Iterable[str]) -> list[str]:
        """Required columns absent from the header (every row then fails)."""
        return [c for c in required if c not in self.raw.columns]

    # -- typed accessors that reject as they parse -------------------------------------------

    def required_text(self, field: str) -> pd.Series:
        """Non-blank NFC text."""
        t = self.text(field)
        self.reject(t.isna(), field, "required")
        return t

    def optional_text(self, field: str) -> pd.Series:
        """NFC text or NA."""
        return self.text(field)

    def choice(
        self, field: str, choices: Iterable[str], required: bool = True,
        default: str | None = None, aliases: dict[str, str] | None = None,
    ) -> pd.Series:
        """Upper-case value from a closed list."""
        allowed = list(choices)
        t = parse.upper_of_text(self.text(field))
        if aliases:
            t = t.replace(aliases)
        if default is not None:
            t = t.fillna(default)
        blank = t.isna()
        if required:
            self.reject(blank, field, "required")
        self.reject(~blank & ~t.isin(allowed), field, "bad_choice", choices=", ".join(allowed))
        return t

    def date(self, field: str, required: bool = True, not_future: bool = True) -> pd.Series:
        """A calendar date (ISO or dd/mm/yyyy)."""
        raw = self.text(field)
        d = parse.date_of_text(raw)
        if required:
            self.reject(raw.isna(), field, "required")
        self.reject(raw.notna() & d.isna(), field, "bad_date")
        if not_future:
            today = pd.Timestamp.now(tz=self.tz).tz_localize(None).normalize()
            self.reject(d > today, field, "future")
        return d

    def timestamp(self, field: str, required: bool = True, not_future: bool = True) -> pd.Series:
        """An ISO 8601 timestamp, as UTC."""
        raw = self.text(field)
        ts = parse.timestamp_of_text(raw, self.tz)
        if required:
            self.reject(raw.isna(), field, "required")
        self.reject(raw.notna() & ts.isna(), field, "bad_timestamp")
        if not_future:
            # A minute of grace for clocks of the sending systems.
            self.reject(ts > pd.Timestamp.now(tz="UTC") + pd.Timedelta(minutes=1), field, "future")
        return ts

    def integer(
        self, field: str, lo: int | None = None, hi: int | None = None,
        required: bool = True, default: int | None = None,
    ) -> pd.Series:
        """A whole number, optionally within [lo, hi]."""
        raw = self.text(field)
        n = parse.integer_of_text(raw)
        if default is not None:
            # Only a blank cell takes the default; text that is not a number stays an error.
            n = n.mask(raw.isna(), default)
            raw = raw.fillna(str(default))
        if required:
            self.reject(raw.isna(), field, "required")
        bad = raw.notna() & n.isna()
        if lo is not None and hi is not None:
            bad |= n.notna() & ((n < lo) | (n > hi))
            self.reject(bad, field, "int_range", lo=lo, hi=hi)
        else:
            self.reject(bad, field, "bad_int")
        return n

    def province(self, field: str, known: set[str]) -> pd.Series:
        """A GSO province code (leading zeros restored)."""
        raw = self.text(field)
        val, ok = parse.code_of_text(raw, 2)
        self.reject(raw.isna(), field, "required")
        self.reject(raw.notna() & (~ok | ~val.isin(known)), field, "unknown_province")
        return val

    def district(
        self, field: str, province: pd.Series, parent: dict[str, str], province_field: str
    ) -> pd.Series:
        """A GSO district code that lies in `province`."""
        raw = self.text(field)
        val, ok = parse.code_of_text(raw, 3)
        self.reject(raw.isna(), field, "required")
        unknown = raw.notna() & (~ok | ~val.isin(parent.keys()))
        self.reject(unknown, field, "unknown_district")
        home = parse.lookup(val, parent)
        outside = ~unknown & val.notna() & province.notna() & (home != province)
        self.reject(outside, field, "district_not_in_province",
                    district=val.fillna(""), province=province.fillna(""))
        return val

    def ward(self, field: str, district: pd.Series, parent: dict[str, str]) -> pd.Series:
        """An optional GSO ward code that lies in `district`."""
        raw = self.text(field)
        if not raw.notna().any():
            return raw  # no ward given on any row (many districts send none): nothing to check
        val, ok = parse.code_of_text(raw, 5)
        unknown = raw.notna() & (~ok | ~val.isin(parent.keys()))
        self.reject(unknown, field, "unknown_ward")
        home = parse.lookup(val, parent)
        outside = ~unknown & val.notna() & district.notna() & (home != district)
        self.reject(outside, field, "ward_not_in_district",
                    ward=val.fillna(""), district=district.fillna(""))
        return val

    def rejects(self) -> pd.DataFrame:
        """Every recorded problem, ordered by line: the reject report's columns."""
        return self.problems()[REJECT_COLUMNS]

    def problems(self) -> pd.DataFrame:
        """The reject rows plus each one's `code`, the message id of its reason (a form or
        the API shows the reason beside its field, in its own words)."""
        if not self._rejects:
            return pd.DataFrame(columns=[*REJECT_COLUMNS, "code"])
        out = pd.concat(self._rejects, ignore_index=True)
        return out.sort_values(["line", "field"], kind="stable").reset_index(drop=True)

    def valid_mask(self) -> np.ndarray:
        """Rows with no problem."""
        return ~self.bad
