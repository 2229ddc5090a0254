"""Accounts, signing in and out, sessions, throttling, and the user command."""

from __future__ import annotations

import sqlalchemy as sa
from workspace_helpers import PASSWORD, csrf_from, make_user, sign_in

from consult.extensions import db
from consult.models import AuditEntry, LoginSession, User
from consult.services import accounts


def test_passwords_are_stored_hashed_and_checked(app) -> None:
    user = make_user("coordinator")
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")
    assert accounts.authenticate("COORDINATOR@example.org ", PASSWORD) == user
    assert accounts.authenticate("coordinator@example.org", "wrong password!!") is None
    assert accounts.authenticate("nobody@example.org", PASSWORD) is None


def test_account_rules_are_explained(app) -> None:
    for email, role, password, field in [
        ("not-an-address", "admin", PASSWORD, "email"),
        ("a@example.org", "owner", PASSWORD, "role"),
        ("a@example.org", "admin", "short", "password"),
    ]:
        try:
            accounts.create_user(email, role, password)
        except accounts.AccountError as error:
            assert error.field == field
        else:
            raise AssertionError(f"{email}/{role} was accepted")
    make_user("admin", "a@example.org")
    try:
        make_user("admin", "A@example.org")
    except accounts.AccountError as error:
        assert "already an account" in str(error)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_sign_in_changes_the_session_and_sign_out_ends_it(client) -> None:
    make_user("coordinator")
    assert client.get("/workspace/").status_code == 302  # to the login page
    client.get("/login")
    before = client.get_cookie("session")
    response = sign_in(client, "coordinator@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/workspace/")
    after = client.get_cookie("session")
    assert after is not None and (before is None or before.value != after.value)
    assert after.http_only and after.same_site == "Lax"
    assert client.get("/workspace/").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 1

    stolen = after.value
    page = client.get("/workspace/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 0
    # A copy of the old cookie opens nothing: the session was ended on the server.
    client.set_cookie("session", stolen)
    assert client.get("/workspace/").status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_address(client) -> None:
    make_user("coordinator")
    response = sign_in(client, "coordinator@example.org", "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The e-mail address or the password is wrong." in page
    assert 'value="coordinator@example.org"' in page
    assert client.get("/workspace/").status_code == 302


def test_failed_logins_are_throttled(client) -> None:
    make_user("coordinator")
    codes = [sign_in(client, "coordinator@example.org", f"guess {i}").status_code for i in range(7)]
    assert codes[:5] == [422] * 5 and codes[5:] == [429, 429]
    page = sign_in(client, "coordinator@example.org").get_data(as_text=True)
    assert "Too many sign-in attempts" in page  # even the right password waits now


def test_the_session_cookie_is_secure_over_https(app) -> None:
    make_user("coordinator")
    client = app.test_client()
    page = client.get("/login", base_url="https://consult.example.org").get_data(as_text=True)
    response = client.post(
        "/login",
        base_url="https://consult.example.org",
        headers={"Referer": "https://consult.example.org/login"},  # checked over HTTPS
        data={
            "email": "coordinator@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_from(page),
        },
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_deactivated_account_is_signed_out(client) -> None:
    user = make_user("coordinator")
    sign_in(client, user.email)
    assert client.get("/workspace/").status_code == 200
    accounts.set_active(user, False)
    assert client.get("/workspace/").status_code == 302
    assert sign_in(client, user.email).status_code == 422


def test_sign_in_goes_back_only_to_this_site(client) -> None:
    make_user("coordinator")
    page = client.get("/login?next=//evil.example/").get_data(as_text=True)
    response = client.post(
        "/login?next=//evil.example/",
        data={
            "email": "coordinator@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_from(page),
        },
    )
    assert response.headers["Location"].endswith("/workspace/")


def test_user_create_reads_the_password_from_standard_input(runner) -> None:
    result = runner.invoke(
        args=["user", "create", "Chair@Example.org", "--role", "reviewer"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created the reviewer account chair@example.org" in result.output
    assert accounts.authenticate("chair@example.org", PASSWORD).role == "reviewer"
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor, entry.target) == (
        "create_account",
        "cli",
        "chair@example.org",
    )
    short = runner.invoke(args=["user", "create", "b@example.org", "--role", "admin"], input="x\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    wrong = runner.invoke(args=["user", "create", "c@example.org", "--role", "owner"], input="x\n")
    assert wrong.exit_code == 2
