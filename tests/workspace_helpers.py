"""Signing in as a role in HTTP tests."""

from __future__ import annotations

import re
from typing import Any

from consult.services import accounts

PASSWORD = "correct horse battery staple"


def make_user(role: str, email: str | None = None, **kw: Any) -> Any:
    return accounts.create_user(email or f"{role}@example.org", role, PASSWORD, **kw)


def csrf_from(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: Any, email: str, password: str = PASSWORD, lang: str = "en") -> Any:
    """Sign in (choosing the interface language ``lang``, kept in a cookie)."""
    page = client.get(f"/login?lang={lang}").get_data(as_text=True)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_from(page)}
    )


def token_for(client: Any, path: str = "/workspace/") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))
