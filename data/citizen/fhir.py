"""A citizen's doses as a FHIR R4 Bundle (type collection) of Immunization resources, with
the Patient and the facilities (Organization) they refer to.

The Patient carries name, sex and birth date only: no identity number, phone or address
(a health book export may be handed on). Ids are urn:uuid, made from the records' own keys
(uuid5), so the same book exports the same ids.
"""

from __future__ import annotations

import uuid
from typing import Any

from data.certificates.valuesets import EU_CODES
from data.citizen.records import Dose, Profile

# The namespace of the uuid5 ids of this export.
_NS = uuid.UUID("5b0f6a52-6f4c-4a8e-9a55-3f1c8a1f0c11")
# The EU DCC value set vaccine-medicinal-product's code system (the codes: the certificates'
# mapping of the catalogue, data.certificates.valuesets, kept in that one place).
EU_PRODUCT_SYSTEM = "https://ec.europa.eu/health/documents/community-register/html/"
# The catalogue's own codes (data.catalog), for products the EU value set lacks.
CATALOGUE_SYSTEM = "urn:vn-moh:covid-vaccine-catalogue"
GENDERS = {"M": "male", "F": "female"}


def _urn(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}:{key}')}"


def _patient(person_key: str, who: Profile | None) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if who is not None:
        patient |= {"name": [{"text": who.full_name}], "gender": GENDERS.get(who.sex, "unknown"),
                    "birthDate": who.birth_date.isoformat()}
    return {"fullUrl": _urn("patient", person_key), "resource": patient}


def _vaccine_code(dose: Dose) -> dict[str, Any]:
    codings = [{"system": CATALOGUE_SYSTEM, "code": dose.vaccine_code,
                "display": dose.vaccine_name}]
    eu = EU_CODES.get(dose.vaccine_code)
    if eu is not None:
        codings.insert(0, {"system": EU_PRODUCT_SYSTEM, "code": eu.mp})
    return {"coding": codings, "text": dose.vaccine_name}


def _immunization(dose: Dose, patient_url: str, org_url: str) -> dict[str, Any]:
    facility = dose.facility_name or dose.facility_code
    resource: dict[str, Any] = {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": _vaccine_code(dose),
        "patient": {"reference": patient_url},
        "occurrenceDateTime": dose.administered_at.isoformat(),
        "primarySource": True,
        "lotNumber": dose.lot_number,
        "performer": [{"actor": {"reference": org_url, "display": facility}}],
        "location": {"display": facility},
        "protocolApplied": [{"series": dose.dose_kind,
                             "doseNumberPositiveInt": dose.dose_number}],
    }
    if dose.lot_expiry is not None:
        resource["expirationDate"] = dose.lot_expiry.isoformat()
    return {"fullUrl": _urn("immunization", dose.record_id), "resource": resource}


def immunization_bundle(person_key: str, who: Profile | None,
                        doses: list[Dose]) -> dict[str, Any]:
    """The Bundle (JSON) of the person's doses. `person_key` makes the Patient's id: pass a
    pseudonym, never the identity number."""
    patient = _patient(person_key, who)
    orgs: dict[str, dict[str, Any]] = {}
    entries = []
    for dose in doses:
        org_url = _urn("organization", dose.facility_code)
        orgs.setdefault(org_url, {"fullUrl": org_url, "resource": {
            "resourceType": "Organization", "name": dose.facility_name or dose.facility_code,
            "identifier": [{"system": "urn:vn-moh:facility", "value": dose.facility_code}]}})
        entries.append(_immunization(dose, patient["fullUrl"], org_url))
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [*entries, patient, *orgs.values()]}
