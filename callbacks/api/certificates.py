"""The public trust list of the COVID certificates (GET /api/v1/trust-list): no token, as any
verifier app anywhere must read it. Only public certificates: the keys never leave their
folder (data/certificates/keys.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from callbacks.api.bearer import services
from data.certificates.issue import key_store


def trust_list() -> Any:
    """The document-signer certificates, as EU verifiers read them."""
    response = current_app.json.response(key_store(services().settings).trust_list().to_json())
    # Public data: a verifier web app on another origin may read it too.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
