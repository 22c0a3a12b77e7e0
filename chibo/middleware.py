from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from chibo.lib.cells import reset_cell_guard, set_cell_guard


class LanguageCookieMiddleware:
    """Activate the language the user chose, else Vietnamese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and an
    office PC with an English browser would then show English pages. Chibo's
    users expect Vietnamese unless they pick English with the language switch,
    which stores the choice in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Back to the default for whatever this thread serves next (an
            # error page rendered before this middleware runs, for one).
            translation.deactivate()
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class PrivatePagesMiddleware:
    """Pages for a logged-in user are never stored by a browser or a proxy.

    Member lists and attendance are sensitive: a shared office PC must not keep
    them in its cache after the user logs out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class IdleSessionMiddleware:
    """Push a session's end back while its user works, at most once a minute.

    A session ends after SESSION_COOKIE_AGE without a request. Saving the
    session on every request (SESSION_SAVE_EVERY_REQUEST) would do that too,
    at the cost of a database write on every page and every file; a minute's
    slack on an hour's idle time is not worth that write.
    """

    REFRESH_SECONDS = 60
    KEY = "_chibo_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only a session the browser already has: never create one for a visitor.
        if (
            session.session_key is not None
            and self.now() - session.get(self.KEY, 0) >= self.REFRESH_SECONDS
        ):
            self.mark_refreshed(request=request)  # modified: saved with a new expiry
        return self.get_response(request)

    @staticmethod
    def now() -> int:
        return int(timezone.now().timestamp())

    @classmethod
    def mark_refreshed(cls, request, **kwargs):
        """Also the receiver of user_logged_in: a login saves a fresh session anyway."""
        request.session[cls.KEY] = cls.now()


class CellGuardMiddleware:
    """Every query on a cell's rows a request reads names its cell, or fails loudly.

    On only when ``settings.CHIBO_CELL_GUARD`` is set (the tests set it,
    ``tests/conftest.py``); otherwise Django drops it and it costs nothing.
    While a request runs, reading a ``CellQuerySet`` that is not scoped to a
    cell raises ``chibo.lib.cells.UnscopedQuery`` (docs/development.md).
    The admin reads every cell for a superuser: off there.
    """

    def __init__(self, get_response):
        if not settings.CHIBO_CELL_GUARD:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = set_cell_guard(True)
        try:
            return self.get_response(request)
        finally:
            reset_cell_guard(token)  # also ends process_view's switch

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin" and request.user.is_superuser:
            set_cell_guard(False)
