"""The coded list of symptoms the staff AEFI form offers, with their Vietnamese and English
labels; anything else goes in the free text.

Sources: WHO, "Global manual on surveillance of adverse events following immunization"
(2014, revised 2016), section 2 and Table 2 (common minor reactions; serious reactions with
their case definitions); WHO, "COVID-19 vaccines: safety surveillance manual" (2020), module
"AESI" (adverse events of special interest: anaphylaxis, thrombosis with thrombocytopenia
syndrome, myocarditis/pericarditis, Guillain-Barré syndrome, Bell's palsy, seizures); the
Brighton Collaboration case definitions named there. Terms are plain words, MedDRA-like, not
MedDRA codes (MedDRA needs a licence).

The contract's `symptoms` column carries the Vietnamese labels (lower case, ';'-separated,
then the free text), so the command center's term table (data.mcc.aefi.term_table) counts a
coded term the same whatever the form's language.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "WHO-AEFI-2016+COVID-AESI-2020"


@dataclass(frozen=True)
class Term:
    """One coded symptom and its labels."""

    code: str
    vi: str
    en: str


TERMS: tuple[Term, ...] = (
    Term("INJECTION_SITE_REACTION", "phản ứng tại chỗ tiêm", "injection site reaction"),
    Term("FEVER", "sốt", "fever"),
    Term("HEADACHE", "đau đầu", "headache"),
    Term("FATIGUE", "mệt mỏi", "fatigue"),
    Term("MYALGIA", "đau cơ", "myalgia"),
    Term("NAUSEA_VOMITING", "buồn nôn, nôn", "nausea or vomiting"),
    Term("DIZZINESS", "chóng mặt", "dizziness"),
    Term("URTICARIA", "nổi mề đay", "urticaria"),
    Term("DYSPNOEA", "khó thở", "dyspnoea"),
    Term("SYNCOPE", "ngất", "syncope"),
    Term("ANAPHYLAXIS", "sốc phản vệ", "anaphylaxis"),
    Term("SEIZURE", "co giật", "seizure"),
    Term("LYMPHADENOPATHY", "sưng hạch bạch huyết", "lymphadenopathy"),
    Term("THROMBOSIS_THROMBOCYTOPENIA", "huyết khối kèm giảm tiểu cầu",
         "thrombosis with thrombocytopenia syndrome"),
    Term("MYOCARDITIS_PERICARDITIS", "viêm cơ tim, viêm màng ngoài tim",
         "myocarditis or pericarditis"),
    Term("GUILLAIN_BARRE", "hội chứng Guillain-Barré", "Guillain-Barré syndrome"),
    Term("BELLS_PALSY", "liệt mặt (liệt Bell)", "Bell's palsy"),
)
BY_CODE: dict[str, Term] = {t.code: t for t in TERMS}
CODES: tuple[str, ...] = tuple(BY_CODE)


def label(code: str, lang: str) -> str:
    """The term's label in `lang` (Vietnamese unless 'en')."""
    term = BY_CODE[code]
    return term.en if lang == "en" else term.vi


def symptoms_text(codes: tuple[str, ...] | list[str], free_text: str | None) -> str:
    """The contract's symptoms cell: the coded terms' Vietnamese labels, then the free text,
    ';'-separated (KeyError for an unknown code)."""
    parts = [BY_CODE[c].vi for c in dict.fromkeys(codes)]
    if free_text and free_text.strip():
        parts.append(free_text.strip())
    return "; ".join(parts)


_BY_VI: dict[str, str] = {t.vi.casefold(): t.code for t in TERMS}


def in_language(cell: str | None, lang: str) -> str:
    """A symptoms cell read in `lang`: each ';'-separated part that is a coded term's
    Vietnamese label (as symptoms_text writes it) shown with the term's label in `lang`,
    any other text (free text, a file's own words) as it was written."""
    if not cell:
        return ""
    parts = [p.strip() for p in cell.split(";") if p.strip()]
    return "; ".join(label(_BY_VI[p.casefold()], lang) if p.casefold() in _BY_VI else p
                     for p in parts)
