#!/usr/bin/env python
"""Chibo's benchmark: page times, throughput and a fault run. Run by hand, never in CI.

    python bench/benchmark.py pages   # every page, the three sizes, SQLite and PostgreSQL
    python bench/benchmark.py load    # gunicorn + wrk on PostgreSQL: req/s, p50/p95/p99
    python bench/benchmark.py fault   # PostgreSQL stopped for 30 s under load
    python bench/benchmark.py standby # the same with a hot standby serving the roll-ups
    python bench/benchmark.py all     # the three, in that order

Each part loads fresh data with ``load_bulk`` into databases of its own (it
wipes them: never point it at a real cell's database) and writes its section
of docs/benchmarks.md. See docs/benchmarks.md for what is measured and how.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import secrets
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import CELL_SIZES, OFFICER, PAGES, SIZES, floor_key  # noqa: E402

PYTHON = sys.executable
REPORT = ROOT / "docs" / "benchmarks.md"
# The floor's ratio a page may reach, by size (issue 6; the committee size,
# issue 14). At the committee size this is the committee's pages' (the
# officer's); a cell's pages measured there are held to the cell size's, since
# each of the committee's cells is of the cell size (``ratio_target``).
RATIO_TARGETS = {"cell": 3, "large": 5, "committee": 5}


# --- Environment of one database -----------------------------------------------


def database_env(url, media, secret):
    """The environment of a production-like Chibo process on ``url``."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("CHIBO_") or name in ("DJANGO_SETTINGS_MODULE",):
            del env[name]
    env.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(media),
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        # As behind nginx terminating TLS (docs/deploy.md); every request of
        # the benchmark says X-Forwarded-Proto: https.
        CHIBO_BEHIND_TLS_PROXY="1",
        DJANGO_SETTINGS_MODULE="chibo.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args, env, **kwargs):
    print("+", shlex.join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], env=env, cwd=ROOT, check=True, **kwargs)


