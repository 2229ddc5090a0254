"""WTForms: the respondent's form, built at run time from a survey's questions."""
