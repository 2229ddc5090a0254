"""The models, one module per aggregate."""

from consult.models.invitation import Invitation
from consult.models.organisation import ContactPerson, Organisation
from consult.models.response import Answer, Response
from consult.models.survey import Option, Question, Section, Survey

__all__ = [
    "Answer",
    "ContactPerson",
    "Invitation",
    "Option",
    "Organisation",
    "Question",
    "Response",
    "Section",
    "Survey",
]
