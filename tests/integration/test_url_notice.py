"""A shared link with filter values the page cannot use opens the page with a notice that
names them, in the user's language (issue 10, defect 8); a good link gets none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient

from app import create_app
from callbacks.shared import ids
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import client_for
from tests.integration.test_web_security import add_user
from tests.webcalls import outputs_of, page_call, payload, post, text_of

# path, search -> the notice's words in Vietnamese and in English (None: no notice).
CASES: list[tuple[str, str, tuple[str, ...] | None, tuple[str, ...] | None]] = [
    ("/allocation", "?as_of=0001-01-01",
     ("Ngày 0001-01-01 trong liên kết nằm ngoài thời gian chiến dịch",
      "đang hiển thị dữ liệu mới nhất"),
     ("The date 0001-01-01 in the link is outside the campaign", "showing the latest data")),
    ("/allocation", "?province=99&vaccine=XYZ",
     ("Không có vắc xin mã “XYZ”", "Không có tỉnh, thành phố mã “99”"),
     ("no vaccine with code “XYZ”", "no province with code “99”")),
    ("/facilities", "?as_of=0001-01-05",
     ("Ngày 0001-01-05 trong liên kết nằm ngoài thời gian chiến dịch",),
     ("The date 0001-01-05 in the link is outside the campaign",)),
    ("/facilities", "?from=31/12/2021&province=79",
     ("Không đọc được ngày bắt đầu “31/12/2021”", "14 ngày gần nhất"),
     ("The start date “31/12/2021” in the link could not be read",)),
    ("/aefi", "?as_of=9999-12-31", ("Ngày 9999-12-31",), ("The date 9999-12-31",)),
    ("/", "?province=7", ("mã “7”",), ("code “7”",)),
    ("/allocation", "?as_of=2021-10-31&vaccine=AZ&province=79", None, None),
    ("/facilities", "?from=2021-10-01&as_of=2021-10-31&province=79", None, None),
    ("/reports", "?as_of=2021-10-31&province=01", None, None),
    ("/allocation", "", None, None),
]


@pytest.fixture
def app(settings: Settings) -> Iterator[dash.Dash]:
    application = create_app(settings)
    services: Services = application.server.extensions["vx_services"]
    add_user(services, "bo.yte")
    yield application
    services.engine.dispose()


def _find(node: Any, wanted: str) -> dict[str, Any] | None:
    """The props of the component with id `wanted` in a serialised layout."""
    if isinstance(node, list):
        return next((f for n in node if (f := _find(n, wanted)) is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == wanted:
            return props  # type: ignore[no-any-return]
        return next((f for v in props.values() if (f := _find(v, wanted)) is not None), None)
    return None


def _notice_text(client: FlaskClient, token: str, path: str, search: str, lang: str) -> str:
    """The page's layout for the link, then its notice callback in `lang`: the text shown."""
    assert client.get(path + search).status_code == 200
    layout = outputs_of(post(client, page_call(path, search), token))["_pages_content"]
    page = path.strip("/") or "progress"
    store = _find(layout["children"], ids.url_asked(page))
    assert store is not None, path
    body = payload([(ids.url_notice(page), "children")],
                   [(ids.url_asked(page), "data", store.get("data")),
                    (ids.SHELL_LANG, "data", lang)])
    answer = outputs_of(post(client, body, token))
    return text_of(answer[ids.url_notice(page)]["children"])


@pytest.mark.parametrize(("path", "search", "vi", "en"), CASES)
def test_a_link_names_the_filter_values_it_could_not_use(
        app: dash.Dash, path: str, search: str, vi: tuple[str, ...] | None,
        en: tuple[str, ...] | None) -> None:
    client, token = client_for(app, "bo.yte", "/")
    for lang, words in (("vi", vi), ("en", en)):
        shown = _notice_text(client, token, path, search, lang)
        if words is None:
            assert shown.strip() == "", (lang, shown)
        else:
            assert all(w in shown for w in words), (lang, shown)
