"""Configuration: defaults, instance/config.py, CONSULT_* variables; secret keys; SQLite set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.config import ConfigError, normalise_database_url
from consult.extensions import db


def test_sqlite_in_the_instance_folder_by_default(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consult.db'}"


def test_instance_config_then_environment_then_arguments(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "config.py").write_text("DEFAULT_LOCALE = 'sv'\nLOCK_TIMEOUT_MS = 1234\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DEFAULT_LOCALE"] == "sv"
    monkeypatch.setenv("CONSULT_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("CONSULT_LOCK_TIMEOUT_MS", "2500")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DEFAULT_LOCALE"] == "en"
    assert app.config["LOCK_TIMEOUT_MS"] == 2500
    assert (
        create_app({"INSTANCE_PATH": str(tmp_path), "DEFAULT_LOCALE": "fi"}).config[
            "DEFAULT_LOCALE"
        ]
        == "fi"
    )


def test_instance_path_and_database_url_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CONSULT_DATABASE_URL", "postgresql://u:p@db.example/consult")
    app = create_app()
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/consult"


def test_database_url_driver_is_filled_in() -> None:
    assert normalise_database_url("postgres://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("postgresql+psycopg://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_a_secret_key_stops_with_a_clear_message(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CONSULT_ENV", "production")
    with pytest.raises(ConfigError, match="CONSULT_SECRET_KEY is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("CONSULT_SECRET_KEY", "s" * 40)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "s" * 40
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path), "LOCK_TIMEOUT_MS": 1500})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(sa.text("PRAGMA foreign_keys")) == 1
            assert connection.scalar(sa.text("PRAGMA busy_timeout")) == 1500
        db.engine.dispose()


def test_secrets_and_urls_from_the_environment_stay_text(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONSULT_SECRET_KEY", "000123")
    monkeypatch.setenv("CONSULT_SQLALCHEMY_ENGINE_OPTIONS", '{"pool_size": 3}')
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgresql://h/db"})
    assert app.config["SECRET_KEY"] == "000123"
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == 3


def test_a_later_layer_wins_whichever_name_it_gives_the_database(
    tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "config.py").write_text("DATABASE_URL = 'sqlite:///from-file.db'\n")
    monkeypatch.setenv("CONSULT_SQLALCHEMY_DATABASE_URI", "sqlite:///from-env.db")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-env.db"
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite:///arg.db"}
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///arg.db"


def _secret_of(instance: str) -> str:
    return create_app({"INSTANCE_PATH": instance}).config["SECRET_KEY"]


def test_processes_starting_together_share_one_secret_key(tmp_path: Path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(6, mp_context=context) as pool:
        keys = set(pool.map(_secret_of, [str(tmp_path)] * 12))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []


def test_server_connections_are_checked_before_use_and_sqlite_ones_are_not(
    tmp_path: Path,
) -> None:
    server = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgresql://h/db"})
    options = server.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True  # a restarted PostgreSQL: the next request succeeds
    assert "lock_timeout=" in options["connect_args"]["options"]
    embedded = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert "pool_pre_ping" not in embedded.config["SQLALCHEMY_ENGINE_OPTIONS"]
