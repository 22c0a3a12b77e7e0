"""Throughput (gunicorn + wrk) and the fault run (PostgreSQL stopped under load).

Throughput: wrk, written in C, costs the server little of the 2 cores it
measures; its Lua script (bench/wrk.lua) logs in by session cookies created
beforehand and checks every response, saves included.

Fault run: a small Python load generator, because it must know, for every
request, when it was sent, what came back and, for a save, which token it
carried; at a bounded rate, its own CPU cost does not matter there.
"""

import http.client
import json
import random
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench.benchmark import (
    PYTHON,
    ROOT,
    Contention,
    command_line,
    cpu_seconds,
    fresh_database,
    header,
    machine,
    manage,
    worker,
    write_section,
)
from bench.django_side import fill_form, percentile
from bench.pages import PAGES_BY_KEY, TOKEN

GUNICORN = Path(PYTHON).parent / "gunicorn"
DOWN_MARKER = "Chibo tạm thời không truy cập được"


class Gunicorn:
    """gunicorn with Chibo's gunicorn.conf.py (2 sync workers), on loopback."""

    def __init__(self, env, port, log, workers=2):
        self.env, self.port, self.log, self.workers = env, port, log, workers

    def __enter__(self):
        if get(self.port, "/healthz", timeout=1)[0] is not None:
            raise SystemExit(f"Something already answers on port {self.port}.")
        self.logfile = open(self.log, "w")
        command = [GUNICORN, "chibo.wsgi", "-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            if get(self.port, "/healthz", timeout=1)[0] == 200:
                break
            time.sleep(0.2)
        else:
            self.__exit__()
            raise SystemExit(f"gunicorn did not start: see {self.log}")
        return self

    def pids(self):
        """The master's and the workers' process ids."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [self.process.pid, *sorted(int(p) for p in children.read_text().split())]

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.logfile.close()


def get(port, path, cookie="", timeout=10):
    """(status, body, seconds) of a GET, or (None, error, seconds)."""
    return send(port, "GET", path, cookie=cookie, timeout=timeout)


def send(port, method, path, cookie="", body=None, timeout=10):
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    # As from nginx, which terminates TLS (bench/django_side.py: PROXY_HEADERS).
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        # The browser's Origin: CSRF protection checks it on HTTPS.
        headers["Origin"] = origin(port)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return response.status, text, time.monotonic() - started
    except OSError as error:
        return None, f"{type(error).__name__}: {error}", time.monotonic() - started
    finally:
        connection.close()


# --- Throughput with wrk ----------------------------------------------------------


def lua(value):
    """``value`` as a Lua literal (ASCII only: other bytes as decimal escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        out = []
        for byte in value.encode():
            char = chr(byte)
            if 32 <= byte < 127 and char not in '"\\':
                out.append(char)
            else:
                out.append(f"\\{byte:03d}")
        return '"' + "".join(out) + '"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def origin(port):
    """The Origin a browser sends with a form on the site (CSRF checks it on HTTPS)."""
    return f"https://127.0.0.1:{port}"


def write_lua_plan(plan, kinds, path, seed=1, origin=""):
    """The requests of ``kinds`` and a shuffled order that follows their weights."""
    requests = [r for r in plan["requests"] if r["kind"] in kinds]
    total = sum(r["weight"] for r in requests)
    order = []
    for index, r in enumerate(requests, start=1):
        order += [index] * max(1, round(1000 * r["weight"] / total))
    random.Random(seed).shuffle(order)
    keep = ("kind", "method", "cookie", "variants", "save", "expect")
    path.write_text(
        "return "
        + lua(
            {
                "requests": [{k: r[k] for k in keep} for r in requests],
                "order": order,
                "origin": origin,
            }
        )
    )
    return requests


def run_wrk(port, lua_plan, out, duration, connections):
    env = {
        "CHIBO_WRK_PLAN": str(lua_plan),
        "CHIBO_WRK_OUT": str(out),
        "CHIBO_WRK_RUN": f"{out.stem}-{int(time.time())}-",
        "PATH": "/usr/bin:/bin",
    }
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s"]
    command += [
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
        f"http://127.0.0.1:{port}",
    ]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    result = json.loads(out.read_text())
    kinds, saves = {}, []
    for thread in result["threads"]:
        for key, value in thread["stats"].items():
            kind, what = key.rsplit("|", 1)
            row = kinds.setdefault(kind, {"sent": 0, "ok": 0, "bad": 0, "statuses": ""})
            row[what] += value
            if what in ("ok", "bad"):
                row["sent"] += value
        for save in thread["saves"]:
            kind, token, ok = save.split()
            saves.append([kind, token, ok == "1"])
    result.update(kinds=kinds, saves=saves)
    del result["threads"]
    return result


def postmaster(cluster):
    """The PostgreSQL cluster's main process, to count its CPU time."""
    version, name = cluster.split()
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    for line in listing.stdout.splitlines():
        fields = line.split()
        if fields[:2] == [version, name]:
            return int(Path(fields[5], "postmaster.pid").read_text().split()[0])
    return None


def measured_run(server, plan, title, kinds, options, name, postgres_pid):
    """One wrk run, with the CPU time gunicorn and PostgreSQL spent on it."""
    workdir = Path(options.workdir)
    lua_plan = workdir / f"wrk-{name}.lua"
    requests = write_lua_plan(plan, kinds, lua_plan, origin=origin(options.port))
    before = cpu_seconds(server.process.pid), cpu_seconds(postgres_pid)
    contention = Contention(server.process.pid, postgres_pid)
    result = run_wrk(
        options.port, lua_plan, workdir / f"wrk-{name}.json", options.duration, options.connections
    )
    after = cpu_seconds(server.process.pid), cpu_seconds(postgres_pid)
    result["others"] = contention.summary()["others"]
    result["title"] = title
    result["mix"] = mix_description(requests)
    result["cpu_ms"] = {
        "gunicorn": (after[0] - before[0]) * 1000 / result["requests"],
        "postgresql": (after[1] - before[1]) * 1000 / result["requests"] if postgres_pid else None,
    }
    print_run(result)
    return result


def throughput(options):
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    # Count PostgreSQL's CPU time too, when the database is in the benchmark's own cluster.
    own_cluster = urlparse(options.load_postgres).port == cluster_port(options.fault_cluster, True)
    postgres_pid = postmaster(options.fault_cluster) if own_cluster else None
    contention = Contention(postgres_pid)
    runs, plans = [], {}
    for size in options.load_sizes:
        size_runs, plans[size] = throughput_at(size, options, postgres_pid)
        runs += size_runs
    (workdir / "load.json").write_text(json.dumps(runs, indent=1))
    info = machine(options.load_postgres, contention) | versions_of_tools()
    if options.write:
        write_section("load", load_report(runs, plans, options, info))


def throughput_at(size, options, postgres_pid):
    """The runs at one size of data: member's home, the mix, 4 workers."""
    import argparse
    import secrets

    workdir = Path(options.workdir)
    print(f"\n=== Throughput: gunicorn on PostgreSQL, {size} ===", flush=True)
    load_options = argparse.Namespace(**vars(options))
    load_options.postgres = options.load_postgres
    env = fresh_database("postgresql", size, load_options, secrets.token_urlsafe(40))
    manage(env, "collectstatic", "--noinput", "-v0")
    plan_path = workdir / f"load-plan-{size}.json"
    runs = []

    def run(server, title, kinds, name, requests=None):
        requests_plan = plan if requests is None else {"requests": requests}
        result = measured_run(
            server, requests_plan, title, kinds, options, f"{size}-{name}", postgres_pid
        )
        result["size"] = size
        runs.append(result)
        return result

    with Gunicorn(env, options.port, workdir / f"gunicorn-load-{size}.log") as server:
        worker(env, "prepare_load", plan_path)
        plan = json.loads(plan_path.read_text())
        pids_before = server.pids()
        everything = {r["kind"] for r in plan["requests"]}
        warm = workdir / "wrk-warm.lua"
        write_lua_plan(plan, everything, warm, origin=origin(options.port))
        warm_run = run_wrk(options.port, warm, workdir / "wrk-warm.json", 5, options.connections)
        run(server, "Member's home only", {"home-member"}, "home")
        mix = run(server, "Mix of the three roles, with saves", everything, "mix")
        # The warm-up's saves are checked with the mix's.
        mix["warm_saves"] = len(warm_run["saves"])
        # Two references for the member's home: a page with the base layout and one
        # sentence ("password changed"), and /healthz (one query, no template).
        for path, title in (
            ("/accounts/password/done/", "Reference: a page with only the base layout"),
            ("/healthz", "Reference: /healthz, one query and no template"),
        ):
            reference = [
                dict(r, kind="reference", variants=[{"path": path, "fields": [], "overrides": {}}])
                for r in plan["requests"]
                if r["kind"] == "home-member"
            ]
            run(server, title, {"reference"}, path.strip("/").replace("/", "-"), reference)
        if mix["saves"]:
            saves_path = workdir / f"saves-{size}.json"
            saves_path.write_text(json.dumps(warm_run["saves"] + mix["saves"]))
            verified = workdir / f"verified-{size}.json"
            worker(env, "verify_saves", saves_path, verified)
            mix["verified"] = json.loads(verified.read_text())
        mix["restarted"] = server.pids() != pids_before
    # The same member's home with 4 workers, to check that 2 is the right number.
    with Gunicorn(env, options.port, workdir / f"gunicorn-load-{size}-4.log", workers=4) as server:
        warm = workdir / "wrk-warm-4.lua"
        write_lua_plan(plan, {"home-member"}, warm, origin=origin(options.port))
        run_wrk(options.port, warm, workdir / "wrk-warm-4.json", 5, options.connections)
        run(server, "Member's home only, 4 workers instead of 2", {"home-member"}, "home-4")
    return runs, plan


def versions_of_tools():
    gunicorn = subprocess.run([GUNICORN, "--version"], capture_output=True, text=True)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "gunicorn": gunicorn.stdout.split()[-1].rstrip(")"),
        "wrk": (wrk.stdout + wrk.stderr).split()[1],
    }


def mix_description(requests):
    weights = {}
    for r in requests:
        weights[r["kind"]] = weights.get(r["kind"], 0) + r["weight"]
    total = sum(weights.values())
    return {kind: round(100 * weight / total) for kind, weight in weights.items()}


def errors_of(run):
    socket_errors = sum(v for k, v in run["errors"].items() if k != "status")
    unexpected = sum(row["bad"] for row in run["kinds"].values())
    return socket_errors + unexpected


def print_run(run):
    seconds = run["duration_us"] / 1e6
    latency = run["latency_us"]
    print(
        f"{run['title']}: {run['requests'] / seconds:.0f} req/s, p50 {latency['p50'] / 1000:.1f} "
        f"ms, p95 {latency['p95'] / 1000:.1f} ms, p99 {latency['p99'] / 1000:.1f} ms, "
        f"errors {errors_of(run)}",
        flush=True,
    )


def saves_line(verified):
    parts = []
    for kind, row in verified.items():
        wrong = len(row["ok_missing_or_twice"])
        failed = ""
        if row["failed"]:
            failed = (
                f"; {row['failed']} answered otherwise, "
                f"{len(row['failed_but_saved'])} of them found in the database"
            )
        parts.append(
            f"{PAGES_BY_KEY[kind].title}: {row['ok']} saves answered with success, "
            f"{row['ok_found_once']} of them found exactly once in the database, every row of "
            "the sheet written"
            + (f", {wrong} missing, half-saved or twice" if wrong else "")
            + failed
        )
    return "; ".join(parts)


def load_report(runs, plans, options, info):
    lines = [header(info, command_line())]
    lines.append(
        "gunicorn with `gunicorn.conf.py` (2 sync workers unless said, `DEBUG=0`, whitenoise), "
        "PostgreSQL on loopback; wrk with "
        f"{options.connections} threads of one connection each (a bounded, closed-loop load: "
        f"{options.connections} requests in flight at most) for {options.duration} s per run, "
        "after a 5 s warm-up, at each size of data. Every response is checked against what its "
        "request expects (200 for a page, 302 for a save); an error is a socket error, a "
        "timeout or any other status.\n"
    )
    lines += [
        "| size | run | requests | req/s | p50 | p95 | p99 | max | errors | "
        "server CPU per request | other work on the machine |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        seconds = run["duration_us"] / 1e6
        latency = {k: v / 1000 for k, v in run["latency_us"].items()}
        cpu = run["cpu_ms"]
        cpu_text = f"{cpu['gunicorn']:.2f} ms"
        if cpu["postgresql"] is not None:
            cpu_text = (
                f"{cpu['gunicorn'] + cpu['postgresql']:.2f} ms ({cpu['gunicorn']:.2f} gunicorn "
                f"+ {cpu['postgresql']:.2f} PostgreSQL)"
            )
        lines.append(
            f"| {run['size']} | {run['title']} | {run['requests']} | "
            f"{run['requests'] / seconds:.0f} | {latency['p50']:.1f} ms | "
            f"{latency['p95']:.1f} ms | {latency['p99']:.1f} ms | {latency['max']:.0f} ms | "
            f"{errors_of(run)} | {cpu_text} | {run['others']} |"
        )
    lines.append(
        "\nServer CPU per request is the CPU time gunicorn (master and workers) and, when the "
        "database is in the benchmark's own cluster, PostgreSQL spent during the run, divided "
        "by the requests. Other work on the machine is the share of its cores' time used by "
        "anything but gunicorn, PostgreSQL's benchmark cluster and wrk during the run (the "
        "machine is shared): a run with much other work served fewer requests than the "
        "machine can."
    )
    mixes = [run for run in runs if run["title"].startswith("Mix")]
    shares = [f"{title_of(k)} {v} %" for k, v in mixes[0]["mix"].items()]
    lines.append(
        "\nThe mix, by share of requests picked (a save counts once here and is two requests: "
        "the form opened, then sent): " + ", ".join(shares) + "."
    )
    for mix in mixes:
        kinds = []
        for kind, row in sorted(mix["kinds"].items()):
            unexpected = f" (unexpected: {row['statuses'].strip()})" if row["bad"] else ""
            kinds.append(f"{kind} {row['ok']}/{row['sent']}{unexpected}")
        lines.append(
            f"\nAt the {mix['size']} size, responses as expected, by kind: "
            + ", ".join(kinds)
            + "."
        )
        if mix.get("verified"):
            lines.append(
                "Saves checked in the database afterwards (with the "
                f"{mix['warm_saves']} of the warm-up): {saves_line(mix['verified'])}."
            )
        lines.append(
            "gunicorn's master and workers were "
            + (
                "REPLACED during the runs."
                if mix["restarted"]
                else "the same processes throughout."
            )
        )
    return "\n".join(lines) + "\n"


# --- The fault run ----------------------------------------------------------------


class LoadGenerator:
    """Virtual users sending the mix at a bounded rate, recording every request."""

    def __init__(self, plan, port, users, think, seed=1):
        self.plan, self.port, self.users, self.think = plan, port, users, think
        self.records = []
        self.saves = []
        self.health = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.seed = seed

    def start(self):
        self.threads = [
            threading.Thread(target=self.user, args=(n,), daemon=True) for n in range(self.users)
        ]
        self.threads.append(threading.Thread(target=self.healthz, daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)

    def record(self, kind, step, started, status, body, seconds, expect):
        row = {
            "kind": kind,
            "step": step,
            "t0": started,
            "t1": started + seconds,
            "status": status,
            "ok": status == expect,
            "down_page": status == 503 and DOWN_MARKER in body,
            "error": body if status is None else "",
        }
        with self.lock:
            self.records.append(row)
        return row

    def user(self, n):
        rng = random.Random(f"{self.seed}-{n}")
        requests = self.plan["requests"]
        weights = [r["weight"] for r in requests]
        sent = 0
        while not self.stopping.is_set():
            entry = rng.choices(requests, weights)[0]
            started = time.monotonic()
            # Each user saves its own variant (bench/pages.py: Page.spread).
            entry = dict(entry, **entry["variants"][n % len(entry["variants"])])
            status, body, seconds = get(self.port, entry["path"], entry["cookie"])
            if not entry["save"]:
                self.record(entry["kind"], "get", started, status, body, seconds, entry["expect"])
            else:
                row = self.record(entry["kind"], "open form", started, status, body, seconds, 200)
                if row["ok"]:
                    sent += 1
                    token = f"u{n}-{sent}"
                    fields = fill_form(body, entry["path"], entry["overrides"])
                    data = urlencode([(k, v.replace(TOKEN, token)) for k, v in fields])
                    started = time.monotonic()
                    status, body, seconds = send(
                        self.port, "POST", entry["path"], entry["cookie"], data
                    )
                    row = self.record(
                        entry["kind"], "save", started, status, body, seconds, entry["expect"]
                    )
                    with self.lock:
                        self.saves.append([entry["kind"], token, row["ok"]])
            time.sleep(self.think)

    def healthz(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            status, _body, seconds = get(self.port, "/healthz", timeout=10)
            with self.lock:
                self.health.append({"t0": started, "t1": started + seconds, "status": status})
            time.sleep(0.1)


def pg_ctlcluster(cluster, action):
    version, name = cluster.split()
    command = ["pg_ctlcluster", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]  # end the sessions at once, as a crash or a restart would
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def cluster_port(cluster, quiet=False):
    version, name = cluster.split()
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    for line in listing.stdout.splitlines():
        fields = line.split()
        if fields[:2] == [version, name]:
            return int(fields[2])
    if quiet:
        return None
    raise SystemExit(
        f"No PostgreSQL cluster {cluster!r}. Create one for the fault run:\n"
        f"  pg_createcluster {version} {name} --port 5499 --start\n"
        "  (then a role chibo with CREATEDB and a database chibo_bench in it; docs/benchmarks.md)"
    )


def fault(options):
    import secrets

    cluster = options.fault_cluster
    port = cluster_port(cluster)
    contention = Contention(postmaster(cluster))
    shared = cluster.split()[1] == "main" or port == 5432
    if shared or urlparse(options.fault_postgres).port != port:
        raise SystemExit(
            f"The fault run stops the cluster {cluster!r} (port {port}): it must be a cluster of "
            "its own, not the one other people's databases live in, and --fault-postgres must "
            "point into it."
        )
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    size = options.fault_size
    print(f"\n=== Fault run: PostgreSQL cluster {cluster} stopped for {options.outage} s ===")
    fault_options = type(options)(**vars(options))
    fault_options.postgres = options.fault_postgres
    env = fresh_database("postgresql", size, fault_options, secrets.token_urlsafe(40))
    manage(env, "collectstatic", "--noinput", "-v0")
    plan_path = workdir / "fault-plan.json"
    with Gunicorn(env, options.port, workdir / "gunicorn-fault.log") as server:
        worker(env, "prepare_load", plan_path)
        plan = json.loads(plan_path.read_text())
        pids_before = server.pids()
        generator = LoadGenerator(plan, options.port, users=8, think=0.05)
        generator.start()
        time.sleep(20)
        shared = contention.summary()  # before the cluster's main process is replaced
        marks = {"stop_sent": time.monotonic()}
        pg_ctlcluster(cluster, "stop")
        marks["stopped"] = time.monotonic()
        time.sleep(max(0, options.outage - (marks["stopped"] - marks["stop_sent"])))
        marks["start_sent"] = time.monotonic()
        pg_ctlcluster(cluster, "start")
        marks["started"] = time.monotonic()
        time.sleep(30)
        generator.stop()
        marks["end"] = time.monotonic()
        pids_after = server.pids()
        saves_path = workdir / "fault-saves.json"
        saves_path.write_text(json.dumps(generator.saves))
        verified_path = workdir / "fault-verified.json"
        worker(env, "verify_saves", saves_path, verified_path)
    result = analyse_fault(generator, marks)
    result["verified"] = json.loads(verified_path.read_text())
    result["restarted"] = pids_before != pids_after
    result["pids"] = pids_before
    (workdir / "fault.json").write_text(
        json.dumps(
            result | {"records": generator.records, "health": generator.health, "marks": marks},
            indent=1,
        )
    )
    print(json.dumps({k: v for k, v in result.items() if k != "verified"}, indent=1))
    info = machine(options.fault_postgres, shared) | versions_of_tools()
    if options.write:
        write_section("fault", fault_report(result, plan, options, info))


def analyse_fault(generator, marks):
    """What happened before, during and after the outage."""
    records = sorted(generator.records, key=lambda r: r["t0"])
    health = sorted(generator.health, key=lambda r: r["t0"])
    stop, back = marks["stop_sent"], marks["started"]
    before = [r for r in records if r["t1"] < stop]
    during = [r for r in records if r["t0"] >= marks["stopped"] and r["t1"] <= marks["start_sent"]]
    around = [r for r in records if stop <= r["t1"] and r["t0"] < back + 5]
    after = [r for r in records if r["t0"] >= back + 5]
    first_ok_page = next((r["t1"] for r in records if r["t0"] >= back and r["ok"]), None)
    first_ok_health = next(
        (h["t1"] for h in health if h["t0"] >= back and h["status"] == 200), None
    )
    health_during = [
        h for h in health if h["t0"] >= marks["stopped"] and h["t1"] <= marks["start_sent"]
    ]
    down_latencies = [r["t1"] - r["t0"] for r in during if r["status"] == 503]

    def statuses(rows):
        counts = {}
        for r in rows:
            key = str(r["status"]) if r["status"] is not None else "no answer"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    return {
        "outage_s": back - stop,
        "before": {"requests": len(before), "errors": sum(not r["ok"] for r in before)},
        "during": {
            "requests": len(during),
            "statuses": statuses(during),
            "clear_503_pages": sum(r["down_page"] for r in during),
            "median_503_ms": statistics.median(down_latencies) * 1000 if down_latencies else None,
            "p99_503_ms": percentile(down_latencies, 0.99) * 1000 if down_latencies else None,
            "max_ms": max((r["t1"] - r["t0"]) * 1000 for r in during) if during else None,
        },
        "around": {"requests": len(around), "statuses": statuses(around)},
        "after": {
            "requests": len(after),
            "errors": sum(not r["ok"] for r in after),
            "statuses": statuses(after),
        },
        "healthz_during": statuses(health_during),
        "healthz_back_after_s": None if first_ok_health is None else first_ok_health - back,
        "pages_back_after_s": None if first_ok_page is None else first_ok_page - back,
        "save_statuses": statuses([r for r in records if r["step"] == "save"]),
    }


def fault_report(result, plan, options, info):
    during, after = result["during"], result["after"]
    lines = [header(info, command_line())]
    lines.append(
        f"gunicorn (2 sync workers, `CONN_MAX_AGE=60` with health checks, "
        f"`DATABASE_CONNECT_TIMEOUT=3`) on the `{options.fault_size}` data set in a PostgreSQL "
        f"cluster of its own (`{options.fault_cluster}`); 8 virtual users (a Python load "
        "generator, bench/load.py) each sending the mix with 50 ms between requests, and "
        "`/healthz` polled every 100 ms. After 20 s, `pg_ctlcluster … stop -m fast`; "
        f"{options.outage} s later, `pg_ctlcluster … start`; then 30 s more.\n"
    )
    back_page, back_health = result["pages_back_after_s"], result["healthz_back_after_s"]
    all_503 = (
        during["statuses"].keys() <= {"503"} and during["clear_503_pages"] == during["requests"]
    )
    back_in_time = back_page is not None and back_page <= 5 and back_health is not None
    back_in_time = back_in_time and back_health <= 5
    gunicorn = "restarted" if result["restarted"] else "never restarted, same worker processes"
    lines += [
        "| what | measured | target |",
        "| --- | --- | --- |",
        f"| before the outage | {result['before']['requests']} requests, "
        f"{result['before']['errors']} errors | 0 errors {ok(result['before']['errors'] == 0)} |",
        f"| during the outage ({result['outage_s']:.1f} s) | {during['requests']} requests: "
        f"{', '.join(f'{k}: {v}' for k, v in during['statuses'].items())}; "
        f"{during['clear_503_pages']} were the Vietnamese 503 page | all 503 pages "
        f"{ok(all_503)} |",
        f"| time to answer a 503 | median {fmt_ms(during['median_503_ms'])}, p99 "
        f"{fmt_ms(during['p99_503_ms'])}, slowest answer {fmt_ms(during['max_ms'])} | fast, no "
        f"hanging worker {ok(during['max_ms'] is not None and during['max_ms'] < 3000)} |",
        f"| `/healthz` during the outage | "
        f"{', '.join(f'{k}: {v}' for k, v in result['healthz_during'].items())} | 503 "
        f"{ok(result['healthz_during'].keys() == {'503'})} |",
        f"| service back after PostgreSQL | first page {fmt_s(back_page)}, `/healthz` "
        f"{fmt_s(back_health)} after `start` returned | within 5 s {ok(back_in_time)} |",
        f"| from 5 s after the return to the end | {after['requests']} requests, "
        f"{after['errors']} errors | 0 errors {ok(after['errors'] == 0)} |",
        f"| gunicorn | {gunicorn} | no restart {ok(not result['restarted'])} |",
        f"| saves | {saves_line(result['verified'])} | every save answered with success is in the "
        f"database exactly once {ok(saves_exact(result['verified']))} |",
    ]
    lines.append(
        "\nRequests that straddle the stop or the start (sent before, answered after) are "
        f"counted apart: {', '.join(f'{k}: {v}' for k, v in result['around']['statuses'].items())}."
    )
    return "\n".join(lines) + "\n"


def title_of(key):
    page = PAGES_BY_KEY[key]
    return f"{page.title} ({page.role})"


def ok(flag):
    return "✓" if flag else "✗"


def saves_exact(verified):
    return all(
        not row["ok_missing_or_twice"] and not row["failed_but_saved"] for row in verified.values()
    )


def fmt_ms(value):
    return "—" if value is None else f"{value:.0f} ms"


def fmt_s(value):
    return "never" if value is None else f"{value:.1f} s"
