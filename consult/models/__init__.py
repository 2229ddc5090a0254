"""The models, one module per aggregate."""

from consult.models.account import ROLES, LoginSession, SurveyAccess, User
from consult.models.audit import AuditEntry
from consult.models.coding import Code, CodedAnswer, Quote
from consult.models.invitation import Invitation
from consult.models.organisation import ContactPerson, Organisation
from consult.models.response import Answer, Response
from consult.models.survey import Option, Question, Section, Survey

__all__ = [
    "ROLES",
    "Answer",
    "AuditEntry",
    "Code",
    "CodedAnswer",
    "ContactPerson",
    "Invitation",
    "LoginSession",
    "Option",
    "Organisation",
    "Question",
    "Quote",
    "Response",
    "Section",
    "Survey",
    "SurveyAccess",
    "User",
]
