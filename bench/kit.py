"""The county kit benchmark (issue 7): every village's kit from one county spreadsheet, ours against the plain way.

The kit per village: the election-day and voter-list announcements, the voter roster, ballots for every voter
plus 5% spare (2 per sheet with counterfoils), a blank tally sheet and a blank result form.

    python bench/kit.py                                   # 200 villages, 270,000 voters: NOT on a shared machine
    python bench/kit.py --villages 6 --voters 8100 --sample 2 --ballots 10    # ~10 minutes on 2 cores
    python bench/kit.py --villages 2 --voters 300 --sample 1 --ballots 2 --cases ours   # a smoke run

Cases, each in a fresh process so its peak RSS is its own (bench/run.py's pattern):
- read:   read_county on the county as GB18030 CSV and as XLSX (seconds, CPU seconds, peak RSS);
- plain:  the plain way — one WeasyPrint render per document, one render per ballot face and counterfoil —
          measured on a sample of villages (smallest, largest and between) and projected to the county;
- ours:   the real batch API of this process (POST /api/v1/batches with the county CSV and the kit, GET until
          done) with the local runner at 1 and 2 workers (BATCH_WORKERS = RENDER_WORKERS = n): wall time,
          files and pages from the manifest, the job's own timings (each village, the finish), the steps timed
          in process (renders by kind, separator, page counts, joins), peak RSS of the service process and of
          its render workers (sum and max);
- celery: the same through Celery: a private redis-server and ``celery -A service.batches.tasks worker``
          (2 threads, RENDER_WORKERS=2) started by the case itself; the service only dispatches.
Each ours/celery result has "projected" to 200 villages / 270,000 voters: each village's seconds fitted as
fixed + per voter, summed over the full county, divided by the parallelism reached (see ``project``).
Results: bench/results/kit.json (or kit-<villages>.json for other sizes), also printed.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import county  # noqa: E402
from server import descendants  # noqa: E402

SPARE_PERCENT = 5
BALLOT = "ballot.villagers-committee"
ANNOUNCEMENTS = ("announcement.election-day", "announcement.voter-list")
BLANK_FORMS = ("table.tally", "report.result-form")



def kit_definition() -> dict[str, Any]:
    """The kit posted with the county file, in the schema of branch batch-jobs (service/batches/kit.py): each
    document's fields from its sample (the village's place and voters come from the county file), the blank
    forms with ``blank``, ballots for every voter plus 5%, 2 per sheet with counterfoils."""
    from service import kinds

    def fields(kind: str, drop: tuple[str, ...] = ("place", "voters")) -> dict[str, Any]:
        return {k: v for k, v in kinds.get(kind).sample().items() if k not in drop}

    documents: list[dict[str, Any]] = [{"kind": k, "format": "pdf", "data": fields(k)}
                                       for k in (*ANNOUNCEMENTS, "roster.voters")]
    documents += [{"kind": k, "format": "pdf", "data": {**fields(k, ("place", "count")), "blank": True}}
                  for k in BLANK_FORMS]
    ballot = fields(BALLOT, ("place",))
    ballot["print"] = {k: v for k, v in ballot["print"].items() if k == "colour"}
    return {
        "name": "bench county",
        "documents": documents,
        "ballots": [{"kind": BALLOT, "spare_percent": SPARE_PERCENT, "per_sheet": 2, "paper": "A4",
                     "counterfoil": True, "final": True, "data": ballot}],
        "defaults": {"place": {"county": "青山县"}},
    }


def peak_rss() -> dict[str, int]:
    """Peak RSS in MB of this process and of its largest finished child."""
    return {
        "process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "largest_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def spare(voters: int) -> int:
    """Ballots printed for a village: every voter plus the spare percentage, rounded up."""
    return math.ceil(voters * (100 + SPARE_PERCENT) / 100)


# --- one village's documents as payloads (the plain way builds them itself) ------------------------------


def payloads(village: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each kit document's payload for one village of read_county's output: the sample with the village in."""
    from service import kinds

    place = {"county": "青山县", **village["place"]}
    out: dict[str, dict[str, Any]] = {}
    for kind in ANNOUNCEMENTS:
        data = copy.deepcopy(kinds.get(kind).sample())
        data["place"] = place
        if kind == "announcement.voter-list":
            data["voters"] = [{k: v[k] for k in ("name", "group", "category") if k in v} for v in village["voters"]]
        out[kind] = data
    roster = copy.deepcopy(kinds.get("roster.voters").sample())
    roster.update(place=place, voters=village["voters"])
    out["roster.voters"] = roster
    ballot = copy.deepcopy(kinds.get(BALLOT).sample())
    ballot["place"] = place
    ballot["print"].update(voters=len(village["voters"]), spare_percent=SPARE_PERCENT, per_sheet=2, counterfoil=True,
                           final=True, requested_by="bench")
    out[BALLOT] = ballot
    for kind in BLANK_FORMS:
        data = json.loads((ROOT / "tests" / "data" / f"{kind}.blank.json").read_text())
        data["place"] = place
        out[kind] = data
    return out


