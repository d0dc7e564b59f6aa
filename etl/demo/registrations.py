"""Registrations: each person signs up some days before the first dose."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.fmt import iso_times, zpad
from etl.demo.people import Identities
from etl.demo.places import Geography
from etl.demo.schedule import TEENS

DAY = 86_400
# Who registers people of each priority group on their behalf (the rest sign up alone).
ORGANISATION = {
    1: "Sở Y tế ", 2: "Ban Chỉ đạo phòng, chống dịch COVID-19 ", 3: "Cục Hải quan ",
    4: "Bộ Chỉ huy Quân sự ", 5: "Công an ", 6: "Sở Giáo dục và Đào tạo ",
    8: "Công ty Điện lực ", 10: "Trung tâm Dịch vụ việc làm ",
}


def registration_frame(person: np.ndarray, first_seconds: np.ndarray, ids: Identities,
                       priority: np.ndarray, band: np.ndarray, geo: Geography,
                       rng: np.random.Generator) -> pd.DataFrame:
    """One registration per vaccinated person, 1-14 days before the first dose."""
    n = len(person)
    first_day = first_seconds // DAY
    sec = (first_day - rng.integers(1, 15, n)) * DAY + rng.integers(6 * 3600, 22 * 3600, n)
    order = np.lexsort((person, sec))
    person, sec = person[order], sec[order]
    prio = priority[person]
    prov_name = geo.province_names[ids.province[person]]
    dist_name = geo.district_names[ids.district[person]]
    ward = ids.ward[person]
    place = np.where(ward >= 0, geo.ward_names[np.maximum(ward, 0)] + ", ", "") + dist_name
    org = np.full(n, "", dtype=object)
    for group, body in ORGANISATION.items():
        m = prio == group
        org[m] = body + prov_name[m]
    # Schools registered their pupils; some employers registered their workers.
    teen = band[person] == TEENS
    org[teen] = "Trường THCS - THPT " + dist_name[teen]
    work = (prio == 0) & ~teen & (rng.random(n) < 0.08)
    org[work] = "Công ty TNHH Khu công nghiệp " + dist_name[work]
    return pd.DataFrame({
        "registration_id": "REG" + zpad(np.arange(1, n + 1), 9),
        "person_id": ids.person_id[person],
        "id_type": ids.id_type[person],
        "full_name": ids.full_name[person],
        "birth_date": ids.birth_date[person],
        "sex": ids.sex[person],
        "phone": ids.phone[person],
        "priority_group": prio,
        "province_code": geo.province_codes[ids.province[person]],
        "district_code": geo.district_codes[ids.district[person]],
        "ward_code": np.where(ward >= 0, geo.ward_codes[np.maximum(ward, 0)], ""),
        "address": ("Số " + pd.Series(rng.integers(1, 300, n)).astype(str).to_numpy(dtype=object)
                    + ", " + place + ", " + prov_name),
        "organisation": org,
        "registered_at": iso_times(sec),
    }, dtype=object).assign(_sec=sec)  # plain objects write as fast and build faster
