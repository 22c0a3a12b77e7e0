"""Every URL pattern of the project, walked from the resolver.

For tests that must cover every page, and fail when a new one is not covered:
the URL × role matrix (tests/test_urls_matrix.py), the 405/CSRF table
(tests/test_urls_mutating.py) and the fuzzing of every form (tests/test_fuzz_forms.py).

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
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from chibo.lib.roles import MEMBER
from members.tokens import password_link_tokens
from sessions.models import Attendance, Document, Photo
from sessions.sent import send_plan

from .factories import (
    at,
    make_exemption,
    make_group,
    make_member,
    make_plan,
    make_session,
    make_user,
    record,
)
from .images import image_bytes


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the prefixes and namespaces of the resolvers above it."""

    key: str  # "namespace:name"; the route text for a pattern without a name
    route: str  # "sessions/<id:pk>/"
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
    """A small 2020 cell that every URL's kwargs point into.

    ``member`` and ``other_member`` are the users of tests/conftest.py; URLs
    about a member point at ``member``'s own record, so that ``other_member``
    asking for them is asking for someone else's. The held session is a
    staged contest (its results page exists only for contests), with both
    members present, a document file and a photo; the planned one can still
    be postponed, cancelled or deleted. The plan is approved and was sent to
    the superior committee once (``sent``). Besides the members' two groups, one
    group has no member (it can be archived) and one is archived (it can be
    restored). ``newcomer`` has a login and no
    password yet: the one-time link is made for them, so that no force_login
    of the test makes it stale.
    """
    own = member.member
    plan = make_plan(2020, status="approved", approved_on=dt.date(2020, 1, 8))
    held = make_session(plan, start=at(2020, 3, 12), topic="Học tập Chỉ thị 05", format="contest")
    record(held)
    document = Document(session=held, title="Đề dẫn chuyên đề", kind=Document.Kind.DRAFT)
    document.file.save("de-dan.pdf", ContentFile(b"%PDF-1.4 de dan"), save=True)
    photo = Photo(session=held, caption="Toàn cảnh hội trường")
    photo.image.save("hoi-truong.jpg", ContentFile(image_bytes()), save=True)
    planned = make_session(plan, start=at(2020, 9, 10), topic="Chuyển đổi số")
    exemption = make_exemption(own, dt.date(2020, 1, 2), dt.date(2020, 1, 31))
    newcomer = make_user("moi", MEMBER, make_member(own.group, "Triệu Văn Mới"))
    newcomer.set_unusable_password()
    newcomer.save(update_fields=["password"])
    empty_group = make_group("Tổ 3", order=3)
    archived_group = make_group("Tổ 4 (đã giải thể)", order=4, is_active=False)
    sent = send_plan(plan=plan, user=None, now=at(2020, 1, 13, 9))
    return {
        "plan": plan,
        "held": held,
        "planned": planned,
        "document": document,
        "photo": photo,
        "member": own,
        "other_member": other_member.member,
        "exemption": exemption,
        "group": own.group,
        "other_group": other_member.member.group,
        "empty_group": empty_group,
        "archived_group": archived_group,
        "attendance": Attendance.objects.get(session=held, member=own),
        "sent": sent,
        "uidb64": urlsafe_base64_encode(force_bytes(newcomer.pk)),
        "token": password_link_tokens.make_token(newcomer),
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
