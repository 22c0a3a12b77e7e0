"""The parts of the benchmark that run inside Django, each in its own process.

benchmark.py starts ``python bench/benchmark.py _worker TASK …`` with the
environment of one database (DATABASE_URL, MEDIA_ROOT, DEBUG=0…); the task
sets Django up and writes its result as JSON to the file it is given.
"""

import json
import math
import secrets
import statistics
import time
from contextlib import contextmanager
from importlib import import_module

from bench.pages import MIX, PAGES_BY_KEY, TOKEN, Objects, form_fields, pages_at, resolve

SESSIONS_PER_ROLE = {"member": 20, "leader": 3, "secretary": 1}
# Requests arrive as from nginx, which terminates TLS (docs/deploy.md):
# CHIBO_BEHIND_TLS_PROXY=1, so HTTPS redirects, HSTS, secure cookies and the
# CSRF origin check stay on as in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def setup():
    import django
    from django.conf import settings

    django.setup()
    # The floor view lives in the benchmark's own URLconf (bench/urls.py).
    settings.ROOT_URLCONF = "bench.urls"


def percentile(values, fraction):
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@contextmanager
def counting_queries():
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield count


def fill_form(html, path, overrides):
    """The page's form as (name, value) pairs, with ``overrides`` put in."""
    fields = [(name, value) for name, value in form_fields(html, path) if name not in overrides]
    return fields + [(name, str(value)) for name, value in overrides.items()]


def post_data(page, client, path, objects, token):
    html = client.get(path).content.decode()
    data = {}
    for name, value in fill_form(html, path, page.fields(objects)):
        data.setdefault(name, []).append(value.replace(TOKEN, token))
    return data


def measure(out, repeat, warmup, budget, size):
    """Time every page measured at ``size`` in-process: median, 95th percentile, queries."""
    from django.test import Client

    from members.versions import data_changed

    repeat, warmup, budget = int(repeat), int(warmup), float(budget)
    objects = Objects()
    results = {}
    for page in pages_at(size):
        path = resolve(page, objects)
        client = Client(headers=PROXY_HEADERS)
        user = objects.user(page.role)
        if user is not None:
            client.force_login(user)
        times, queries, sizes, error = [], [], [], ""
        started = time.monotonic()
        n = 0
        while True:
            n += 1
            data = None
            if page.method == "POST":
                data = post_data(page, client, path, objects, token=f"inproc-{n}")
            if page.after_write:
                data_changed(objects.member_record.cell_id)
            with counting_queries() as count:
                t0 = time.perf_counter()
                response = client.get(path) if data is None else client.post(path, data)
                elapsed = time.perf_counter() - t0
            if response.status_code != page.expect:
                error = f"HTTP {response.status_code} (expected {page.expect})"
                break
            if n > warmup:
                times.append(elapsed * 1000)
                queries.append(count[0])
                sizes.append(len(response.content))
            if len(times) >= repeat or (len(times) >= 5 and time.monotonic() - started > budget):
                break
        if error:
            results[page.key] = {"error": error, "path": path}
            print(f"  {page.key:<20} ERROR {error}", flush=True)
            continue
        results[page.key] = {
            "path": path,
            "n": len(times),
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "min_ms": min(times),
            "queries": sorted(set(queries)),
            "bytes": int(statistics.median(sizes)),
        }
        r = results[page.key]
        print(
            f"  {page.key:<20} median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
            f"queries {','.join(map(str, r['queries']))}",
            flush=True,
        )
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


# --- The load runs ---------------------------------------------------------------


