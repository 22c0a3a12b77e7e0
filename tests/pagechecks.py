"""What every response of Chibo must carry, and what no page of Chibo may contain."""

import re

from django.conf import settings

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# An uploaded file (chibo.security.media): nothing loads, a sandbox, no framing.
MEDIA_CSP = {"default-src": "'none'", "frame-ancestors": "'none'", "sandbox": ""}

# What a page must not contain for the CSP above to hold without 'unsafe-inline'.
SCRIPT_WITH_BODY = re.compile(r"<script\b[^>]*>\s*[^<\s]", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Every piece of inline script or style in ``html`` (empty when the CSP holds)."""
    found = []
    for name, pattern in [
        ("<script> with a body", SCRIPT_WITH_BODY),
        ("<style> element", STYLE_ELEMENT),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("on…= handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        found += [
            f"{name}: …{html[max(m.start() - 40, 0) : m.end() + 40]}…"
            for m in pattern.finditer(html)
        ]
    return found


def csp_directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    directives = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {name: value[0] if value else "" for name, *value in directives}


def assert_security_headers(response, logged_in):
    """The headers every Chibo response carries; no-store on a logged-in user's pages."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    request = getattr(response, "wsgi_request", None)
    # The file itself, not the login page or a 404 in its place.
    media = (
        request is not None
        and request.path.startswith(settings.MEDIA_URL)
        and response.status_code == 200
    )
    assert csp_directives(response) == (MEDIA_CSP if media else EXPECTED_CSP)
    if logged_in:
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
