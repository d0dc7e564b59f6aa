"""The real app on a loopback port (thread or worker process) and a client speaking Dash's protocol.

Worker process: python -m bench.appserver DATABASE_URL PORT
"""

from __future__ import annotations

import logging
import re
import secrets
import socket
import sys
import threading
from typing import Any

import requests
from werkzeug.serving import BaseWSGIServer, make_server

from data.settings import Settings, load_settings


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_in_thread(settings: Settings) -> tuple[BaseWSGIServer, str]:
    """Start create_app(settings) on a free loopback port in a daemon thread; (server, url)."""
    from app import create_app  # the WSGI entry point is only imported by servers and tests

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per poll
    port = free_port()
    server = make_server("127.0.0.1", port, create_app(settings).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def bench_user(settings: Settings) -> tuple[str, str]:
    """A new signed-in-able national account (ministry leader) in the database: (name, pw)."""
    from data.audit import Actor
    from data.auth.roles import Role
    from data.auth.users import create_user
    from data.db import make_engine, unit_of_work

    name, password = f"bench_{secrets.token_hex(4)}", "bench-" + secrets.token_hex(12)
    engine = make_engine(settings)
    try:
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "bench", "bench"), name, "Bench", password,
                        [(Role.MINISTRY_LEADER, None)], must_change_password=False)
    finally:
        engine.dispose()
    return name, password


class DashClient:
    """Fires the app's callbacks the way the browser does (POST /_dash-update-component)."""

    def __init__(self, base_url: str, user: tuple[str, str], timeout_s: float = 30.0) -> None:
        self.base = base_url
        self.timeout = timeout_s
        self.http = requests.Session()
        self.sign_in(*user)
        self.deps: list[dict[str, Any]] = self.get("/_dash-dependencies").json()

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the login form, then load the page for the CSRF cookie."""
        form = self.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        data = {"username": username, "password": password,
                "csrf_token": token.group(1) if token else ""}
        r = self.http.post(self.base + "/login", data=data, timeout=self.timeout)
        r.raise_for_status()
        self.get("/")
        csrf = self.http.cookies.get("_csrf_token")
        if csrf:
            self.http.headers["X-CSRFToken"] = csrf

    def get(self, path: str) -> requests.Response:
        """GET a path of the app, raising on HTTP errors."""
        r = self.http.get(self.base + path, timeout=self.timeout)
        r.raise_for_status()
        return r

    def callback(self, output_id: str) -> dict[str, Any]:
        """The dependency entry whose outputs include component `output_id`."""
        for cb in self.deps:
            if any(part.split(".")[0] == output_id for part in _outputs(cb["output"])):
                return cb
        raise KeyError(output_id)

    def callback_of(self, output: str) -> dict[str, Any]:
        """The one dependency entry with the output "id.property" (an allow_duplicate
        output's "@hash" aside); KeyError when no callback, or more than one, has it."""
        found = [cb for cb in self.deps if output in
                 (re.sub(r"@[0-9a-f]+$", "", part) for part in _outputs(cb["output"]))]
        if len(found) != 1:
            raise KeyError(f"{len(found)} callbacks have the output {output}")
        return found[0]

    def fire(self, cb: dict[str, Any], values: dict[str, Any]) -> dict[str, Any] | None:
        """Run one callback with input/state values keyed by component id; None if no update."""
        outs = [dict(zip(("id", "property"), o.split(".", 1), strict=True))
                for o in _outputs(cb["output"])]
        inputs = [{**i, "value": values.get(i["id"])} for i in cb["inputs"]]
        state = [{**s, "value": values.get(s["id"])} for s in cb["state"]]
        body = {"output": cb["output"], "outputs": outs if len(outs) > 1 else outs[0],
                "inputs": inputs, "state": state,
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}
        r = self.http.post(self.base + "/_dash-update-component", json=body, timeout=self.timeout)
        if r.status_code == 204:
            return None
        r.raise_for_status()
        return dict(r.json()["response"])


def _outputs(spec: str) -> list[str]:
    return spec.strip(".").split("...") if spec.startswith("..") else [spec]


def main() -> None:
    """Serve create_app() for DATABASE_URL on PORT (one threaded werkzeug worker)."""
    from app import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    url, port = sys.argv[1], int(sys.argv[2])
    settings = load_settings(database_url=url, redis_url=None)
    make_server("127.0.0.1", port, create_app(settings).server, threaded=True).serve_forever()


if __name__ == "__main__":
    main()
