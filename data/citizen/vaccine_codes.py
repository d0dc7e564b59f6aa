"""The national catalogue's vaccine codes (data.catalog) as EU Digital COVID Certificate
medicinal-product codes (value set vaccine-medicinal-product, 2023-05-10; the Union Register
code where the EU authorised the product, the value set's own code otherwise).

One place for the mapping: the FHIR export (data.citizen.fhir) reads it; certificates should
read it too rather than keep a copy.
"""

from __future__ import annotations

# The code system of the value set (as in the EU DCC value sets and FHIR IGs built on them).
EU_PRODUCT_SYSTEM = "https://ec.europa.eu/health/documents/community-register/html/"

# catalogue code -> (mp code, display as in the value set)
EU_PRODUCTS: dict[str, tuple[str, str]] = {
    "AZ": ("EU/1/21/1529", "Vaxzevria"),  # the catalogue files Covishield under AZ too
    "SPV": ("Sputnik-V", "Sputnik-V"),
    "VRC": ("BBIBP-CorV", "BBIBP-CorV"),
    "PFZ": ("EU/1/20/1528", "Comirnaty"),
    "MOD": ("EU/1/20/1507", "Spikevax"),
    "JNJ": ("EU/1/20/1525", "Jcovden"),
    "HYT": ("Hayat-Vax", "Hayat-Vax"),
    "ABD": ("Abdala", "Abdala"),
    "CVX": ("Covaxin", "Covaxin"),
}


def eu_product(vaccine_code: str) -> tuple[str, str] | None:
    """(mp code, display) of a catalogue vaccine code, None when the value set lacks it."""
    return EU_PRODUCTS.get(vaccine_code)