# --- cases, each run in its own process -------------------------------------------------------------------


def case_read(folder: str) -> dict[str, Any]:
    """read_county on the CSV and the XLSX of the county."""
    from service.batches.county import read_county

    out: dict[str, Any] = {}
    for name in ("county.csv", "county.xlsx"):
        data = Path(folder, name).read_bytes()
        wall, cpu = time.perf_counter(), time.process_time()
        villages = read_county(name, data, max_rows=10**7, max_village_rows=10**6)
        out[name] = {
            "seconds": round(time.perf_counter() - wall, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "villages": len(villages),
            "voters": sum(len(v["voters"]) for v in villages),
            "mb": round(len(data) / 2**20, 1),
        }
    out["peak_rss"] = peak_rss()
    return out


def _one_render(kind_id: str, payload: dict[str, Any]) -> tuple[float, int]:
    """One WeasyPrint render of a whole document in this process: (seconds, pages)."""
    from pypdf import PdfReader

    from service import documents, kinds
    from service.render import pdf

    kind = kinds.get(kind_id)
    t = time.perf_counter()
    model = documents.validate(kind, payload)
    ctx = documents.context(kind, model, "zh")
    (html,) = list(documents.html_chunks(kind, model, ctx, "zh", pages_per_chunk=10**6))
    data = pdf.html_to_pdf(html)[0]
    return time.perf_counter() - t, len(PdfReader(io.BytesIO(data)).pages)


def _ballots_one_by_one(payload: dict[str, Any], count: int) -> float:
    """Seconds to render ``count`` ballots the plain way: each face and its counterfoil on their own."""
    from service import documents, kinds
    from service.render import environment, impose, pdf

    kind = kinds.get(BALLOT)
    model = documents.validate(kind, payload)
    env = environment.environment("html", "zh")
    face_w, face_h = impose.face_size("A4", 2, True)
    ctx = {**documents.context(kind, model, "zh"), "face_w": face_w, "face_h": face_h, "stub_w": impose.STUB_MM}
    t = time.perf_counter()
    parts = []
    for serial in range(1, count + 1):
        face = env.get_template(kind.html_template).render(ctx)
        stub = (
            env.get_template("_ballot_stub.html")
            .render({**ctx, "proof": False})
            .replace("</body>", f'<p style="position:absolute;bottom:22mm;left:4mm">{serial:07d}</p></body>')
        )
        parts += [pdf.html_to_pdf(face)[0], pdf.html_to_pdf(stub)[0]]
    pdf.join_pdfs(parts)
    return time.perf_counter() - t


def case_plain(folder: str, sample: int, ballots: int) -> dict[str, Any]:
    """The plain way on ``sample`` villages spread by size, ``ballots`` ballots each, projected to the county."""
    from service.batches.county import read_county
    from service.render import pdf

    villages = read_county("county.csv", Path(folder, "county.csv").read_bytes(), max_rows=10**7,
                           max_village_rows=10**6)
    by_size = sorted(villages, key=lambda v: len(v["voters"]))
    picks = sorted({round(i * (len(by_size) - 1) / max(1, sample - 1)) for i in range(sample)})
    pdf.html_to_pdf("<p>预热</p>")
    fixed, roster_per_voter, ballot_seconds, pages = [], [], [], 0
    measured = []
    for i in picks:
        village = by_size[i]
        docs = payloads(village)
        seconds = 0.0
        for kind in (*ANNOUNCEMENTS, *BLANK_FORMS):
            dt, n = _one_render(kind, docs[kind])
            seconds += dt
            pages += n
        fixed.append(seconds)
        dt, n = _one_render("roster.voters", docs["roster.voters"])
        roster_per_voter.append(dt / len(village["voters"]))
        pages += n
        per_ballot = _ballots_one_by_one(docs[BALLOT], ballots) / ballots
        ballot_seconds.append(per_ballot)
        measured.append({"village": village["village"], "voters": len(village["voters"]),
                         "fixed_documents_seconds": round(seconds, 2), "roster_seconds": round(dt, 2),
                         "roster_pages": n, "seconds_per_ballot": round(per_ballot, 3)})
    voters = sum(len(v["voters"]) for v in villages)
    all_ballots = sum(spare(len(v["voters"])) for v in villages)
    projected = (statistics.fmean(fixed) * len(villages) + statistics.fmean(roster_per_voter) * voters
                 + statistics.fmean(ballot_seconds) * all_ballots)
    return {
        "sample": measured,
        "county": {"villages": len(villages), "voters": voters, "ballots": all_ballots},
        "projected_seconds": round(projected, 1),
        "projected_hours": round(projected / 3600, 2),
        "peak_rss": peak_rss(),
    }


class RssSampler:
    """Samples, every ``every`` seconds, the RSS of this process (the service) and of its descendants (render
    workers; Celery workers and theirs) — peak of the service, peak of the workers' sum, and each worker's own
    peak (VmHWM) — leaving out the processes named in ``exclude`` (redis-server)."""

    def __init__(self, every: float = 0.25, exclude: tuple[str, ...] = ("redis-server",)) -> None:
        import threading

        self.every, self.exclude = every, exclude
        self.service_mb = self.workers_sum_mb = 0.0
        self.worker_hwm: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _status(pid: int) -> dict[str, str]:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return {}
        return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)

    def sample(self) -> None:
        """One sample of every process."""
        me = self._status(os.getpid())
        self.service_mb = max(self.service_mb, int(me.get("VmRSS", "0 kB").split()[0]) / 1024)
        total = 0.0
        for pid in descendants(os.getpid()):
            st = self._status(pid)
            if not st or st.get("Name", "").strip() in self.exclude:
                continue
            total += int(st.get("VmRSS", "0 kB").split()[0]) / 1024
            hwm = int(st.get("VmHWM", "0 kB").split()[0]) / 1024
            self.worker_hwm[pid] = max(self.worker_hwm.get(pid, 0.0), hwm)
        self.workers_sum_mb = max(self.workers_sum_mb, total)

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            self.sample()

    def __enter__(self) -> RssSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sample()
        self.stop.set()
        self.thread.join()

    def result(self) -> dict[str, Any]:
        """Peaks in MB."""
        hwm = list(self.worker_hwm.values())
        return {
            "service_peak_mb": round(max(self.service_mb, peak_rss()["process_mb"])),
            "workers": len(hwm),
            "workers_peak_sum_mb": round(self.workers_sum_mb),  # the largest sum seen at one sample
            "workers_max_mb": round(max(hwm, default=0)),  # the largest single worker's own peak
            "workers_sum_of_peaks_mb": round(sum(hwm)),  # an upper bound of the sum
        }


