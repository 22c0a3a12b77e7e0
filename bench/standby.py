"""The fault run with a standby: the primary stopped under load, the roll-ups still served.

A PostgreSQL 15 primary (``wal_level=replica``) and a hot standby made from
it by ``pg_basebackup -R`` run on this machine, each in a folder of its own
under the work folder, on ports of their own (never the machine's cluster).
The committee size is loaded into the primary (and streamed to the
standby); gunicorn runs with ``DATABASE_URL`` on the primary and
``DATABASE_STANDBY_URL`` on the standby (chibo/routers.py).

Then:

1. wrk on the committee's page, with the standby and without it (the
   reads on the primary), for the requests a second and the CPU time a
   request costs;
2. the fault run: officers and leaders read the committee's pages and the
   cells' exports (from the standby), secretaries save their sheets (on the
   primary), ``/healthz`` is polled; after 20 s the primary is stopped
   (``pg_ctl stop -m fast``), 30 s later started again, then 30 s more.
   Every save answered with success must be on the primary afterwards
   (and on the standby, once it has caught up), exactly once.

The replication lag is sampled throughout, from the primary's
``pg_stat_replication`` and the standby's ``pg_last_xact_replay_timestamp()``.
"""

import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.benchmark import (
    Contention,
    command_line,
    cpu_seconds,
    database_env,
    header,
    machine,
    manage,
    worker,
    write_section,
)
from bench.django_side import fill_form, percentile
from bench.load import (
    Gunicorn,
    LoadGenerator,
    get,
    origin,
    run_wrk,
    saves_exact,
    saves_line,
    send,
    versions_of_tools,
    write_lua_plan,
)
from bench.pages import TOKEN

PG_BIN = Path("/usr/lib/postgresql/15/bin")
READ_KINDS = ("committee", "committee-last-year", "committee-xlsx", "export-csv", "export-xlsx")
TITLES = {
    "committee": "Committee's matrix, this year",
    "committee-last-year": "Committee's matrix, last year",
    "committee-xlsx": "Committee's Excel file",
    "export-csv": "A cell's export: CSV",
    "export-xlsx": "A cell's export: Excel",
    "sheet-open": "Attendance sheet: open (primary)",
    "attendance-post": "Attendance sheet: save (primary)",
}


# --- Two clusters of our own ---------------------------------------------------------


