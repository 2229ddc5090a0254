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


#: Every response's headers, unless the view set its own.
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Same-origin only: the CSRF check over HTTPS needs the referrer of our own pages, and a
    # survey link's token must never leak to another site.
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def init_security(app: Flask) -> None:
    production = app.config.get("ENV") == "production"

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        wanted = [*HEADERS, HSTS] if production or request.is_secure else HEADERS
        present = {name.lower() for name, _ in headers.items()}  # one pass, not one per header
        headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        if request.path.startswith(PRIVATE_PREFIXES):
            headers["Cache-Control"] = "no-store"
        return response
