"""Flask extensions, created unbound and attached in :func:`consult.create_app`."""

import contextlib
import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy as FlaskSQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

#: Named constraints, so that later migrations can alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every consult model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SQLAlchemy(FlaskSQLAlchemy):
    """Flask-SQLAlchemy whose session, at the end of a request, lets go of a connection the
    database dropped (restarted, crashed) instead of failing a response already made.

    A request that has read its last row ends its session with a ROLLBACK; when PostgreSQL
    went away in between, that ROLLBACK fails, and the error, raised after the view and its
    error handlers, would turn the finished page into a bare 500 from the server.
    """

    def _teardown_session(self, exc: BaseException | None) -> None:
        try:
            self.session.remove()
        except DBAPIError as error:
            logging.getLogger("consult").warning(
                "the database went away at the end of a request: %s", type(error).__name__
            )
            with contextlib.suppress(Exception):  # never reuse the connection: drop it
                self.session.invalidate()
            self.session.registry.clear()


# Objects stay readable after a commit: a request that has saved goes on to render
# without reloading the survey's design row by row.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
#: Throttles guessing of links (and, later, logins). Storage: RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
