"""The county kit benchmark (issue 7): every village's kit from one county spreadsheet, ours against the plain way.

The kit per village: the election-day and voter-list announcements, the voter roster, ballots for every voter
plus 5% spare (2 per sheet with counterfoils), a blank tally sheet and a blank result form.

    python bench/kit.py                                   # 200 villages, 270,000 voters: NOT on a shared machine
    python bench/kit.py --villages 3 --voters 900 --sample 2 --ballots 4     # a smoke run (a minute or two)

Cases, each in a fresh process so its peak RSS is its own (bench/run.py's pattern):
- read:  read_county on the county as GB18030 CSV and as XLSX (seconds, CPU seconds, peak RSS);
- plain: the plain way — one WeasyPrint render per document, one render per ballot face and counterfoil —
         measured on a sample of villages (smallest, largest and between) and projected to the county;
- ours:  the batch runner through its API (POST /api/v1/batches, then GET until done) with 1 and 2 workers, and
         through Celery with Redis. The runner is on branch batch-jobs; until it is merged this case reports
         "skipped". See ``case_ours`` for what to check when wiring it.
Results: bench/results/kit.json (or kit-<villages>.json for other sizes).
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


def case_ours(folder: str, workers: int, backend: str) -> dict[str, Any]:
    """Ours: the county file and the kit posted to the batch API, polled until the job ends.

    Written against branch batch-jobs (POST /api/v1/batches with ``file`` and ``kit``, GET …/<id> for
    ``state``, …/manifest for files and pages; settings BATCH_BACKEND, BATCH_WORKERS, BATCH_RUNNER,
    AUTH_REQUIRED, REDIS_URL). WIRING to check after the merge: that the runner puts each village's voters into
    announcement.voter-list as into roster.voters, and which ``print`` fields the ballot data may carry. The
    Celery path also needs ``celery … worker`` processes running against BENCH_REDIS_URL.
    """
    from service import create_app

    instance = tempfile.mkdtemp(prefix="bench-kit-")
    config: dict[str, Any] = {"INSTANCE_DIR": instance, "RENDER_WORKERS": workers, "BATCH_WORKERS": workers,
                              "BATCH_BACKEND": backend, "BATCH_RUNNER": "on", "AUTH_REQUIRED": False,
                              "MAX_CONTENT_LENGTH": 256 * 2**20}
    if backend == "celery":
        if not os.environ.get("BENCH_REDIS_URL"):
            return {"skipped": "set BENCH_REDIS_URL and start Celery workers against it"}
        config["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    app = create_app(config)
    client = app.test_client()
    t = time.perf_counter()
    with Path(folder, "county.csv").open("rb") as fh:
        resp = client.post("/api/v1/batches", content_type="multipart/form-data", data={
            "file": (fh, "county.csv"), "kit": (io.BytesIO(json.dumps(kit_definition()).encode()), "kit.json")})
    if resp.status_code in (404, 405):
        return {"skipped": "the batch API is not here yet (branch batch-jobs): run again after the merge"}
    if resp.status_code != 202:
        return {"failed": resp.status_code, "problem": resp.get_json(silent=True)}
    job = resp.get_json()["id"]
    state: dict[str, Any] = {}
    while state.get("state") not in ("done", "failed", "cancelled"):
        time.sleep(1)
        state = client.get(f"/api/v1/batches/{job}").get_json()
    seconds = time.perf_counter() - t
    manifest = client.get(f"/api/v1/batches/{job}/manifest").get_json() or {}
    return {
        "workers": workers,
        "backend": backend,
        "state": state.get("state"),
        "seconds": round(seconds, 1),
        "files": manifest.get("count"),
        "pages": manifest.get("pages"),
        "peak_rss": peak_rss(),
    }


# --- the driver ------------------------------------------------------------------------------------------


def run_case(*args: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its JSON."""
    out = subprocess.run([sys.executable, __file__, "case", *args], check=True, capture_output=True, text=True,
                         cwd=ROOT, timeout=6 * 3600)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate the county, run every case, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--voters", type=int, default=270_000)
    parser.add_argument("--sample", type=int, default=5, help="villages the plain way is measured on")
    parser.add_argument("--ballots", type=int, default=30, help="ballots per sampled village, the plain way")
    parser.add_argument("--workers", default="1,2", help="worker counts for ours")
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
    folder = Path(tempfile.mkdtemp(prefix="bench-county-"))
    t = time.perf_counter()
    county.write_csv(folder / "county.csv", opts.villages, opts.voters)
    county.write_xlsx(folder / "county.xlsx", opts.villages, opts.voters)
    results: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "county": {"villages": opts.villages, "voters": opts.voters,
                   "generated_seconds": round(time.perf_counter() - t)},
    }
    results["read"] = run_case("read", str(folder))
    print(json.dumps(results["read"], ensure_ascii=False), flush=True)
    results["plain"] = run_case("plain", str(folder), str(opts.sample), str(opts.ballots))
    print(json.dumps(results["plain"], ensure_ascii=False), flush=True)
    results["ours"] = [run_case("ours", str(folder), w, "local") for w in opts.workers.split(",")]
    results["ours"].append(run_case("ours", str(folder), "2", "celery"))
    print(json.dumps(results["ours"], ensure_ascii=False), flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "kit.json" if (opts.villages, opts.voters) == (200, 270_000) else f"kit-{opts.villages}.json"
    (out / name).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(out / name)


if __name__ == "__main__":
    main()
