"""Pieces shared by the person-carrying kinds (injections, registrations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import catalog
from data.interchange import parse
from data.interchange.validate import Validator
from data.lookups import RefContext
from data.refdata import district_geo_key

SEX_ALIASES = {"NAM": "M", "NỮ": "F", "NU": "F", "MALE": "M", "FEMALE": "F"}
PHONE_RE = r"0(?:3|5|7|8|9)\d{8}"


def person_identity(v: Validator) -> tuple[pd.Series, pd.Series]:
    """person_id and id_type (inferred from the shape when omitted)."""
    pid = parse.remove(parse.upper_of_text(v.text("person_id")), r"[\s.-]")
    v.reject(pid.isna(), "person_id", "required")
    id_type = v.choice("id_type", catalog.ID_TYPES, required=False)
    shape = id_shapes(pid)
    inferred = pd.Series(
        np.select([shape["d12"], shape["d9"], shape["passport_inferred"]],
                  ["CCCD", "CMND", "PASSPORT"], default=None),
        index=pid.index, dtype="str")
    id_type = id_type.fillna(inferred)
    shape_ok = (
        ((id_type == "CCCD").to_numpy(dtype=bool, na_value=False) & shape["d12"])
        | ((id_type == "CMND").to_numpy(dtype=bool, na_value=False)
           & (shape["d9"] | shape["d12"]))
        | ((id_type == "PASSPORT").to_numpy(dtype=bool, na_value=False) & shape["passport"])
    )
    v.reject(pid.notna() & ~shape_ok, "person_id", "bad_person_id")
    return pid, id_type


def id_shapes(pid: pd.Series) -> dict[str, np.ndarray]:
    r"""Shapes of upper-case identity numbers, by Arrow character-class kernels.

    The same full matches as pandas' str.fullmatch (Python's re): d12 / d9: r"\d{12}" /
    r"\d{9}" (\d is any Unicode decimal digit there); passport: r"[A-Z0-9]{6,9}";
    passport_inferred: r"[A-Z][A-Z0-9]{5,8}". Six regular expressions over every row cost
    about a second per million rows; these kernels a fraction of that.
    """
    arr = pa.array(pid, type=pa.large_string(), from_pandas=True)
    n = pc.utf8_length(arr)

    def flag(mask: pa.Array) -> np.ndarray:
        return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)

    digits = pc.utf8_is_decimal(arr)
    # The value is upper-cased first, so ASCII letters left are A-Z.
    alnum = pc.and_(pc.ascii_is_alnum(arr),
                    pc.and_(pc.greater_equal(n, 6), pc.less_equal(n, 9)))
    return {
        "d12": flag(pc.and_(digits, pc.equal(n, 12))),
        "d9": flag(pc.and_(digits, pc.equal(n, 9))),
        "passport": flag(alnum),
        "passport_inferred": flag(pc.and_(
            alnum, pc.ascii_is_alpha(pc.utf8_slice_codeunits(arr, 0, 1)))),
    }


def phone(v: Validator, required: bool) -> pd.Series:
    """A Vietnamese mobile number in national form (0xxxxxxxxx)."""
    t = parse.remove(v.text("phone"), r"[\s.()-]")
    intl = t.str.fullmatch(r"\+?84\d{9}").fillna(False).astype(bool)
    if intl.any():
        t = t.where(~intl, "0" + t.str.slice(-9))
    if required:
        v.reject(t.isna(), "phone", "required")
    v.reject(t.notna() & ~t.str.fullmatch(PHONE_RE).fillna(False).astype(bool), "phone",
             "bad_phone")
    return t


def sex(v: Validator) -> pd.Series:
    """M or F (also Nam / Nữ)."""
    return v.choice("sex", catalog.SEXES, aliases=SEX_ALIASES)


def person_and_residence(
    v: Validator, ctx: RefContext, out: pd.DataFrame, phone_required: bool
) -> pd.Series:
    """Fill the person and residence columns shared by injections and registrations.

    Returns the birth dates (datetime64), which the caller needs for age bands.
    """
    out["person_id"], out["id_type"] = person_identity(v)
    out["full_name"] = v.required_text("full_name")
    birth = v.date("birth_date")
    out["sex"] = sex(v)
    out["phone"] = phone(v, required=phone_required)
    out["priority_group"] = v.integer("priority_group", 0, catalog.MAX_PRIORITY_GROUP, default=0)
    out["province_code"] = v.province("province_code", ctx.provinces)
    out["district_code"] = v.district("district_code", out["province_code"],
                                      ctx.district_province, "province_code")
    out["ward_code"] = v.ward("ward_code", out["district_code"], ctx.ward_district)
    return birth


def geo_keys(rows: pd.DataFrame) -> pd.Series:
    """Ward row of dim_geography when the ward is known, else the district's own row."""
    ward = pd.to_numeric(rows["ward_code"], errors="coerce")
    district = rows["district_code"].astype("int64") + district_geo_key("000")
    return ward.fillna(district).astype("int64")


def age_band(birth: pd.Series, at_local: pd.Series) -> pd.Series:
    """Index into catalog.AGE_BANDS of the age in whole years at a local date."""
    years = at_local.dt.year - birth.dt.year
    before_birthday = (at_local.dt.month * 100 + at_local.dt.day) < (
        birth.dt.month * 100 + birth.dt.day)
    age = (years - before_birthday.astype("int64")).clip(lower=0)
    edges = [lo for _, _, lo, _ in catalog.AGE_BANDS[1:]]
    return pd.Series(np.searchsorted(edges, age.fillna(0).to_numpy(), side="right"),
                     index=birth.index)


def group_keys(priority: pd.Series, band: pd.Series, sexes: pd.Series) -> pd.Series:
    """dim_population_group keys (see catalog.group_key)."""
    return (priority.fillna(0).astype("int64") * 100 + band.astype("int64") * 10
            + np.where(sexes == "M", 1, 2))


def row_hash(frame: pd.DataFrame) -> pd.Series:
    """Content hash of canonical columns: a changed hash under the same id is a correction.

    The columns are cast to text and joined by Arrow kernels, then hashed once with pandas'
    SipHash: converting numbers to text in Python, or hashing column by column, costs
    several times more on wide files.
    """
    parts = [pc.fill_null(pc.cast(pa.array(frame[c], from_pandas=True), pa.large_string()),
                          "\x00") for c in frame.columns]
    joined = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", pa.large_string()))
    values = np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)
    hashed = pd.util.hash_array(values, categorize=False)  # rows are mostly unique
    return pd.Series(hashed.astype("int64"), index=frame.index)