class Cluster:
    """A PostgreSQL data folder run with pg_ctl, as the postgres user when we are root."""

    def __init__(self, folder: Path, port: int, name: str):
        self.folder, self.port, self.name = folder, port, name
        self.socket = folder.parent / "sockets"

    def as_owner(self, *command, check=True, **kwargs):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        print("+", " ".join(command), flush=True)
        return subprocess.run(command, check=check, cwd="/", **kwargs)

    def start(self):
        self.as_owner(
            PG_BIN / "pg_ctl", "start", "-w", "-D", self.folder, "-l", self.folder.parent /
            f"{self.name}.log", "-o", f"-p {self.port} -k {self.socket}"
        )  # fmt: skip

    def stop(self, check=True):
        return self.as_owner(
            PG_BIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.folder, check=check
        )

    def pid(self) -> int | None:
        try:
            return int((self.folder / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def sql(self, statement, database="postgres"):
        result = self.as_owner(
            PG_BIN / "psql", "-h", self.socket, "-p", self.port, "-d", database, "-XAtc",
            statement, capture_output=True, text=True
        )  # fmt: skip
        return result.stdout.strip()

    def url(self, database="chibo_bench"):
        return f"postgres://chibo:chibo@127.0.0.1:{self.port}/{database}"


def make_pair(workdir: Path, port: int):
    """A fresh primary on ``port`` and, once it holds the schema, its standby on port + 1."""
    home = workdir / "standby-pg"
    for cluster_folder in (home / "primary", home / "standby"):
        if (cluster_folder / "postmaster.pid").exists():
            Cluster(cluster_folder, 0, "old").stop(check=False)
    shutil.rmtree(home, ignore_errors=True)
    (home / "sockets").mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(home / "sockets", "postgres")
    primary = Cluster(home / "primary", port, "primary")
    primary.as_owner(
        PG_BIN / "initdb", "-D", primary.folder, "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8"
    )  # fmt: skip
    with open(primary.folder / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# The benchmark's primary (bench/standby.py)\n"
            "listen_addresses = '127.0.0.1'\n"
            "wal_level = replica\n"
            "max_wal_senders = 4\n"
            "hot_standby = on\n"
            # A standby's long read is not cancelled by the primary's vacuum.
            "hot_standby_feedback = on\n"
            "max_connections = 40\n"
        )
    primary.start()
    primary.sql("CREATE ROLE chibo LOGIN PASSWORD 'chibo' CREATEDB")
    primary.sql("CREATE DATABASE chibo_bench OWNER chibo")
    standby = Cluster(home / "standby", port + 1, "standby")
    return primary, standby


def start_standby(primary: Cluster, standby: Cluster):
    primary.as_owner(
        PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
        "-D", standby.folder, "-R", "-X", "stream", "-c", "fast"
    )  # fmt: skip
    standby.start()


def wait_caught_up(primary: Cluster, standby: Cluster, timeout=300):
    """Until the standby has replayed everything the primary wrote; the seconds it took."""
    started = time.monotonic()
    target = primary.sql("SELECT pg_current_wal_lsn()")
    while time.monotonic() - started < timeout:
        done = standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if done == "t":
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"The standby did not catch up with {target} in {timeout} s.")


class LagSampler:
    """The replication lag every half second, as the primary and the standby see it."""

    def __init__(self, primary: Cluster, standby: Cluster):
        self.primary, self.standby = primary, standby
        self.samples = []
        self.stopping = threading.Event()

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(10)

    def run(self):
        import psycopg2

        def query(cluster, sql):
            try:
                with psycopg2.connect(
                    host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres",
                    connect_timeout=1
                ) as conn, conn.cursor() as cursor:  # fmt: skip
                    cursor.execute(sql)
                    row = cursor.fetchone()
                    # numeric and interval columns come as Decimal: plain floats for JSON.
                    return None if row is None else [None if v is None else float(v) for v in row]
            except psycopg2.Error:
                return None

        while not self.stopping.is_set():
            now = time.monotonic()
            on_primary = query(
                self.primary,
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
                "extract(epoch FROM replay_lag) FROM pg_stat_replication",
            )
            on_standby = query(
                self.standby,
                "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())",
            )
            self.samples.append(
                {
                    "t": now,
                    "bytes_behind": None if on_primary is None else on_primary[0],
                    "replay_lag_s": None if on_primary is None else on_primary[1],
                    "since_last_replay_s": None if on_standby is None else on_standby[0],
                }
            )
            time.sleep(0.5)

    def summary(self, start, end):
        rows = [s for s in self.samples if start <= s["t"] <= end]
        lags = [float(s["replay_lag_s"] or 0) for s in rows if s["bytes_behind"] is not None]
        behind = [float(s["bytes_behind"] or 0) for s in rows if s["bytes_behind"] is not None]
        if not lags:
            return None
        return {
            "samples": len(lags),
            "replay_lag_ms_median": statistics.median(lags) * 1000,
            "replay_lag_ms_p95": percentile(lags, 0.95) * 1000,
            "replay_lag_ms_max": max(lags) * 1000,
            "bytes_behind_max": max(behind),
        }


# --- The load ---------------------------------------------------------------------------


class StandbyLoad(LoadGenerator):
    """Readers of the roll-ups and writers of sheets, every request recorded.

    A writer opens its sheet (a page read from the primary) and sends it
    back; when the form cannot be opened (the primary is down), it sends the
    form it opened last, as a person with the page still open would: that
    save must be refused with the 503 page and leave nothing.
    """

    def __init__(self, plan, port, readers, think):
        super().__init__(plan, port, users=len(plan["saves"]) + readers, think=think)

    def user(self, n):
        if n < len(self.plan["saves"]):
            self.writer(n, self.plan["saves"][n])
        else:
            self.reader(n)

    def reader(self, n):
        rng = random.Random(f"{self.seed}-{n}")
        reads = self.plan["reads"]
        weights = [r["weight"] for r in reads]
        while not self.stopping.is_set():
            entry = rng.choices(reads, weights)[0]
            started = time.monotonic()
            status, body, seconds = get(self.port, entry["path"], entry["cookie"], timeout=30)
            self.record(entry["kind"], "get", started, status, body, seconds, entry["expect"])
            time.sleep(self.think)

    def writer(self, n, entry):
        fields, sent = None, 0
        while not self.stopping.is_set():
            started = time.monotonic()
            status, body, seconds = get(self.port, entry["path"], entry["cookie"])
            row = self.record("sheet-open", "open form", started, status, body, seconds, 200)
            if row["ok"]:
                fields = fill_form(body, entry["path"], entry["overrides"])
            if fields is None:
                time.sleep(self.think)
                continue
            sent += 1
            token = f"s{n}-{sent}"
            data = urlencode([(k, v.replace(TOKEN, token)) for k, v in fields])
            started = time.monotonic()
            status, body, seconds = send(self.port, "POST", entry["path"], entry["cookie"], data)
            row = self.record(
                entry["kind"], "save", started, status, body, seconds, entry["expect"]
            )
            with self.lock:
                self.saves.append([entry["kind"], token, row["ok"]])
            time.sleep(self.think)


# --- The run -----------------------------------------------------------------------------


def standby_run(options):
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    secret = secrets.token_urlsafe(40)
    primary, standby = make_pair(workdir, options.standby_port)
    try:
        return run_with_pair(options, workdir, secret, primary, standby)
    finally:
        standby.stop(check=False)
        primary.stop(check=False)


def run_with_pair(options, workdir, secret, primary, standby):
    marks = {}
    media = workdir / "media-standby"
    shutil.rmtree(media, ignore_errors=True)
    env = database_env(primary.url(), media, secret)
    manage(env, "migrate", "-v0")
    start_standby(primary, standby)
    env_standby = dict(env, DATABASE_STANDBY_URL=standby.url())
    with LagSampler(primary, standby) as lag:
        marks["load_start"] = time.monotonic()
        manage(env, "load_bulk", "--size", "committee", "--seed", str(options.seed))
        marks["load_end"] = time.monotonic()
        caught_up_after_load = wait_caught_up(primary, standby)
        marks["caught_up"] = time.monotonic()
        manage(env, "collectstatic", "--noinput", "-v0")
        plan_path = workdir / "standby-plan.json"
        worker(env, "prepare_standby", plan_path, str(options.standby_readers), "4")
        plan = json.loads(plan_path.read_text())
        wait_caught_up(primary, standby)
        wrk_runs = []
        # The committee's page: with the standby, then without it (reads on the primary).
        for label, run_env in (("standby", env_standby), ("primary", env)):
            log = workdir / f"gunicorn-standby-wrk-{label}.log"
            with Gunicorn(run_env, options.port, log) as server:
                wrk_runs.append(committee_wrk(server, plan, options, label, primary, standby))
        contention = Contention(primary.pid(), standby.pid())
        with Gunicorn(env_standby, options.port, workdir / "gunicorn-standby.log") as server:
            pids_before = server.pids()
            generator = StandbyLoad(plan, options.port, readers=options.standby_readers, think=0.05)
            generator.start()
            time.sleep(20)
            shared = contention.summary()
            marks["stop_sent"] = time.monotonic()
            primary.stop()
            marks["stopped"] = time.monotonic()
            time.sleep(max(0, options.outage - (marks["stopped"] - marks["stop_sent"])))
            marks["start_sent"] = time.monotonic()
            primary.start()
            marks["started"] = time.monotonic()
            time.sleep(30)
            generator.stop()
            marks["end"] = time.monotonic()
            pids_after = server.pids()
        wait_caught_up(primary, standby)
    saves_path = workdir / "standby-saves.json"
    saves_path.write_text(json.dumps(generator.saves))
    verified = {}
    for label, url in (("primary", primary.url()), ("standby", standby.url())):
        out = workdir / f"standby-verified-{label}.json"
        worker(database_env(url, media, secret), "verify_saves", saves_path, out)
        verified[label] = json.loads(out.read_text())
    result = analyse(generator, marks)
    result.update(
        verified=verified,
        restarted=pids_before != pids_after,
        wrk=wrk_runs,
        cells=plan["cells"],
        lag={
            "load": lag.summary(marks["load_start"], marks["load_end"]),
            "caught_up_after_load_s": caught_up_after_load,
            "before": lag.summary(marks["stop_sent"] - 20, marks["stop_sent"]),
            "after": lag.summary(marks["started"] + 5, marks["end"]),
        },
        load_seconds=marks["load_end"] - marks["load_start"],
    )
    (workdir / "standby.json").write_text(
        json.dumps(
            result
            | {
                "records": generator.records,
                "health": generator.health,
                "marks": marks,
                "lag_samples": lag.samples,
            },
            indent=1,
        )
    )
    print(json.dumps({k: v for k, v in result.items() if k != "verified"}, indent=1))
    info = machine(primary.url(), shared) | versions_of_tools()
    if options.write:
        write_section("standby", report(result, options, info))
    return result


def page_only(path):
    """A wrk variant that is a GET of ``path``."""
    return {"path": path, "fields": [], "overrides": {}}


def committee_wrk(server, plan, options, label, primary, standby):
    """wrk on the committee's page (this year) for the officers: req/s and CPU per request."""
    workdir = Path(options.workdir)
    requests = [
        dict(r, method="GET", save="", variants=[page_only(r["path"])])
        for r in plan["reads"]
        if r["kind"] == "committee"
    ]
    lua_plan = workdir / f"wrk-standby-{label}.lua"
    write_lua_plan({"requests": requests}, {"committee"}, lua_plan, origin=origin(options.port))
    # Warm: every worker has its connections and its templates.
    run_wrk(options.port, lua_plan, workdir / f"wrk-standby-{label}-warm.json", 5, 4)
    pids = (server.process.pid, primary.pid(), standby.pid())
    before = [cpu_seconds(pid) for pid in pids]
    contention = Contention(*pids)
    result = run_wrk(
        options.port, lua_plan, workdir / f"wrk-standby-{label}.json", options.duration, 4
    )
    after = [cpu_seconds(pid) for pid in pids]
    n = max(1, result["requests"])
    result.update(
        label=label,
        others=contention.summary()["others"],
        cpu_ms={
            "gunicorn": (after[0] - before[0]) * 1000 / n,
            "primary": (after[1] - before[1]) * 1000 / n,
            "standby": (after[2] - before[2]) * 1000 / n,
        },
    )
    print(f"committee page, reads on the {label}: {result['requests']} requests", flush=True)
    return result


# --- What happened ------------------------------------------------------------------------


def analyse(generator, marks):
    records = sorted(generator.records, key=lambda r: r["t0"])
    health = sorted(generator.health, key=lambda r: r["t0"])
    stop, back = marks["stop_sent"], marks["started"]
    phases = {
        "before": (lambda r: r["t1"] < stop, stop - (stop - 20)),
        "during": (
            lambda r: r["t0"] >= marks["stopped"] and r["t1"] <= marks["start_sent"],
            marks["start_sent"] - marks["stopped"],
        ),
        "after": (lambda r: r["t0"] >= back + 5, marks["end"] - (back + 5)),
    }
    out = {"outage_s": back - stop, "phases": {}}
    for phase, (inside, seconds) in phases.items():
        rows = [r for r in records if inside(r)]
        kinds = {}
        for r in rows:
            row = kinds.setdefault(r["kind"], {"statuses": {}, "times": [], "down_pages": 0})
            key = str(r["status"]) if r["status"] is not None else "no answer"
            row["statuses"][key] = row["statuses"].get(key, 0) + 1
            row["times"].append(r["t1"] - r["t0"])
            row["down_pages"] += r["down_page"]
        for row in kinds.values():
            times = row.pop("times")
            row["requests"] = len(times)
            row["per_second"] = len(times) / seconds
            row["median_ms"] = statistics.median(times) * 1000
            row["p95_ms"] = percentile(times, 0.95) * 1000
        reads = [r for r in rows if r["kind"] in READ_KINDS]
        out["phases"][phase] = {
            "seconds": seconds,
            "kinds": kinds,
            "reads": len(reads),
            "reads_ok": sum(r["status"] == 200 for r in reads),
            "reads_per_second": len(reads) / seconds,
            "healthz": statuses([h for h in health if inside(h)]),
        }
    first_save = next(
        (r["t1"] for r in records if r["t0"] >= back and r["step"] == "save" and r["ok"]), None
    )
    out["saves_back_after_s"] = None if first_save is None else first_save - back
    return out


def statuses(rows):
    counts = {}
    for r in rows:
        key = str(r["status"]) if r["status"] is not None else "no answer"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def report(result, options, info):
    lines = [header(info, command_line())]
    lines.append(
        f"A PostgreSQL 15 primary (`wal_level=replica`) and a hot standby made from it by "
        "`pg_basebackup -R`, streaming, both on this machine in folders and on ports of their "
        f"own; the `committee` size ({result['cells']} cells) loaded into the primary with "
        "`load_bulk`; gunicorn (2 sync workers) with `DATABASE_URL` on the primary and "
        "`DATABASE_STANDBY_URL` on the standby (chibo/routers.py).\n"
    )
    lines += [
        "**The committee's page under wrk** (this year's matrix, "
        f"{options.duration} s, 4 connections, officers' sessions):\n",
        "| reads on | requests | req/s | p50 | p99 | errors | CPU per request "
        "(gunicorn + primary + standby) | other work on the machine |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for run in result["wrk"]:
        seconds = run["duration_us"] / 1e6
        latency = run["latency_us"]
        errors = sum(v for k, v in run["errors"].items() if k != "status") + sum(
            row["bad"] for row in run["kinds"].values()
        )
        cpu = run["cpu_ms"]
        total = cpu["gunicorn"] + cpu["primary"] + cpu["standby"]
        lines.append(
            f"| the {run['label']} | {run['requests']} | {run['requests'] / seconds:.1f} | "
            f"{latency['p50'] / 1000:.0f} ms | {latency['p99'] / 1000:.0f} ms | {errors} | "
            f"{total:.1f} ms ({cpu['gunicorn']:.1f} + {cpu['primary']:.1f} + "
            f"{cpu['standby']:.1f}) | {run['others']} |"
        )
    readers = options.standby_readers
    lines.append(
        f"\n**The fault run**: {readers} readers (officers at the committee, leaders of cells) "
        "and 4 writers (the secretaries of 4 cells, each saving their own sheet of 30 members), "
        "each with 50 ms between requests (a Python load generator, bench/standby.py), "
        "`/healthz` polled every 100 ms. After 20 s, `pg_ctl stop -m fast` on the primary; "
        f"{options.outage} s later, `pg_ctl start`; then 30 s more. A writer whose form does "
        "not open (the primary is down) sends the form it opened last, as a person with the "
        "page still open would.\n"
    )
    phases = result["phases"]
    names = {"before": "before (20 s)", "during": f"during the outage ({result['outage_s']:.1f} s)",
             "after": "from 5 s after the return (25 s)"}  # fmt: skip
    lines += [
        "| request | " + " | ".join(names[p] for p in ("before", "during", "after")) + " |",
        "| --- | --- | --- | --- |",
    ]
    kinds = [k for k in TITLES if any(k in phases[p]["kinds"] for p in phases)]
    for kind in kinds:
        cells = []
        for phase in ("before", "during", "after"):
            row = phases[phase]["kinds"].get(kind)
            if row is None:
                cells.append("—")
                continue
            codes = ", ".join(f"{k}: {v}" for k, v in sorted(row["statuses"].items()))
            down = f" ({row['down_pages']} the Vietnamese 503 page)" if row["down_pages"] else ""
            cells.append(
                f"{row['requests']} ({row['per_second']:.1f}/s), {codes}{down}; "
                f"median {row['median_ms']:.0f} ms"
            )
        lines.append(f"| {TITLES[kind]} | " + " | ".join(cells) + " |")
    lines.append(
        "| `/healthz` | "
        + " | ".join(
            ", ".join(f"{k}: {v}" for k, v in phases[p]["healthz"].items())
            for p in ("before", "during", "after")
        )
        + " |"
    )
    during = phases["during"]
    writes_during = {
        k: v for k, v in during["kinds"].items() if k in ("sheet-open", "attendance-post")
    }
    all_down = all(
        set(row["statuses"]) <= {"503"} and row["down_pages"] == row["requests"]
        for row in writes_during.values()
    )
    lag = result["lag"]

    def lag_text(summary):
        if summary is None:
            return "no sample"
        return (
            f"median {summary['replay_lag_ms_median']:.1f} ms, p95 "
            f"{summary['replay_lag_ms_p95']:.1f} ms, max {summary['replay_lag_ms_max']:.1f} ms, "
            f"at most {summary['bytes_behind_max'] / 1024:.0f} KiB of WAL behind "
            f"({summary['samples']} samples)"
        )

    lines += [
        "",
        "| what | measured | target |",
        "| --- | --- | --- |",
        f"| the roll-ups during the outage | {during['reads']} requests, {during['reads_ok']} "
        f"answered 200 ({during['reads_per_second']:.1f}/s) | all 200 "
        f"{ok(during['reads'] > 0 and during['reads'] == during['reads_ok'])} |",
        "| writes during the outage | "
        + "; ".join(
            f"{TITLES[k]}: " + ", ".join(f"{c}: {n}" for c, n in v["statuses"].items())
            for k, v in writes_during.items()
        )
        + f" | every one the Vietnamese 503 page {ok(bool(writes_during) and all_down)} |",
        f"| saves back after the primary | first save answered with success "
        f"{fmt_s(result['saves_back_after_s'])} after `pg_ctl start` returned | within 5 s "
        f"{ok(result['saves_back_after_s'] is not None and result['saves_back_after_s'] <= 5)} |",
        f"| saves on the primary after its restart | {saves_line(result['verified']['primary'])} "
        f"| every save answered with success there exactly once "
        f"{ok(saves_exact(result['verified']['primary']))} |",
        f"| the same saves on the standby, caught up | "
        f"{saves_line(result['verified']['standby'])} | the same "
        f"{ok(saves_exact(result['verified']['standby']))} |",
        f"| gunicorn | {'restarted' if result['restarted'] else 'same worker processes'} | "
        f"no restart {ok(not result['restarted'])} |",
        f"| replication lag while `load_bulk` wrote the committee ({result['load_seconds']:.0f} "
        f"s) | {lag_text(lag['load'])}; the standby had replayed everything "
        f"{lag['caught_up_after_load_s']:.1f} s after the load ended | — |",
        f"| replication lag under the run's load, before the outage | {lag_text(lag['before'])} "
        f"| under `CHIBO_STANDBY_AFTER_WRITE_SECONDS` (10 s) "
        f"{ok(lag['before'] is not None and lag['before']['replay_lag_ms_max'] < 10_000)} |",
        f"| replication lag after the return | {lag_text(lag['after'])} | — |",
    ]
    lines.append(
        "\nThe replication lag is `replay_lag` of the primary's `pg_stat_replication` (how long "
        "after a commit on the primary the standby had replayed it), sampled every 0.5 s; "
        "requests that straddle the stop or the start are left out of the phases."
    )
    return "\n".join(lines) + "\n"


def ok(flag):
    return "✓" if flag else "✗"


def fmt_s(value):
    return "never" if value is None else f"{value:.1f} s"