def new_session(user):
    """A logged-in session for ``user``, as the login page would create it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_SESSION_KEY
    from django.utils.module_loading import import_string

    backend = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret, sent unmasked
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[CSRF_SESSION_KEY] = csrf  # in case CSRF_USE_SESSIONS is on
    store.create()
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    return cookie, csrf


def prepare_load(out):
    """Log users in and resolve the mix: what wrk and the fault run will send."""
    from django.contrib.auth.models import User
    from django.test import Client

    from chibo.lib.roles import LEADER, MEMBER

    objects = Objects()
    users = {
        "member": list(
            User.objects.filter(
                roles__kind=MEMBER, members__left_cell_on__isnull=True, members__temporary=False
            ).order_by("pk")[: SESSIONS_PER_ROLE["member"]]
        ),
        "leader": list(User.objects.filter(roles__kind=LEADER).order_by("pk")[:3]),
        "secretary": [objects.secretary],
    }
    sessions = {role: [new_session(user) for user in group] for role, group in users.items()}
    requests = []
    for key, weight in MIX:
        page = PAGES_BY_KEY[key]
        logins = sessions.get(page.role, [("", "")])
        # A save spread over several objects: each virtual user saves its own
        # (wrk's thread N, the fault run's user N: variant N modulo their number).
        targets = objects.sheets if page.spread else [objects.recorded]
        variants = []
        for target in targets:
            shown = objects.with_sheet(target)
            path = resolve(page, shown)
            fields, overrides = [], {}
            if page.save:
                # wrk sends these fields back, with the hidden ones (CSRF token,
                # versions) taken fresh from the form it opens just before.
                client = Client(headers=PROXY_HEADERS)
                client.force_login(objects.user(page.role))
                overrides = {name: str(value) for name, value in page.fields(shown).items()}
                fields = fill_form(client.get(path).content.decode(), path, overrides)
            variants.append({"path": path, "fields": fields, "overrides": overrides})
        for cookie, csrf in logins:
            requests.append(
                {
                    "kind": key,
                    "role": page.role,
                    "method": page.method,
                    **variants[0],
                    "variants": variants,
                    "cookie": cookie,
                    "csrf": csrf,
                    "save": page.save,
                    "expect": page.expect,
                    "weight": weight / len(logins),
                }
            )
    with open(out, "w") as f:
        json.dump({"requests": requests}, f, indent=1)


def verify_saves(saves_path, out):
    """Every save answered with success is in the database exactly once.

    And a save answered otherwise (a 503 while the database was down, say)
    left nothing behind, not even half of itself.
    """
    with open(saves_path) as f:
        saves = json.load(f)  # [[kind, token, ok], ...]
    report = {}
    for kind, token, ok in saves:
        page = PAGES_BY_KEY[kind]
        found = page.saved(token)  # -1: half-saved
        row = report.setdefault(
            kind, {"ok": 0, "ok_found_once": 0, "ok_missing_or_twice": [], "failed": 0,
                   "failed_but_saved": []}
        )  # fmt: skip
        if ok:
            row["ok"] += 1
            if found == 1:
                row["ok_found_once"] += 1
            else:
                row["ok_missing_or_twice"].append([token, found])
        else:
            row["failed"] += 1
            if found:
                row["failed_but_saved"].append([token, found])
    with open(out, "w") as f:
        json.dump(report, f, indent=1)


# --- The fault run with a standby (bench/standby.py) ---------------------------------


class OneSheet:
    """What bench.pages.sheet_fields needs of the objects: one session's roster."""

    def __init__(self, session):
        self.recorded = session

    def sheet_member_ids(self) -> list[int]:
        return [row.member.pk for row in self.recorded.roster().rows]


def prepare_standby(out, readers, writers):
    """Logins and requests of the standby's fault run, at the committee size.

    Readers: officers at the committee (its matrix for this year and last, and
    its Excel file) and leaders of cells (their cell's exports), the requests
    that read from the standby. Writers: the secretaries of the first cells,
    each saving their own cell's latest sheet (on the primary).
    """
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import sheet_fields
    from chibo.lib.roles import COMMITTEE, LEADER
    from members.models import Member, Organisation, Role
    from sessions.models import ThematicSession

    readers, writers = int(readers), int(writers)
    year = timezone.localdate().year
    cells = list(Organisation.objects.cells().order_by("pk"))
    root = Organisation.objects.get(pk=cells[0].parent_id)
    officers = []
    for n in range(1, readers + 1):
        user, _created = User.objects.get_or_create(username=f"bench-officer-{n}")
        Role.objects.get_or_create(user=user, organisation=root, kind=COMMITTEE)
        officers.append(user)
    leaders = [
        Role.objects.filter(kind=LEADER, organisation=cell).order_by("pk").first().user
        for cell in cells[:readers]
    ]
    reads = []
    for user in officers:
        cookie, _csrf = new_session(user)
        for kind, url, weight in (
            ("committee", reverse("sessions:committee", args=[year]), 40),
            ("committee-last-year", reverse("sessions:committee", args=[year - 1]), 20),
            ("committee-xlsx", reverse("sessions:committee_xlsx", args=[year]), 10),
        ):
            reads.append({"kind": kind, "path": url, "cookie": cookie, "expect": 200,
                          "weight": weight / readers})  # fmt: skip
    for user in leaders:
        cookie, _csrf = new_session(user)
        for kind, name, weight in (("export-csv", "sessions:export_csv", 20),
                                   ("export-xlsx", "sessions:export_xlsx", 10)):  # fmt: skip
            reads.append({"kind": kind, "path": reverse(name, args=[year - 1]), "cookie": cookie,
                          "expect": 200, "weight": weight / readers})  # fmt: skip
    saves = []
    for cell in cells[:writers]:
        secretary = Member.objects.get(cell=cell, position="secretary", left_cell_on__isnull=True)
        session = (
            ThematicSession.objects.of_cell(cell)
            .held()
            .filter(attendances__isnull=False)
            .distinct()
            .order_by("-start", "-pk")
            .first()
        )
        path = reverse("sessions:attendance", args=[session.pk])
        overrides = {name: str(value) for name, value in sheet_fields(OneSheet(session)).items()}
        client = Client(headers=PROXY_HEADERS)
        client.force_login(secretary.user)
        fields = fill_form(client.get(path).content.decode(), path, overrides)
        cookie, _csrf = new_session(secretary.user)
        saves.append({"kind": "attendance-post", "path": path, "cookie": cookie,
                      "fields": fields, "overrides": overrides, "expect": 302})  # fmt: skip
    with open(out, "w") as f:
        json.dump({"reads": reads, "saves": saves, "cells": len(cells)}, f, indent=1)


TASKS = {
    "measure": measure,
    "prepare_load": prepare_load,
    "verify_saves": verify_saves,
    "prepare_standby": prepare_standby,
}


def run_task(task, *args):
    setup()
    TASKS[task](*args)
