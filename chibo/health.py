"""Is the database there? ``/healthz`` for the proxy, and a 503 page for people.

When PostgreSQL stops answering, every page answers at once with a clear
Vietnamese 503 page instead of a server error, and ``/healthz`` says 503 so
that a proxy or a monitor can tell. Nothing here keeps state: once the
database is back, the next request opens a new connection (persistent
connections are health-checked, ``CONN_HEALTH_CHECKS``) and pages work again
without restarting the application server.
"""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db import Error, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger("chibo.health")

# What a database that is down, restarting or unreachable raises. Integrity
# and data errors are bugs or bad input, not an outage: they stay 500s.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request, exception) -> HttpResponse:
    """The 503 page: rendered without touching the database.

    The template gets no request context (no user, no messages, no session),
    each of which would ask the database again.
    """
    logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
    # Middleware that runs after this one looks at request.user; the user
    # could not be loaded, so they see an anonymous visitor.
    request.user = AnonymousUser()
    # "Try again" opens the same page again, if it was a page that can be.
    retry = request.get_full_path()
    if request.method != "GET" or not url_has_allowed_host_and_scheme(retry, allowed_hosts=None):
        retry = "/"
    response = HttpResponse(loader.render_to_string("503.html", {"retry": retry}), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn an unreachable database into the 503 page, quickly.

    The first query of almost every request is loading the session and the
    user, which happens in other middleware (LoginRequiredMiddleware), beyond
    the reach of ``process_exception``: so this middleware loads them first.
    It comes last in MIDDLEWARE so that its 503 still passes through the
    security headers (CSP, X-Frame-Options) on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user.is_authenticated  # noqa: B018 - loads the session and the user
        except DATABASE_DOWN as exception:
            return database_unavailable(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


def server_error(request) -> HttpResponse:
    """handler500: a database outage met outside any view is still a 503.

    For example when the session is saved after the view, on the way out.
    Everything else is Django's own 500 page (``templates/500.html``).
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN):
        return database_unavailable(request, exception)
    return defaults.server_error(request)


@login_not_required
@never_cache
def healthz(request) -> HttpResponse:
    """200 when the database answers a trivial query, 503 when it does not.

    Plain text for load balancers and monitors; no session, no template.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as exception:
        logger.warning("Health check: database unavailable: %s", exception)
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
