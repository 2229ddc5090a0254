"""The survey file: a whole questionnaire in YAML (see docs/survey-format.md)."""

from consult.survey_file.document import FORMAT, dump, read
from consult.survey_file.problems import Problem, SurveyFileError
from consult.survey_file.validate import validate

__all__ = ["FORMAT", "Problem", "SurveyFileError", "dump", "read", "validate"]
