"""Every URL pattern of the project, walked from the resolver.

For tests that must cover every page, and fail when a new one is not covered:
the URL × role matrix (tests/test_urls_matrix.py), the 405/CSRF table
(tests/test_urls_mutating.py), and later the form fuzzing and history views.

    routes = all_routes()                       # 89 today, admin included
    url = route.url(sample_kwargs(dataset)[route.key])

``build_dataset`` makes the small cell the sample URLs point into; a route's
kwargs come from a table keyed by the route's name, because ``pk`` means a
member in one URL and a session in another.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from sessions.models import Attendance, Document

from .factories import at, make_plan, make_session, record


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the prefixes and namespaces of the resolvers above it."""

    key: str  # "namespace:name"; the route text for a pattern without a name
    route: str  # "sessions/<int:pk>/"
    namespace: str
    name: str | None
    parameters: tuple[str, ...]
    callback: object = field(compare=False, repr=False)

    def url(self, kwargs=None) -> str:
        """The path for ``kwargs``; checked to resolve back to this very pattern."""
        kwargs = {name: str(value) for name, value in (kwargs or {}).items()}
        if set(kwargs) != set(self.parameters):
            raise ValueError(f"{self.key} takes {self.parameters}, got {sorted(kwargs)}")
        if self.name:
            path = reverse(self.key, kwargs=kwargs or None)
        else:
            path = "/" + _fill(self.route, kwargs)
        match = resolve(path)
        if match.func != self.callback:
            raise AssertionError(f"{path} resolves to {match.view_name}, not {self.key}")
        return path


def _fill(route: str, kwargs: dict) -> str:
    """Put ``kwargs`` into a route's text: both <conv:name> and (?P<name>…)."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: kwargs[m.group(1)], route)
    return route.replace("^", "").replace("$", "")


def _parameters(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    raise TypeError(f"unknown pattern type {type(pattern).__name__}")


def all_routes(patterns=None, prefix="", namespace="", parameters=()) -> list[Route]:
    """Every URLPattern reachable from the root URLconf, depth first."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for entry in patterns:
        text = prefix + str(entry.pattern)
        params = (*parameters, *_parameters(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            routes += all_routes(entry.url_patterns, text, inner, params)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            routes.append(
                Route(
                    key=key or text,
                    route=text,
                    namespace=namespace,
                    name=key,
                    parameters=params,
                    callback=entry.callback,
                )
            )
    return routes


# --- The sample cell the URLs point into ----------------------------------------------


def build_dataset(member, other_member):
    """A 2020 plan with a held session (both members present) and a document file.

    ``member`` and ``other_member`` are the users of tests/conftest.py; URLs
    about a member point at ``member``'s own record, so that ``other_member``
    asking for them is asking for someone else's.
    """
    plan = make_plan(2020)
    held = make_session(plan, start=at(2020, 3, 12), topic="Học tập Chỉ thị 05")
    record(held)
    document = Document(session=held, title="Đề dẫn chuyên đề", kind=Document.Kind.DRAFT)
    document.file.save("de-dan.pdf", ContentFile(b"%PDF-1.4 de dan"), save=True)
    planned = make_session(plan, start=at(2020, 9, 10), topic="Chuyển đổi số")
    return {
        "plan": plan,
        "held": held,
        "planned": planned,
        "document": document,
        "member": member.member,
        "other_member": other_member.member,
        "attendance": Attendance.objects.get(session=held, member=member.member),
        "today": dt.date(2020, 6, 1),
    }


def admin_kwargs(data):
    """Sample values for the admin's own parameters (the same in every admin URL)."""
    from django.contrib.contenttypes.models import ContentType

    member = data["member"]
    return {
        "object_id": member.pk,
        "id": member.user_id,  # the user's password form
        "app_label": "members",
        "content_type_id": ContentType.objects.get_for_model(member).pk,
        "url": "khong-co-trang-nay",
    }


def media_path(file_field) -> str:
    """The ``path`` of the media route for a stored file."""
    path = Path(file_field.path).relative_to(Path(settings.MEDIA_ROOT))
    return path.as_posix()
