"""A version of each organisation's data, for caching what its pages render.

Every write to a cell's data gives ``Organisation.data_version`` of the cell
and of the committees above it a new value, in the transaction of the write. A rendered
part is cached under a key that carries the version it was rendered at
(``cache_key``): once a write commits, the next page asks for a new key, so a
part rendered before the write is never shown again, and nothing has to find
and delete the parts a write made stale. A part rendered while a write is
being committed may be cached under the old key with the new data, which is
harmless: the old key is never asked for after the commit.

Writes through the ORM's ``save()`` and ``delete()`` (a queryset's delete
too) raise the version by themselves (``raise_on_save``, connected in
``members.apps``). Bulk writes send no signal: the services that make them
call ``data_changed`` (the attendance sheet, the member import, the group
order, group meetings, photos). tests/test_versions.py checks each kind of
write against the pages it changes.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from members.models import Organisation, new_version

# How far up a cell's tree a committee may sit (cell, committee, its committee…).
DEPTH = 4


def cell_path_models():
    """The models whose rows belong to a cell: those that say how to reach it (CELL_PATH)."""
    from django.apps import apps

    return [
        model for model in apps.get_models() if "CELL_PATH" in vars(model) and not model._meta.proxy
    ]


def organisation_of(instance) -> int | None:
    """The id of the cell (or committee) ``instance`` belongs to, by its CELL_PATH."""
    *steps, last = type(instance).CELL_PATH.split("__")
    obj = instance
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


# Inside ``one_renewal()``: the organisations written to so far, renewed at its end.
_pending: ContextVar[set | None] = ContextVar("chibo_versions_pending", default=None)


@contextmanager
def one_renewal():
    """Renew each organisation written to in the block once, at the block's end.

    For a loader that saves thousands of rows in one transaction (the demo,
    ``load_bulk``): one renewal per row saved would write thousands of
    versions of the same rows, which PostgreSQL keeps until the commit. Use it inside
    the transaction (``with transaction.atomic(), one_renewal():``), so that
    the renewal is still part of the write; nothing may render a cached part
    inside the block.
    """
    outer = _pending.get()
    if outer is not None:  # nested: the outer block renews
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    data_changed(*pending)


def data_changed(*organisation_ids) -> None:
    """Give these organisations and every committee above them a new data version.

    One UPDATE: the committees are found by a subquery down their children."""
    wanted = {pk for pk in organisation_ids if pk is not None}
    if not wanted:
        return
    pending = _pending.get()
    if pending is not None:
        pending |= wanted
        return
    above, path = Q(pk__in=wanted), "children"
    for _level in range(DEPTH - 1):
        above |= Q(**{f"{path}__in": wanted})
        path += "__children"
    Organisation.objects.filter(above).update(data_version=new_version())


def raise_on_save(sender, instance, raw=False, **kwargs):
    """post_save and post_delete: a row of a cell changed."""
    if raw:  # loaddata
        return
    data_changed(organisation_of(instance))


def raise_old_tree(sender, instance, raw=False, **kwargs):
    """pre_save of an organisation: the committees it sits under before the save.

    A cell moved to another committee leaves its old committee's matrix: that
    committee needs a new version too, and after the save only the new one is
    found above the cell."""
    if not raw and not instance._state.adding and instance.pk is not None:
        # Named now, not found later from the cell: one_renewal() renews at its end.
        path, above = "parent", []
        for _level in range(DEPTH - 1):
            above.append(path)
            path += "__parent"
        old_tree = Organisation.objects.filter(pk=instance.pk).values_list(*above).first() or ()
        data_changed(instance.pk, *old_tree)


def raise_own_version(sender, instance, raw=False, **kwargs):
    """post_save of an organisation: its name, its place in the tree, its profile changed."""
    if not raw:
        data_changed(instance.pk)


def rules() -> str:
    """Chibo's own settings (thresholds, rules of length, removal, grading): a part
    drawn against other rules is another part, even in a cache that outlives a restart."""
    return repr(
        sorted(
            (name, getattr(settings, name)) for name in dir(settings) if name.startswith("CHIBO_")
        )
    )


def permissions_of(user) -> str:
    """What a part that shows links by permission depends on: the login's permissions
    where it works (a value for ``cache_key``)."""
    return ",".join(sorted(user.get_all_permissions())) + f"|{user.is_superuser}"


# The shape of what is cached under a key: changed when the value stored changes
# shape, so that a cache that outlives an upgrade (Redis) is never read wrongly.
KEY_FORMAT = 2


def cache_key(part: str, organisation: Organisation, *values) -> str:
    """The key of a rendered ``part`` of ``organisation``'s pages at its current version.

    ``values`` are whatever else the part depends on (the year, the day, who
    looks at it); the language and Chibo's settings are always part of it.
    """
    raw = "|".join(str(value) for value in (*values, get_language(), rules()))
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    return f"chibo{KEY_FORMAT}:{part}:{organisation.pk}:{organisation.data_version}:{digest}"


def kept(part: str, organisation: Organisation, make, *values, now=None):
    """``make()``'s value, from the cache when this version of the data has it already.

    ``make()`` returns the value, or the value and the moment it stops being
    right whatever is written (a part that lists what is still to come: the
    end of the first meeting on it). Such a value is made again once ``now``
    is past that moment.
    """
    key = cache_key(part, organisation, *values)
    cached = cache.get(key)
    if cached is not None:
        value, until = cached
        if until is None or (now or timezone.now()) <= until:
            return value
    made = make()
    value, until = made if isinstance(made, tuple) else (made, None)
    cache.set(key, (value, until), settings.CHIBO_RENDERED_PART_SECONDS)
    return value


def rendered_part(part: str, organisation: Organisation, render, *values, now=None) -> str:
    """``render()``'s HTML (see ``kept``), from the cache when this version has it."""

    def html():
        made = render()
        html, until = made if isinstance(made, tuple) else (made, None)
        return str(html), until

    return mark_safe(kept(part, organisation, html, *values, now=now))  # noqa: S308 -- our templates escape


def rendered_template(
    request, part, organisation, template, context, *values, until=None, now=None
):
    """A page's part: ``template`` rendered with ``context()``, cached as ``rendered_part``.

    ``context`` is called only when the part is rendered; ``until(context)``,
    if given, is the moment the part stops being right (see ``rendered_part``).
    """

    def render():
        data = context()
        html = render_to_string(template, data, request)
        return html, (until(data) if until is not None else None)

    return rendered_part(part, organisation, render, *values, now=now)