class StepTimer:
    """Wall seconds of the steps of a village, timed around the functions the runner calls (local backend:
    they run in this process). Keyed by document kind, plus separator, item page count and the merges."""

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.undo: list[tuple[Any, str, Any]] = []

    def _add(self, key: str, dt: float) -> None:
        with self.lock:
            self.seconds[key] = self.seconds.get(key, 0.0) + dt
            self.calls[key] = self.calls.get(key, 0) + 1

    def wrap(self, owner: Any, name: str, key: Any) -> None:
        """Time ``owner.name``; ``key(args, result)`` names the step."""
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            result = original(*args, **kwargs)
            self._add(key(args, result), time.perf_counter() - t)
            return result

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))

    def install(self) -> StepTimer:
        """Time the renders (by kind), the separator, the page counts and the joins (village, county)."""
        from service import documents
        from service.batches import artifacts, concat, runner

        self.wrap(documents, "render", lambda a, r: f"render {a[0].id}")
        self.wrap(artifacts, "separator", lambda a, r: "separator sheet")
        self.wrap(artifacts, "pages", lambda a, r: "count pages (re-read)")
        self.wrap(concat, "join", lambda a, r: "join county" if a[1].name == runner.COUNTY_PRINT else "join village")
        self.wrap(runner, "run_village", lambda a, r: "village (all steps)")
        self.wrap(runner, "finish", lambda a, r: "finish job (county join, manifest)")
        return self

    def result(self) -> dict[str, Any]:
        """Seconds and calls per step, largest first."""
        return {k: {"seconds": round(v, 1), "calls": self.calls[k]}
                for k, v in sorted(self.seconds.items(), key=lambda kv: -kv[1])}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_celery(instance: str, workers: int, log: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A private redis-server (free port, no persistence) and one ``celery worker`` with ``workers`` threads
    and RENDER_WORKERS=``workers`` PDF processes, sharing the service's instance folder (database, files)."""
    import shutil
    import socket

    redis = shutil.which("redis-server")
    if redis is None:
        raise SystemExit("redis-server is not installed (Debian package redis-server; scripts/test installs it)")
    port = _free_port()
    server = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--dir", instance, "--save", "",
                               "--appendonly", "no", "--logfile", str(log.with_name("redis.log"))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if time.time() > deadline or server.poll() is not None:
            raise SystemExit("redis-server did not start")
        time.sleep(0.1)
    url = f"redis://127.0.0.1:{port}/0"
    env = {**os.environ, "ELECTION_DOCS_INSTANCE_DIR": instance, "ELECTION_DOCS_RENDER_WORKERS": str(workers),
           "ELECTION_DOCS_REDIS_URL": url}
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "service.batches.tasks", "worker",
                                   "--pool", "threads", "--concurrency", str(workers), "--loglevel", "INFO",
                                   "--without-gossip", "--without-mingle", "--without-heartbeat"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return url, [worker, server]


def job_timings(app: Any, job_id: str) -> dict[str, Any]:
    """The job's own timings from the database: submission to start, each village's seconds, finishing."""
    from service.batches import store

    engine = app.extensions["db"]
    job = store.get(engine, job_id)
    rows = store.villages(engine, job_id)
    assert job is not None
    ends = [v["finished_at"] for v in rows if v["finished_at"]]
    villages = [{"village": v["village"], "pages": v["pages"],
                 "voters": len(json.loads(store.village(engine, v["id"])["data"]).get("voters") or []),
                 "seconds": round(v["finished_at"] - v["started_at"], 1) if v["finished_at"] and v["started_at"]
                 else None} for v in rows]
    return {
        "villages": villages,
        "village_seconds_sum": round(sum(v["seconds"] or 0 for v in villages), 1),
        "finish_seconds": round(job["finished_at"] - max(ends), 1) if ends and job["finished_at"] else None,
        "job_seconds": round(job["finished_at"] - job["started_at"], 1)
        if job["finished_at"] and job["started_at"] else None,
    }


def case_ours(folder: str, workers: int, backend: str) -> dict[str, Any]:
    """Ours: the county file and the kit posted to the batch API (POST /api/v1/batches, multipart ``file`` and
    ``kit``), polled (GET …/<id>) until the job ends; files and pages from …/manifest.

    local:  this process is the service; its runner has BATCH_WORKERS village threads feeding RENDER_WORKERS
            PDF processes (both ``workers``); the steps are timed in process (StepTimer).
    celery: this process is the service and only dispatches; a private redis-server and one ``celery worker``
            (``workers`` threads, RENDER_WORKERS=``workers``) started here render the villages.
    Peak RSS: the service process, and its descendants (render workers, Celery worker and its render workers).
    """
    from service import create_app

    instance = tempfile.mkdtemp(prefix="bench-kit-")
    config: dict[str, Any] = {"INSTANCE_DIR": instance, "RENDER_WORKERS": workers, "BATCH_WORKERS": workers,
                              "BATCH_BACKEND": backend, "BATCH_RUNNER": "on", "AUTH_REQUIRED": False,
                              "BATCH_POLL_SECONDS": 0.5}
    procs: list[subprocess.Popen[bytes]] = []
    timer = StepTimer().install() if backend == "local" else None
    with RssSampler() as rss:
        try:
            if backend == "celery":
                config["REDIS_URL"], procs = start_celery(instance, workers, Path(instance, "celery.log"))
            app = create_app(config)
            client = app.test_client()
            warm = time.perf_counter()
            if backend == "local":  # a running service's workers are warm: starting them is not the job's time
                app.extensions["render_pool"].render(["<p>预热</p>"], 300)
            warm = time.perf_counter() - warm
            t = time.perf_counter()
            with Path(folder, "county.csv").open("rb") as fh:
                resp = client.post("/api/v1/batches", content_type="multipart/form-data", data={
                    "file": (fh, "county.csv"),
                    "kit": (io.BytesIO(json.dumps(kit_definition()).encode()), "kit.json")})
            submitted = time.perf_counter() - t
            if resp.status_code != 202:
                return {"failed": resp.status_code, "problem": resp.get_json(silent=True)}
            job = resp.get_json()["id"]
            state: dict[str, Any] = {}
            while state.get("state") not in ("done", "failed", "cancelled"):
                if procs and procs[0].poll() is not None:
                    return {"failed": "the celery worker exited",
                            "log": Path(instance, "celery.log").read_text(errors="replace")[-3000:]}
                time.sleep(0.5)
                state = client.get(f"/api/v1/batches/{job}").get_json()
            seconds = time.perf_counter() - t
            manifest = client.get(f"/api/v1/batches/{job}/manifest").get_json() or {}
            timings = job_timings(app, job)
            app.extensions["batch_runner"].stop()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)
    county_pdf = next((f for f in manifest.get("files", []) if f["kind"] == "print.county"), {})
    return {
        "workers": workers,
        "backend": backend,
        "state": state.get("state"),
        "errors": [v["errors"] for v in state.get("villages", []) if v["errors"]][:3],
        "seconds": round(seconds, 1),
        "submit_seconds": round(submitted, 1),
        "warm_up_seconds": round(warm, 1),
        "files": manifest.get("count"),
        "pages": manifest.get("pages"),
        "county_pdf": {"pages": county_pdf.get("pages"), "mb": round(county_pdf.get("size", 0) / 2**20, 1)},
        "peak_rss": rss.result(),
        "job": timings,
        "steps": timer.result() if timer else None,
    }


