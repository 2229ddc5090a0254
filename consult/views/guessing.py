"""Throttling of survey-link guessing: wrong links tried from one address are counted, and
past the limit (LINK_GUESS_LIMIT) every respondent page from that address gets 429 for the
rest of the window, so a guesser cannot tell a right link from a wrong one.

The count lives in Flask-Limiter's storage (RATELIMIT_STORAGE_URI) and uses its strategy;
the blueprint is exempt from Flask-Limiter's per-request machinery (resolving a view's
limits, exemption scopes, headers), which cost a respondent page more than the check itself:
here a request is one ``test`` of the limit and, after a wrong link, one ``hit``.
"""

from __future__ import annotations

import functools
import logging
import time

from flask import Blueprint, current_app, render_template, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from consult.extensions import limiter
from consult.views.unavailable import posted_form, same_url

#: The namespace of the counts in the limiter's storage.
SCOPE = "survey-link-guess"


@functools.lru_cache(maxsize=8)
def _limits(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text))


def _current_limits() -> tuple[RateLimitItem, ...]:
    if not (limiter.enabled and limiter.initialized):
        return ()
    return _limits(current_app.config["LINK_GUESS_LIMIT"])


def throttle(bp: Blueprint) -> None:
    """Count the wrong links ``bp`` answers with 404, and refuse an address past the limit."""
    name = bp.name
    limiter.request_filter(lambda: request.blueprint == name)

    @bp.before_request
    def refuse_past_the_limit() -> None:
        address = get_remote_address()
        for item in _current_limits():
            if not _storage_call(limiter.limiter.test, item, address, default=True):
                stats = _storage_call(limiter.limiter.get_window_stats, item, address, default=None)
                error = TooManyRequests()
                if stats is not None:
                    error.retry_after = max(1, int(stats.reset_time - time.time()) + 1)
                raise error

    @bp.after_request
    def count_wrong_links(response: Response) -> Response:
        if response.status_code == 404:
            address = get_remote_address()
            for item in _current_limits():
                _storage_call(limiter.limiter.hit, item, address, default=True)
        return response

    @bp.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> tuple[str, int, dict[str, str]]:
        """A plain page in the reader's language; a posted page's answers come back as
        hidden fields that "Try again" sends unchanged, as on the 503 page."""
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
        fields = []
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
            fields = list(posted_form().items(multi=True))
        page = render_template("respond/throttled.html", fields=fields, action=same_url())
        return page, 429, headers


def _storage_call(method: object, item: RateLimitItem, address: str, *, default: object) -> object:
    """A call to the limiter's storage; when the storage fails, the page is served (logged),
    as Flask-Limiter does with RATELIMIT_SWALLOW_ERRORS, or the error is raised."""
    try:
        return method(item, SCOPE, address)  # type: ignore[operator]
    except Exception:
        if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS", False):
            raise
        logging.getLogger("consult").exception("rate limit storage failed")
        return default
