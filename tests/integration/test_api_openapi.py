"""The OpenAPI document of the JSON API: made by spectree from the routes, it lists every one."""

from __future__ import annotations

import re

import dash
from flask.testing import FlaskClient


def _documented(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_every_api_route_is_in_the_document(app: dash.Dash, client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    routes = {(_documented(r.rule), m.lower()) for r in app.server.url_map.iter_rules()
              if r.rule.startswith("/api/v1") and r.rule != "/api/v1/openapi.json"
              for m in (r.methods or ()) - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert len(routes) == 34  # staff 19, trust list 1, citizen 12, public figures 2
    assert routes == documented


def test_the_document_says_how_to_authenticate(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["components"]["securitySchemes"] == {"bearer": {"type": "http",
                                                               "scheme": "bearer"}}
    assert doc["security"] == [{"bearer": []}]
    token = doc["paths"]["/api/v1/auth/token"]["post"]
    assert token["security"] == []
    assert set(token["responses"]) >= {"200", "400", "401", "429"}
    for path in ("/api/v1/citizen/auth/code", "/api/v1/citizen/auth/token"):
        sign_in = doc["paths"][path]["post"]
        assert sign_in["security"] == [] and "429" in sign_in["responses"], path
    assert set(doc["paths"]["/api/v1/citizen/auth/code"]["post"]["responses"]) >= {"202"}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert "400" in op["responses"], (path, method)
    # The public figures need no token.
    assert doc["paths"]["/api/v1/public/figures"]["get"]["security"] == []
    assert doc["paths"]["/api/v1/public/figures.csv"]["get"]["security"] == []
