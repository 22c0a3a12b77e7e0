"""Reading the roll-ups from a standby: which requests may, and the router that sends them.

Chibo writes to one PostgreSQL (``default``, the primary). When
``DATABASE_STANDBY_URL`` names a hot standby (PostgreSQL's streaming
replication, docs/deploy.md), the requests listed in ``STANDBY_PAGES`` read
from it instead: the committee's pages and the exports of reports, which
count many rows and change nothing. Their session and user are read there
too, so that they keep answering while the primary is down
(docs/benchmarks.md, the fault run with a standby).

Every other request, and every write of any request, goes to the primary.
A standby is a little behind the primary (the replication lag: milliseconds
on one network, seconds when it is busy), so a browser that has just
written reads from the primary for ``CHIBO_STANDBY_AFTER_WRITE_SECONDS``:
it sees its own last write. The mark is a cookie (``WROTE_COOKIE``, the
time of the write) rather than a row of the session: the session itself is
read from the standby, and a session saved a moment ago (at the login) may
not be there yet. The cookie needs no signature: whoever forges it only
reads from the primary, whoever deletes it only reads their own pages a
few seconds old.

Without ``DATABASE_STANDBY_URL`` there is no ``standby`` database and this
module routes nothing: Chibo works as it always did, on one database.
"""

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import Resolver404, resolve

from chibo.health import DATABASE_DOWN

logger = logging.getLogger("chibo.routers")

STANDBY = "standby"
WROTE_COOKIE = "chibo_wrote"

# The read-only roll-ups, by URL name: the only requests that read from the
# standby. Each must change nothing on a GET (a test walks them:
# tests/test_standby.py); a POST to one of them still reads the primary.
STANDBY_PAGES = frozenset(
    {
        # The committee's cells side by side, and its Excel file.
        "sessions:committee_current",
        "sessions:committee",
        "sessions:committee_xlsx",
        # A cell's year as files: the attendance (CSV, Excel) and the annual report.
        "sessions:export_csv",
        "sessions:export_xlsx",
        "sessions:report_docx",
        "sessions:report_pdf",
        # What a cell sent its committee, as a file: its frozen text, never recounted.
        "sessions:sent_docx",
        "sessions:sent_pdf",
    }
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Reading:
    """What the router knows of the request it serves."""

    standby: bool = False  # this request's reads go to the standby
    wrote: bool = False  # this request asked for a write (the session's excepted)


_request: ContextVar[Reading | None] = ContextVar("chibo_standby_request", default=None)


def standby_configured() -> bool:
    return STANDBY in settings.DATABASES and settings.CHIBO_STANDBY_READS


def reading_standby() -> bool:
    """Whether the request being served reads from the standby."""
    reading = _request.get()
    return reading is not None and reading.standby


def wrote_recently(request, now: float | None = None) -> bool:
    """Whether this browser wrote within the last CHIBO_STANDBY_AFTER_WRITE_SECONDS."""
    try:
        wrote_at = float(request.COOKIES.get(WROTE_COOKIE, ""))
    except ValueError:
        return False
    now = time.time() if now is None else now
    return now - wrote_at < settings.CHIBO_STANDBY_AFTER_WRITE_SECONDS


def is_standby_page(request) -> bool:
    """A GET of one of STANDBY_PAGES."""
    if request.method not in SAFE_METHODS:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in STANDBY_PAGES


class StandbyRouter:
    """Reads of a standby page go to the standby; every write to the primary."""

    def db_for_read(self, model, **hints):
        reading = _request.get()
        if reading is None:
            return None  # no standby, or not in a request: Django's choice, the primary
        # Inside a transaction on the primary, read what it holds.
        primary = connections[DEFAULT_DB_ALIAS]
        if reading.standby and not reading.wrote and not primary.in_atomic_block:
            return STANDBY
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        reading = _request.get()
        if reading is not None and model._meta.label != "sessions.Session":
            # From now on this request reads what it writes: on the primary.
            reading.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The standby holds the primary's rows: the same database.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only: the primary's migrations reach it by replication.
        return db != STANDBY


class StandbyMiddleware:
    """Decides, before the session is read, where the request reads; marks a writer.

    Before SessionMiddleware: the session and the user of a standby page are
    read from the standby. After the view, a request that wrote (an unsafe
    method answered without an error, or any write through the ORM) sets
    the cookie that keeps this browser on the primary for a while.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not standby_configured():
            return self.get_response(request)
        standby = is_standby_page(request) and not wrote_recently(request)
        reading = Reading(standby=standby)
        token = _request.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        unsafe = request.method not in SAFE_METHODS and response.status_code < 400
        if unsafe or reading.wrote:
            response.set_cookie(
                WROTE_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.CHIBO_STANDBY_AFTER_WRITE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class SessionStore(db.SessionStore):
    """Django's database sessions; on a standby page, pushing the idle end back is optional.

    A session's end is pushed back at most once a minute
    (``chibo.middleware.IdleSessionMiddleware``), on any page: a write to the
    primary. On a standby page while the primary is down that write cannot
    be made, and the page must still answer: the session then ends a minute
    sooner, at worst.
    """

    def save(self, must_create=False):
        if must_create or not reading_standby():
            return super().save(must_create=must_create)
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            # Django's store turns every database error into UpdateError; a session
            # deleted meanwhile (a plain DatabaseError) still interrupts the request.
            if not isinstance(error.__context__, DATABASE_DOWN):
                raise
            logger.warning("Session not refreshed, the primary is down: %s", error.__context__)
            return None
