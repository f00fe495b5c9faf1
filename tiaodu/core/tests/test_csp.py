"""The Content-Security-Policy (docs/security.md): every page says it; scripts come from the
site's own files only; the few <style> elements carry the response's nonce; and no template
holds an inline script, an inline handler or a javascript: address the policy would refuse.
The browser journeys' page check (tiaodu/e2e/page_check.py) fails on anything a page had
refused, on every page they visit."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

TIAODU = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
def test_the_sign_in_page_and_a_signed_in_page_carry_the_policy(world: Any) -> None:
    client = Client()
    for response in (client.get("/accounts/login/"), _signed_in(world.alice).get("/")):
        assert response.status_code == 200
        policy = _directives(response.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.django_db
def test_a_style_element_carries_the_nonce_of_its_own_response(world: Any) -> None:
    client = _signed_in(world.alice)
    nonces = []
    for _ in range(2):
        response = client.get("/reports/review/")
        html = response.content.decode()
        policy = _directives(response.headers["Content-Security-Policy"])
        nonce = re.search(r'<style nonce="([^"]+)">', html)
        assert nonce is not None
        assert f"'nonce-{nonce.group(1)}'" in policy["style-src"]
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
STYLE_WITHOUT_NONCE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>")


def test_no_template_holds_what_the_policy_refuses() -> None:
    found = []
    for path in sorted(TIAODU.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in [
            ("an inline script", INLINE_SCRIPT),
            ("an inline handler", HANDLER),
            ("a javascript: address", JAVASCRIPT_URL),
            ("a <style> without the nonce", STYLE_WITHOUT_NONCE),
        ]:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TIAODU)}:{line}: {name}: {match.group(0)}")
    assert found == []


def test_the_template_check_finds_each_kind() -> None:
    """The patterns above find what they are there to find (and pass a script file)."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/tiaodu/behaviours.js" defer>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="data">')
    assert HANDLER.search('<select name="m" onchange="this.form.submit()">')
    assert not HANDLER.search('<select name="m" data-submit-on-change>')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
    assert STYLE_WITHOUT_NONCE.search("<style>p { color: red }</style>")
    assert not STYLE_WITHOUT_NONCE.search('<style nonce="{{ csp_nonce }}">')


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