# --- the driver ------------------------------------------------------------------------------------------


def run_case(*args: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its JSON."""
    out = subprocess.run([sys.executable, __file__, "case", *args], check=True, capture_output=True, text=True,
                         cwd=ROOT, timeout=6 * 3600)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def project(result: dict[str, Any], full: tuple[int, int]) -> dict[str, Any]:
    """A run projected to the full county: each village's seconds fitted as a + b × voters (least squares
    over the villages run), summed over the full county's villages (bench/county.py's layout), divided by the
    parallelism the run reached (village seconds ÷ wall seconds of the villages); the finish (county join)
    and the submission (reading the county file) scaled by voters."""
    job = result.get("job") or {}
    rows = [v for v in job.get("villages", []) if v.get("seconds")]
    if len(rows) < 2 or not result.get("seconds"):
        return {}
    xs, ys = [v["voters"] for v in rows], [v["seconds"] for v in rows]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else my / mx
    a = my - b * mx
    sizes = [n for _, _, n in county.layout(*full)]
    village_seconds = sum(a + b * n for n in sizes)
    villages_wall = result["seconds"] - (job.get("finish_seconds") or 0) - result.get("submit_seconds", 0)
    parallel = max(1.0, job["village_seconds_sum"] / max(villages_wall, 1e-9))
    finish = (job.get("finish_seconds") or 0) * full[1] / sum(xs)  # the county join: its pages go with the voters
    seconds = village_seconds / parallel + finish + result.get("submit_seconds", 0) * full[1] / sum(xs)
    return {"villages": full[0], "voters": full[1], "village_seconds_fixed": round(a, 1),
            "village_seconds_per_1000_voters": round(b * 1000, 1), "parallelism": round(parallel, 2),
            "seconds": round(seconds), "minutes": round(seconds / 60, 1)}


def main() -> None:
    """Generate the county, run every case, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--voters", type=int, default=270_000)
    parser.add_argument("--sample", type=int, default=5, help="villages the plain way is measured on")
    parser.add_argument("--ballots", type=int, default=30, help="ballots per sampled village, the plain way")
    parser.add_argument("--workers", default="1,2", help="worker counts for ours (local)")
    parser.add_argument("--cases", default="read,plain,ours,celery", help="which cases to run")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args()
    if opts.args and opts.args[0] == "case":
        name, *rest = opts.args[1:]
        if name == "read":
            result = case_read(rest[0])
        elif name == "plain":
            result = case_plain(rest[0], int(rest[1]), int(rest[2]))
        else:
            result = case_ours(rest[0], int(rest[1]), rest[2])
        print(json.dumps(result, ensure_ascii=False))
        return
    cases = opts.cases.split(",")
    folder = Path(tempfile.mkdtemp(prefix="bench-county-"))
    t = time.perf_counter()
    county.write_csv(folder / "county.csv", opts.villages, opts.voters)
    county.write_xlsx(folder / "county.xlsx", opts.villages, opts.voters)
    results: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0],
                    "load_before": os.getloadavg()},
        "county": {"villages": opts.villages, "voters": opts.voters,
                   "generated_seconds": round(time.perf_counter() - t)},
    }

    def show(name: str, value: Any) -> None:
        print(f"{name} (load {' '.join(f'{x:.1f}' for x in os.getloadavg())}):",
              json.dumps(value, ensure_ascii=False), flush=True)

    full = (200, 270_000)
    if "read" in cases:
        results["read"] = run_case("read", str(folder))
        show("read", results["read"])
    if "plain" in cases:
        results["plain"] = run_case("plain", str(folder), str(opts.sample), str(opts.ballots))
        show("plain", results["plain"])
    runs = [(w, "local") for w in opts.workers.split(",")] if "ours" in cases else []
    runs += [("2", "celery")] if "celery" in cases else []
    results["ours"] = []
    for w, backend in runs:
        result = run_case("ours", str(folder), w, backend)
        try:
            result["projected"] = project(result, full)
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:  # a failed run has no timings
            result["projected"] = {"error": repr(exc)}
        results["ours"].append(result)
        show(f"ours {backend} ×{w}", result)
    results["machine"]["load_after"] = os.getloadavg()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "kit.json" if (opts.villages, opts.voters) == full else f"kit-{opts.villages}.json"
    (out / name).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(out / name)


if __name__ == "__main__":
    main()
