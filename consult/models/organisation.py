"""The register of organisations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.base import UTCDateTime, utcnow


class Organisation(db.Model):
    """A non-profit organisation that answers surveys (one response per survey)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    business_id: Mapped[str | None] = mapped_column(sa.String(9), unique=True)
    theme_group: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    size: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    districts: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    city_funded: Mapped[bool | None] = mapped_column(sa.Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Changes whenever the organisation's attributes do (reports cut by them are redone).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.func.now(), index=True
    )

    contacts: Mapped[list[ContactPerson]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="ContactPerson.id",
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class ContactPerson(db.Model):
    """A person who answers or receives invitations on an organisation's behalf."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    locale: Mapped[str | None] = mapped_column(sa.String(5))

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
