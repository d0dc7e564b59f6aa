"""The public figures page: headline doses, coverage by province as a bar list, vaccine
allocated and received, AEFI rates; links to the same figures as CSV and JSON. The figures
themselves are filled by callbacks.portal.figures (and re-read when the data version moves)."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import portal_paths
from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    FIG_AEFI,
    FIG_CSV,
    FIG_KPIS,
    FIG_PROVINCES,
    FIG_SORT,
    FIG_STAMP,
    FIG_SUPPLY,
    FIG_VERSION,
)
from pages._components.labels import label


def _section(title: str, *children: object, note: str | None = None) -> html.Section:
    head = [label(title, html.H2, className="pf-h2")]
    if note:
        head.append(label(note, html.P, className="pf-sub"))
    return html.Section([*head, *children], className="pf-section")


def layout() -> html.Div:
    """Heading, the 'as of' line, the headline cards and the three sections."""
    return html.Div(
        [
            label("portal.figures.heading", html.H1, className="portal-h1"),
            html.P(id=FIG_STAMP, className="pf-stamp", **{"aria-live": "polite"}),
            html.Div(id=FIG_KPIS, className="pf-kpis"),
            _section(
                N_("portal.figures.coverage_title"),
                html.Div([label("portal.figures.sort", html.Span, className="pf-sort-label"),
                          dcc.RadioItems(id=FIG_SORT, value="coverage", inline=True,
                                         className="pf-sort", inputClassName="pf-sort-input",
                                         labelClassName="pf-sort-option")],
                         className="pf-sort-row"),
                html.Div(id=FIG_PROVINCES, className="pf-provinces"),
                note=N_("portal.figures.coverage_note"),
            ),
            _section(N_("portal.figures.supply_title"), html.Div(id=FIG_SUPPLY),
                     note=N_("portal.figures.supply_note")),
            _section(N_("portal.figures.aefi_title"), html.Div(id=FIG_AEFI),
                     note=N_("portal.figures.aefi_note")),
            html.Div(
                [
                    html.A(label("portal.figures.download_csv"), id=FIG_CSV,
                           href=f"{portal_paths.PUBLIC_FIGURES_CSV}?lang=vi",
                           className="pf-download", download=""),
                    html.A(label("portal.figures.download_json"),
                           href=portal_paths.PUBLIC_FIGURES_JSON, className="pf-download"),
                ],
                className="pf-downloads",
            ),
            label("portal.figures.suppression_note", html.P, className="pf-note"),
            label("portal.figures.licence_note", html.P, className="pf-note"),
            dcc.Store(id=FIG_VERSION),
        ],
        className="pf-page",
    )
