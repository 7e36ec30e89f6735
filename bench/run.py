"""Benchmarks, each measured side by side with the alternative in the same run:

- one-page DOCX and PDF (in process and over HTTP) against LibreOffice headless converting our own DOCX;
- roster.voters at 1,000 and 10,000 rows as PDF and DOCX (time, pages/s, peak RSS), LibreOffice likewise;
- 10,000 villagers' committee ballots, 2 per sheet with counterfoils, imposed once, against rendering
  each ballot on its own (measured on a sample and projected).

    scripts/bench            # everything
    scripts/bench --quick    # smaller sizes, a smoke run
Each case runs in a fresh process so its peak RSS is its own. Results: bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ONE_PAGE = "announcement.election-committee"
BALLOT = "ballot.villagers-committee"


def summary(times: list[float]) -> dict[str, float]:
    """p50, p99 and mean in milliseconds."""
    ms = sorted(t * 1000 for t in times)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def timed(fn: Any, n: int) -> list[float]:
    """Wall times of n calls, in seconds."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def peak_rss() -> dict[str, int]:
    """Peak RSS in MB of this process and of its largest finished child (a PDF worker)."""
    return {
        "process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "largest_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


# --- cases, each run in its own process -------------------------------------------------------------


def case_one_page(n: int) -> dict[str, Any]:
    """One-page documents in process: DOCX and PDF."""
    from service import documents, kinds
    from service.render.pool import RenderPool

    sample = kinds.get(ONE_PAGE).sample()
    pool = RenderPool(1)
    try:
        pool.render(["<p>预热</p>"], 120)

        def make(fmt: str) -> Any:
            return lambda: documents.produce(ONE_PAGE, sample, fmt, "zh", pool=pool, timeout=60)

        make("docx")()
        make("pdf")()
        return {"docx": summary(timed(make("docx"), n)), "pdf": summary(timed(make("pdf"), max(10, n // 5)))}
    finally:
        pool.close()


def case_roster(rows: int) -> dict[str, Any]:
    """roster.voters with invented voters, as PDF (parallel chunks on every core) and DOCX."""
    from pypdf import PdfReader

    from service import documents, fake, kinds
    from service.render.pool import RenderPool

    data = kinds.get("roster.voters").sample()
    data["voters"] = fake.voters(rows)
    pool = RenderPool(os.cpu_count() or 1)
    out: dict[str, Any] = {"rows": rows}
    try:
        pool.render(["<p>预热</p>"] * (os.cpu_count() or 1), 120)
        t = time.perf_counter()
        pdf = documents.produce("roster.voters", data, "pdf", "zh", pool=pool, timeout=900, pages_per_chunk=25)
        dt = time.perf_counter() - t
        pages = len(PdfReader(io.BytesIO(pdf.data)).pages)
        out["pdf"] = {
            "seconds": round(dt, 2),
            "pages": pages,
            "pages_per_s": round(pages / dt, 1),
            "mb": round(len(pdf.data) / 2**20, 1),
        }
        t = time.perf_counter()
        docx = documents.produce("roster.voters", data, "docx", "zh", pool=pool, timeout=900)
        out["docx"] = {"seconds": round(time.perf_counter() - t, 2), "mb": round(len(docx.data) / 2**20, 2)}
        Path(tempfile.gettempdir(), f"bench-roster-{rows}.docx").write_bytes(docx.data)
    finally:
        pool.close()
    out["peak_rss"] = peak_rss()
    return out


def ballot_sample(copies: int) -> dict[str, Any]:
    """The ballot sample as a final print of ``copies`` ballots, 2 per sheet, with counterfoils."""
    from service import kinds

    data = copy.deepcopy(kinds.get(BALLOT).sample())
    data["print"].update(final=True, requested_by="bench", quantity=copies, per_sheet=2, counterfoil=True)
    return data


def case_ballots(copies: int) -> dict[str, Any]:
    """Ours: the face, counterfoil and digits laid out once, then imposed for every copy."""
    from service import documents
    from service.render.pool import RenderPool

    pool = RenderPool(1)
    try:
        pool.render(["<p>预热</p>"], 120)
        t = time.perf_counter()
        doc = documents.produce(BALLOT, ballot_sample(copies), "pdf", "zh", pool=pool, timeout=600, serial_start=1)
        dt = time.perf_counter() - t
    finally:
        pool.close()
    return {"copies": copies, "seconds": round(dt, 2), "mb": round(len(doc.data) / 2**20, 1), "peak_rss": peak_rss()}


def case_ballots_one_by_one(sample_size: int, copies: int) -> dict[str, Any]:
    """The plain way: each ballot (face and counterfoil with its serial) rendered on its own, then joined."""
    from service import documents, kinds
    from service.render import environment, impose, pdf

    kind = kinds.get(BALLOT)
    model = documents.validate(kind, ballot_sample(copies))
    env = environment.environment("html", "zh")
    face_w, face_h = impose.face_size("A4", 2, True)
    ctx = {**documents.context(kind, model, "zh"), "face_w": face_w, "face_h": face_h, "stub_w": impose.STUB_MM}
    face = env.get_template(kind.html_template).render(ctx)
    pdf.html_to_pdf("<p>预热</p>")
    parts = []
    t = time.perf_counter()
    for serial in range(1, sample_size + 1):
        stub = (
            env.get_template("_ballot_stub.html")
            .render({**ctx, "proof": False})
            .replace("</body>", f'<p style="position:absolute;bottom:22mm;left:4mm">{serial:07d}</p></body>')
        )
        parts += [pdf.html_to_pdf(face)[0], pdf.html_to_pdf(stub)[0]]
    joined = pdf.join_pdfs(parts)
    dt = time.perf_counter() - t
    return {
        "sample": sample_size,
        "seconds_for_sample": round(dt, 2),
        "projected_seconds_for_all": round(dt / sample_size * copies, 1),
        "projected_mb_for_all": round(len(joined) / 2**20 / sample_size * copies, 1),
        "peak_rss": peak_rss(),
    }


# --- measured from the main process --------------------------------------------------------------------


def libreoffice(docx: Path, runs: int) -> dict[str, Any]:
    """LibreOffice headless converting a DOCX to PDF, a fresh soffice per conversion as scripts do."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return {"skipped": "LibreOffice is not installed (scripts/bench installs libreoffice-writer-nogui)"}
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(docx),
                ],
                check=True,
                capture_output=True,
                timeout=1800,
            )
            times.append(time.perf_counter() - t)
        from pypdf import PdfReader

        pages = len(PdfReader(Path(tmp) / (docx.stem + ".pdf")).pages)
    return {
        **summary(times),
        "pages": pages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def over_http(fmt: str, n: int) -> dict[str, Any]:
    """p50/p99 of one-page documents over HTTP against gunicorn on loopback, one client."""
    from service import kinds

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ELECTION_DOCS_INSTANCE_DIR": tempfile.mkdtemp(), "ELECTION_DOCS_RENDER_WORKERS": "1"}
    key = subprocess.run(  # the API needs a key, made the way an operator makes one
        [str(ROOT / ".venv/bin/election-docs"), "keys", "create", "--name", "bench", "--scope", "render"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "service:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/documents/{ONE_PAGE}?format={fmt}"
        body = json.dumps(kinds.get(ONE_PAGE).sample()).encode()

        def call() -> None:
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
            req = urllib.request.Request(url, data=body, headers=headers)
            with urllib.request.urlopen(req, timeout=60) as resp:
                resp.read()

        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        timed(call, 10)
        return summary(timed(call, n))
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_case(*args: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its JSON."""
    out = subprocess.run(
        [sys.executable, __file__, "case", *args], check=True, capture_output=True, text=True, cwd=ROOT, timeout=3600
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run every case and write the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args()
    if opts.args and opts.args[0] == "case":
        name, *rest = opts.args[1:]
        fn = {
            "one_page": case_one_page,
            "roster": case_roster,
            "ballots": case_ballots,
            "ballots_one_by_one": case_ballots_one_by_one,
        }[name]
        print(json.dumps(fn(*(int(a) for a in rest))))
        return
    quick = opts.quick
    n = 50 if quick else 300
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}
    results["one_page_in_process"] = run_case("one_page", str(n))
    from service import documents, kinds
    from service.render.pool import RenderPool

    pool = RenderPool(1)
    docx = Path(tempfile.gettempdir(), "bench-one-page.docx")
    docx.write_bytes(
        documents.produce(ONE_PAGE, kinds.get(ONE_PAGE).sample(), "docx", "zh", pool=pool, timeout=60).data
    )
    pool.close()
    results["one_page_libreoffice"] = libreoffice(docx, 3 if quick else 10)
    results["one_page_http_docx"] = over_http("docx", n)
    results["one_page_http_pdf"] = over_http("pdf", n // 5)
    results["rosters"] = []
    for rows in [200, 1000] if quick else [1000, 10000]:
        entry = run_case("roster", str(rows))
        entry["libreoffice"] = libreoffice(Path(tempfile.gettempdir(), f"bench-roster-{rows}.docx"), 1)
        results["rosters"].append(entry)
        print(json.dumps(entry, ensure_ascii=False), flush=True)
    copies = 1000 if quick else 10000
    results["ballots_imposed"] = run_case("ballots", str(copies))
    results["ballots_one_by_one"] = run_case("ballots_one_by_one", "10" if quick else "40", str(copies))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
