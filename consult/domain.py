"""The vocabulary of the domain: theme groups, sizes, districts, action-plan themes.

Keys are stored; labels are interface text and go through the catalogues.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The advisory board's 14 theme groups, in the board's own order.
THEME_GROUPS = {
    "children_families": _l("Children and families"),
    "substance_abuse": _l("Preventive substance-abuse work and substance-abuse work"),
    "mental_health": _l("Mental health"),
    "inequality": _l("Preventing inequality"),
    "youth": _l("Youth and children's leisure"),
    "integration": _l("Integration and equality"),
    "older_people": _l("Older people"),
    "disability": _l("Disability, long-term illness and patient organisations"),
    "culture": _l("Culture"),
    "sports": _l("Sports and leisure"),
    "volunteer_run": _l("Mainly volunteer-run organisations"),
    "local": _l("District, resident and local associations"),
    "environment": _l("Environment and transport"),
    "safety": _l("Safety and preparedness"),
}

SIZES = {
    "volunteers": _l("Volunteers only, no paid staff"),
    "staff_1_5": _l("1–5 paid staff"),
    "staff_6_plus": _l("6 or more paid staff"),
}

#: Languages an organisation serves its members and target group in.
SERVED_LANGUAGES = {
    "fi": _l("Finnish"),
    "sv": _l("Swedish"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
    "et": _l("Estonian"),
    "other": _l("Other languages"),
}

#: Helsinki's major districts (suurpiirit), and the whole city.
DISTRICTS = {
    "whole_city": _l("The whole city"),
    "southern": _l("Southern"),
    "western": _l("Western"),
    "central": _l("Central"),
    "northern": _l("Northern"),
    "northeastern": _l("North-eastern"),
    "southeastern": _l("South-eastern"),
    "eastern": _l("Eastern"),
    "ostersundom": _l("Östersundom"),
}

#: The themes of the board's action plan 2025–2027.
ACTION_THEMES = {
    "preparedness": _l("A safe city for everyone (preparedness)"),
    "cooperation": _l("Cooperation structures"),
    "segregation": _l("Segregation and polarisation"),
    "volunteering": _l("Volunteering"),
}

SURVEY_STATES = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
}
