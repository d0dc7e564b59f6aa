"""The national catalogue's vaccines in the EU value sets a DCC's vaccination entry draws on
(eu-dcc-valuesets 2023-07-12: vaccine-medicinal-product `mp`, vaccine-mah-manf `ma`,
vaccine-prophylaxis `vp`; the codes follow vaccine-encoding-instructions)."""

from __future__ import annotations

from dataclasses import dataclass

TARGET_COVID19 = "840539006"  # disease-agent-targeted: COVID-19
VP_MRNA = "1119349007"  # SARS-CoV-2 mRNA vaccine
VP_VECTOR = "29061000087103"  # COVID-19 non-replicating viral vector vaccine
VP_INACTIVATED = "1157024006"  # Inactivated whole SARS-CoV-2 antigen vaccine
VP_GENERIC = "28531000087107"  # COVID-19 vaccine (the only code the instructions give Abdala)


@dataclass(frozen=True)
class EuCodes:
    """One product's codes: medicinal product, marketing-authorisation holder, vaccine type."""

    mp: str
    ma: str
    vp: str


# Keyed by the catalogue's code (data.catalog.VACCINES); tests check every code is in the files.
EU_CODES: dict[str, EuCodes] = {
    "AZ": EuCodes("EU/1/21/1529", "ORG-100001699", VP_VECTOR),  # Vaxzevria, AstraZeneca AB
    "SPV": EuCodes("Sputnik-V", "Gamaleya-Research-Institute", VP_VECTOR),
    "VRC": EuCodes("BBIBP-CorV", "ORG-100020693", VP_INACTIVATED),  # Sinopharm Beijing
    "PFZ": EuCodes("EU/1/20/1528", "ORG-100030215", VP_MRNA),  # Comirnaty, BioNTech
    "MOD": EuCodes("EU/1/20/1507", "ORG-100031184", VP_MRNA),  # Spikevax, Moderna
    "JNJ": EuCodes("EU/1/20/1525", "ORG-100001417", VP_VECTOR),  # Jcovden, Janssen-Cilag
    "HYT": EuCodes("Hayat-Vax", "ORG-100023050", VP_INACTIVATED),  # Gulf Pharmaceutical
    "ABD": EuCodes("Abdala", "CIGB", VP_GENERIC),  # CIGB-66, Cuba
    "CVX": EuCodes("Covaxin", "Bharat-Biotech", VP_INACTIVATED),
}
