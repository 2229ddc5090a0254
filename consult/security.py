"""Security headers on every response: a Content Security Policy without inline script,
no framing, no MIME sniffing, no referrer to other sites (links carry tokens), HSTS over
HTTPS, and no caching of pages that hold personal data."""

from __future__ import annotations

from flask import Flask, Response, request

#: Scripts only from the app's own files; styles may be inline (the report page embeds the
#: report's own stylesheet); images also as data: addresses (the report's charts).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
#: Pages with an organisation's answers, links or the register: never stored by a browser
#: or a proxy.
PRIVATE_PREFIXES = ("/r/", "/s/", "/workspace", "/login")


def init_security(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Same-origin only: the CSRF check over HTTPS needs the referrer of our own pages,
        # and a survey link's token must never leak to another site.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure or app.config.get("ENV") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith(PRIVATE_PREFIXES):
            headers["Cache-Control"] = "no-store"
        return response
