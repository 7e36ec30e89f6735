"""Every staff page: each form control has a label, buttons and images have text, no script, nothing from
elsewhere; forms submit without JavaScript."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_web import FORM, login, token, voters_csv

from service import accounts, kinds

CONTROLS = {"input", "select", "textarea"}
NOT_LABELLED = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """What a page holds that matters for keyboard and screen-reader users."""

    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.in_label = 0
        self.problems: list[str] = []
        self.button: list[str] | None = None
        self.forms: list[dict[str, str | None]] = []
        self.submits = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if any(name.startswith("on") for name in a):
            self.problems.append(f"inline script on <{tag}>")
        for name in ("src", "href", "action"):
            if (a.get(name) or "").startswith(("http:", "https:", "//")):
                self.problems.append(f"<{tag} {name}={a[name]}> loads from elsewhere")
        if tag == "script":
            self.problems.append("a <script>")
        elif tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        elif tag in CONTROLS and a.get("type") not in NOT_LABELLED:
            self.controls.append(a | {"tag": tag, "wrapped": "1" if self.in_label else None})
        elif tag == "img" and not a.get("alt"):
            self.problems.append(f"<img src={a.get('src')}> without alt text")
        elif tag == "button":
            self.button = []
        elif tag == "form":
            self.forms.append(a)
        if tag == "button" or (tag == "input" and a.get("type") == "submit"):
            self.submits += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1
        elif tag == "button" and self.button is not None:
            if not "".join(self.button).strip():
                self.problems.append("a <button> without text")
            self.button = None

    def handle_data(self, data: str) -> None:
        if self.button is not None:
            self.button.append(data)

    def unlabelled(self) -> list[str]:
        """Controls no label names."""
        return [
            f"<{c['tag']} name={c.get('name')}>" for c in self.controls
            if not (c.get("id") in self.label_for or c.get("wrapped") or c.get("aria-label")
                    or c.get("aria-labelledby"))
        ]


def check(html: str) -> Page:
    """Parse a page and fail on anything a keyboard or screen-reader user, or a browser without JS, would miss."""
    page = Page()
    page.feed(html)
    assert page.problems == []
    assert page.unlabelled() == []
    for form in page.forms:
        assert (form.get("method") or "get").lower() in ("get", "post")
    assert page.submits >= len(page.forms)  # every form has a button to send it
    return page


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    """A client logged in as an admin."""
    accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")
    assert check(client.get("/login").text).controls  # the login page, before logging in
    login(client, "zhang", "secret-pass-1")
    return client


def test_the_checker_finds_what_it_should() -> None:
    page = Page()
    page.feed('<input name="a"><label for="b">B</label><input id="b" name="b"><button></button>'
              '<img src="x.png"><script src="https://cdn.example/x.js"></script><input type="hidden" name="c">'
              '<label>D <select name="d"></select></label>')
    assert page.unlabelled() == ["<input name=a>"]
    assert len(page.problems) == 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_is_labelled_and_needs_no_script(admin_client: FlaskClient, lang: str) -> None:
    client = admin_client
    client.get(f"/set-lang/{lang}")
    pages = ["/", "/?q=选民", "/?q=nothing-matches", "/accounts", "/keys", "/audit"]
    pages += [f"/kinds/{k.id}" for k in kinds.all_kinds()]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, path
        check(resp.text)
    assert client.get("/accounts/999/nothing").status_code == 404
    check(client.get("/accounts/999/nothing").text)  # the error page too


def test_pages_with_problems_and_a_preview_are_labelled(admin_client: FlaskClient) -> None:
    client = admin_client
    page = client.get("/kinds/roster.voters").text
    rows = [["姓名", "公民身份号码"], ["赵文", "330122195808207826"]]
    bad = client.post("/kinds/roster.voters",
                      data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    check(bad.text)
    rows[1][1] = "330122195212137619"
    ok = client.post("/kinds/roster.voters",
                     data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                     content_type="multipart/form-data")
    assert ok.status_code == 303
    job = check(client.get(ok.location).text)
    assert job.forms  # the log-out form in the header