def manage(env, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def worker(env, task, *args):
    return run([PYTHON, __file__, "_worker", task, *args], env)


def reset_postgres(url):
    """Empty a benchmark database: drop and recreate its public schema."""
    import psycopg2

    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to wipe {name!r}: the benchmark's databases have 'bench' in the name.")
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def postgres_version(url):
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def fresh_database(kind, size, options, secret):
    """A freshly migrated database with ``size`` loaded: its environment."""
    workdir = Path(options.workdir)
    media = workdir / f"media-{kind}-{size}"
    subprocess.run(["rm", "-rf", str(media)], check=True)
    if kind == "sqlite":
        path = workdir / f"{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = options.postgres
        reset_postgres(url)
    env = database_env(url, media, secret)
    manage(env, "migrate", "-v0")
    manage(env, "load_bulk", "--size", size, "--seed", str(options.seed))
    return env


# --- Machine and versions -------------------------------------------------------


def cpu_seconds(root):
    """CPU time used by a process and its descendants (the dead ones included)."""
    if root is None:
        return 0.0
    ticks, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            continue
        ticks += sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
        stack += [int(child) for child in children]
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU time all the machine's cores spent busy (or stolen by the hypervisor)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Contention:
    """How much other work the (shared) machine was doing while a part ran.

    Everything busy on the machine, minus this process, its children (the
    Django workers, gunicorn, wrk) and the benchmark's own PostgreSQL cluster.
    """

    def __init__(self, *pids):
        self.load = os.getloadavg()[0]
        self.pids = pids  # processes of ours that are not our children (or not yet reaped)
        self.started = time.monotonic()
        self.marks = self.ours(), machine_busy_seconds()

    def ours(self):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (
            time.process_time()
            + children.ru_utime
            + children.ru_stime
            + sum(cpu_seconds(pid) for pid in self.pids)
        )

    def summary(self):
        elapsed = time.monotonic() - self.started
        ours = self.ours() - self.marks[0]
        busy = machine_busy_seconds() - self.marks[1]
        others = max(0.0, busy - ours) / (elapsed * os.cpu_count())
        return {"load": f"{self.load:.2f}", "others": f"{others * 100:.0f} %"}


def machine(postgres_url=None, contention=None):
    import django

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    info = {
        "machine": f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} "
        f"{platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }
    if isinstance(contention, Contention):
        info.update(contention.summary())
    elif contention:
        info.update(contention)
    if postgres_url:
        info["postgresql"] = postgres_version(postgres_url)
    return info


def header(info, command):
    versions = ", ".join(
        f"{name} {info[key]}"
        for name, key in (
            ("Python", "python"),
            ("Django", "django"),
            ("SQLite", "sqlite"),
            ("PostgreSQL", "postgresql"),
            ("gunicorn", "gunicorn"),
            ("wrk", "wrk"),
        )
        if key in info
    )
    shared = ""
    if "load" in info:
        shared = (
            f" The machine is shared: load average {info['load']} when this part started; "
            f"other work used {info['others']} of its cores' time while it ran."
        )
    return (
        f"Run on {info['date']} (end of the part); {info['machine']}; {versions}.{shared}\n\n"
        f"Command: `{command}`\n"
    )


def command_line():
    return "python bench/benchmark.py " + shlex.join(sys.argv[1:])


def write_section(name, text, path=REPORT):
    """Replace the generated section ``name`` of docs/benchmarks.md, keep the rest."""
    begin, end = f"<!-- BEGIN {name} (written by bench/benchmark.py) -->", f"<!-- END {name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current)
    print(f"Wrote the {name} section of {path.relative_to(ROOT)}.")


# --- Pages ----------------------------------------------------------------------


def measure_pages(options):
    contention = Contention()
    secret = secrets.token_urlsafe(40)
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = database_env("sqlite:///unused", workdir / "media", secret)
    manage(env, "collectstatic", "--noinput", "-v0")
    results = {}
    for kind in options.databases:
        for size in options.sizes:
            print(f"\n=== {kind}, {size} ===", flush=True)
            env = fresh_database(kind, size, options, secret)
            out = workdir / f"pages-{kind}-{size}.json"
            worker(
                env,
                "measure",
                out,
                str(options.repeat),
                str(options.warmup),
                str(options.budget),
                size,
            )
            results[(kind, size)] = json.loads(out.read_text())
    print_ratios(results)
    info = machine(options.postgres if "postgresql" in options.databases else None, contention)
    (workdir / "pages.json").write_text(
        json.dumps({f"{k}/{s}": r for (k, s), r in results.items()} | {"machine": info})
    )
    report = pages_report(results, options, info)
    if options.write:
        write_section("pages", report)
    else:
        print("\n" + report)


def ratio(result, floors, page):
    key = floor_key(page)
    if key is None or "median_ms" not in result.get(page.key, {}):
        return None
    floor = floors.get(key, {})
    if "median_ms" not in floor:
        return None
    return result[page.key]["median_ms"] / floor["median_ms"]


def print_ratios(results):
    print("\nRatio of each page's median to its role's floor:")
    for (kind, size), result in results.items():
        for page in PAGES:
            r = ratio(result, result, page)
            if r is not None:
                print(f"  {kind:<10} {size:<6} {page.key:<20} {r:5.2f}×")


def ratio_target(page, size):
    """The floor's ratio ``page`` may reach at ``size``.

    At the committee size, the committee's own pages get the committee's
    target; a cell's pages, measured in one of its cells, the cell size's.
    """
    if size == "committee" and page.role != OFFICER:
        return RATIO_TARGETS["cell"]
    return RATIO_TARGETS[size]


def verdicts(page, results, kind, sizes):
    """What the targets say about ``page`` on database ``kind``: a list of misses."""
    misses = []
    counts = {}
    for size in sizes:
        result = results[(kind, size)].get(page.key, {})
        if "median_ms" not in result:
            continue
        counts[size] = result["queries"]
        r = ratio(results[(kind, size)], results[(kind, size)], page)
        limit = ratio_target(page, size)
        if r is not None and r > limit and not page.target_ms:
            misses.append(f"{size}: {r:.2f}× > {limit}× (+{(r / limit - 1) * 100:.1f} %)")
        has_target = page.target_ms and size in page.target_sizes
        if has_target and result["median_ms"] > page.target_ms:
            over = result["median_ms"] / page.target_ms - 1
            misses.append(
                f"{size}: {result['median_ms']:.0f} ms > {page.target_ms:.0f} ms "
                f"(+{over * 100:.0f} %)"
            )
        if len(result["queries"]) > 1:
            misses.append(f"{size}: query count varies ({result['queries']})")
    if len({tuple(queries) for queries in counts.values()}) > 1:
        misses.append(
            "queries grow: " + " → ".join(f"{size} {queries}" for size, queries in counts.items())
        )
    return misses


def pages_report(results, options, info):
    sizes = [s for s in SIZES if s in options.sizes]
    committee = ""
    if "committee" in sizes:
        committee = (
            f", {RATIO_TARGETS['committee']}× for the committee's pages at the committee size "
            f"(200 cells; a cell's pages, measured in its first cell: {RATIO_TARGETS['cell']}×)"
        )
    lines = [header(info, command_line())]
    lines.append(
        f"Each page: {options.warmup} warm-up requests, then up to {options.repeat} timed "
        f"(at least 5, within {options.budget} s), in one process through Django's test client "
        "(the whole middleware stack, the session and the user loaded from the database, "
        "DEBUG=0, whitenoise's manifest, requests as from nginx terminating TLS). Times in "
        "milliseconds; × floor is the page's median over the median of the floor for the "
        f"same role; the targets are {RATIO_TARGETS['cell']}× at the cell size and "
        f"{RATIO_TARGETS['large']}× at the large size{committee}, or the page's own target "
        "in ms (the save: 50 ms for the cell size's 30 members; the exports: 2 s), and the "
        "same query count at every size. A page's cells are empty at a size it is not "
        "measured at.\n"
    )
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    for kind in options.databases:
        lines.append(f"\n### {labels[kind]}\n")
        head = "| page | role |"
        rule = "| --- | --- |"
        for size in sizes:
            head += f" {size}: median | p95 | queries | × floor |"
            rule += " ---: | ---: | ---: | ---: |"
        lines += [head + " targets |", rule + " --- |"]
        for page in PAGES:
            if not set(sizes) & set(page.sizes):
                continue
            cells = []
            for size in sizes:
                result = results[(kind, size)].get(page.key, {})
                if "median_ms" not in result and "error" not in result:
                    cells.append(" |  |  | ")
                    continue
                if "error" in result:
                    cells.append(f"error: {result['error']} | | | ")
                    continue
                r = ratio(results[(kind, size)], results[(kind, size)], page)
                cells.append(
                    f"{result['median_ms']:.1f} | {result['p95_ms']:.1f} | "
                    f"{'/'.join(map(str, result['queries']))} | "
                    f"{'' if r is None else f'{r:.2f}×'}"
                )
            misses = verdicts(page, results, kind, sizes)
            target = "✓" if not misses else "✗ " + "; ".join(misses)
            if page.key.startswith("floor-"):
                target = "(floor)"
            lines.append(f"| {page.title} | {page.role} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines) + "\n"


# --- Command line ---------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=["pages", "load", "fault", "standby", "all", "_worker"])
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(SIZES), type=lambda s: s.split(","))
    parser.add_argument("--databases", default="sqlite,postgresql", type=lambda s: s.split(","))
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://chibo:chibo@127.0.0.1:5432/chibo_bench"
        ),
        help="a PostgreSQL database the benchmark may wipe (its name must contain 'bench')",
    )
    parser.add_argument("--workdir", default="/tmp/chibo-bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20, help="seconds per page, at most")
    parser.add_argument("--no-write", dest="write", action="store_false")
    # Load and fault runs (bench/load.py).
    parser.add_argument("--port", type=int, default=8113)
    parser.add_argument("--load-sizes", default="cell,large", type=lambda s: s.split(","))
    parser.add_argument("--duration", type=int, default=30, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--load-postgres",
        default="postgres://chibo:chibo@127.0.0.1:5499/chibo_bench",
        help="the load run's database; in the fault run's cluster, its CPU time is counted too",
    )
    parser.add_argument(
        "--fault-postgres",
        default="postgres://chibo:chibo@127.0.0.1:5499/chibo_bench",
        help="the fault run's database, in a PostgreSQL cluster of its own",
    )
    parser.add_argument(
        "--fault-cluster",
        default="15 bench",
        help="that cluster, as pg_ctlcluster names it (never the cluster others use)",
    )
    parser.add_argument("--fault-size", default="cell", choices=CELL_SIZES)
    parser.add_argument("--outage", type=int, default=30, help="seconds PostgreSQL is stopped")
    # The fault run with a standby (bench/standby.py): two clusters of its own.
    parser.add_argument(
        "--standby-port",
        type=int,
        default=5571,
        help="the standby run's primary; its standby listens on the next port",
    )
    parser.add_argument("--standby-readers", type=int, default=6)
    options = parser.parse_args(argv)
    unknown = [size for size in options.sizes if size not in SIZES]
    if unknown:
        parser.error(f"--sizes: unknown {', '.join(unknown)} (the sizes: {', '.join(SIZES)})")

    if options.part == "_worker":
        from bench import django_side

        django_side.run_task(*options.rest)
        return
    if options.part in ("pages", "all"):
        measure_pages(options)
    if options.part in ("load", "all"):
        from bench import load

        load.throughput(options)
    if options.part in ("fault", "all"):
        from bench import load

        load.fault(options)
    if options.part == "standby":
        from bench import standby

        standby.standby_run(options)


if __name__ == "__main__":
    main()
