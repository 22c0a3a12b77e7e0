"""Pieces of Chibo's protection that are code, not settings.

The login lockout page and the client address django-axes counts failures
against, the page for a form whose CSRF token expired, and the view that sends
uploaded files only to the cell's users. docs/security.md explains the whole.
"""

import ipaddress
import math
import mimetypes
from pathlib import Path
from urllib.parse import quote

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from chibo.lib.cells import of_cell
from chibo.lib.roles import VIEW_SESSION
from members.workplace import cell_of
from sessions.models import Document, Photo

# The policy of every uploaded file Chibo sends: were a browser ever to show
# one as a page (an HTML part, a script in a text file), it would run in a
# sandbox (a unique origin: no cookie, no storage of Chibo's), load nothing
# and could not be framed. With nginx, its internal location adds the same.
MEDIA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

# Raster images a browser may show in the page. Everything else, SVG and HTML
# included, is sent as a download so that it never runs in Chibo's origin.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def client_ip(request) -> str | None:
    """The address django-axes counts login failures against.

    Without a proxy (``CHIBO_PROXY_COUNT=0``) it is the connection's address:
    a client can write anything in X-Forwarded-For, so the header is ignored.
    Behind N proxies that each append the address they saw, the client is the
    N-th entry from the right; what a client wrote itself sits further left.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.CHIBO_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def client_username(request, credentials=None) -> str | None:
    """The user name django-axes records a login failure under, at most 150 characters.

    Django's login forms do not limit what is typed in the user name (the
    limit is on the input box only), and axes stored it whole: on PostgreSQL
    a user name of more than 255 characters then failed to save, a server
    error on the login page. No user name is longer than 150 characters, so
    the cut never merges a real account with another.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(field)
    if username is None:
        return None
    return str(username)[: User._meta.get_field("username").max_length]


class LoginLimitsHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit of its own for each count.

    ``AXES_LOCKOUT_PARAMETERS`` lists three counts: one user name from one
    address, one user name from every address, one address on every user
    name. Axes compares the largest count with one limit; here each count is
    scaled to ``AXES_FAILURE_LIMIT`` by its own limit (the floor of
    count × limit ÷ own limit reaches the limit exactly when the count
    reaches its own limit), so the three limits are settings apart.
    """

    @staticmethod
    def limits() -> list[int]:
        return [
            settings.AXES_FAILURE_LIMIT,
            settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_NAME,
            settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS,
        ]

    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        scaled = [0]
        for attempts, own_limit in zip(
            self.get_user_attempts(request, credentials), self.limits(), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled.append(count * limit // max(own_limit, 1))
        return max(scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears the failures of that user name from that address only.

        Axes would clear every count: a guesser logging in to their own
        account between guesses would then clear their address's count on
        every other user name.
        """
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of the login form after too many failures.

    429 (Too Many Requests), not 403: the refusal is about the rate of attempts
    and ends by itself, which Retry-After tells the browser; 403 stays the
    answer for a role that may not open a page and for an expired form.
    """
    cooloff = settings.AXES_COOLOFF_TIME.total_seconds()
    # The page says nothing of which count reached its limit, nor whether
    # the user name exists: the same words for every lockout.
    context = {"minutes": math.ceil(cooloff / 60)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cooloff))
    return response


def csrf_failure(request, reason=""):
    """A form sent with a missing or stale CSRF token: say so, in plain words."""
    return render(request, "403_csrf.html", status=403)


def of_the_cell(name: str, cell) -> bool:
    """Whether the stored file ``name`` may be sent to a user of ``cell``.

    A file that a document or photo names is sent only if one of them is of
    ``cell``: another cell's file is answered like a missing one. A file no
    row names (none should exist: files go with their rows) is not a cell's.
    """
    owners = [
        Document.objects.filter(file=name),
        Photo.objects.filter(image=name),
        Photo.objects.filter(thumbnail=name),
    ]
    # Whether a row of any cell names the file: a file of no row is no cell's.
    if not any(owner.across_cells().exists() for owner in owners):
        return True
    return any(of_cell(owner, cell).exists() for owner in owners)


def media(request, path):
    """Send an uploaded file to a user of the cell; 404 for anything else.

    Anonymous visitors never get here (LoginRequiredMiddleware sends them to
    the login page). A path that leaves MEDIA_ROOT, by ``..`` or a symbolic
    link, is answered like a missing file.
    """
    # Whoever may see the sessions the files belong to (every role of the
    # cell; an account without a role may not).
    if not request.user.has_perm(VIEW_SESSION):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
    except (OSError, ValueError) as error:  # e.g. a NUL byte in the path
        raise Http404 from error
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404
    if not of_the_cell(target.relative_to(root).as_posix(), cell_of(request.user)):
        raise Http404

    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    as_attachment = content_type not in INLINE_TYPES
    if settings.CHIBO_MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        location = settings.CHIBO_MEDIA_ACCEL_REDIRECT.rstrip("/")
        response["X-Accel-Redirect"] = f"{location}/{quote(target.relative_to(root).as_posix())}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, target.name)
    else:
        response = FileResponse(
            target.open("rb"),
            as_attachment=as_attachment,
            filename=target.name,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY  # django-csp keeps it
    return response
