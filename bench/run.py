"""Benchmarks of issue 2, measured side by side in one run: our DOCX and PDF renders against LibreOffice
headless converting our own DOCX to PDF (the way offices make PDFs today).

    scripts/bench            # everything (about 5 minutes)
    scripts/bench --quick    # smaller sizes, for a smoke run
Writes bench/results/latest.json and prints a table.
"""

from __future__ import annotations

import argparse
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

from pypdf import PdfReader  # noqa: E402

from service import documents, fake, kinds  # noqa: E402
from service.render.pool import RenderPool  # noqa: E402

ONE_PAGE = "announcement.election-committee"


def pages(pdf: bytes) -> int:
    """Page count of a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def timed(fn: Any, n: int) -> list[float]:
    """Wall times in seconds of n calls."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def summary(times: list[float]) -> dict[str, float]:
    """p50, p99 and mean in milliseconds."""
    ms = sorted(t * 1000 for t in times)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def libreoffice(docx: bytes, runs: int) -> dict[str, Any]:
    """LibreOffice headless converting a DOCX to PDF, a fresh soffice per conversion as scripts do."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return {"skipped": "LibreOffice is not installed (scripts/bench installs libreoffice-writer-nogui)"}
    times, pdf_pages = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=900,
            )
            times.append(time.perf_counter() - t)
        pdf_pages = pages((Path(tmp) / "in.pdf").read_bytes())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return {**summary(times), "pages": pdf_pages, "peak_rss_mb_any_soffice": peak}


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def over_http(fmt: str, n: int) -> dict[str, Any]:
    """p50/p99 of one-page documents over HTTP against gunicorn on loopback (2 workers)."""
    port = free_port()
    env = {**os.environ, "ELECTION_DOCS_INSTANCE_DIR": tempfile.mkdtemp(), "ELECTION_DOCS_RENDER_WORKERS": "1"}
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
            req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=60) as resp:
                resp.read()

        for _ in range(100):  # wait for the server
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        timed(call, 10)  # warm every worker and its PDF process
        return summary(timed(call, n))
    finally:
        server.terminate()
        server.wait(timeout=30)


def roster(rows: int, pool: RenderPool) -> dict[str, Any]:
    """roster.voters with ``rows`` invented voters: our PDF and DOCX, and LibreOffice on our DOCX."""
    data = kinds.get("roster.voters").sample()
    data["voters"] = fake.voters(rows)
    result: dict[str, Any] = {"rows": rows}
    for fmt in ("pdf", "docx"):
        t = time.perf_counter()
        doc = documents.produce("roster.voters", data, fmt, "zh", pool=pool, timeout=900, pages_per_chunk=25)
        dt = time.perf_counter() - t
        entry: dict[str, Any] = {"seconds": round(dt, 2), "bytes": len(doc.data)}
        if fmt == "pdf":
            entry["pages"] = pages(doc.data)
            entry["pages_per_s"] = round(entry["pages"] / dt, 1)
        else:
            docx = doc.data
        result[f"ours_{fmt}"] = entry
    result["peak_rss_mb"] = {
        "service_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "largest_pdf_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }
    result["libreoffice_docx_to_pdf"] = libreoffice(docx, 1)
    return result


def main() -> None:
    """Run everything and print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 50 if args.quick else 300
    sizes = [200, 1000] if args.quick else [1000, 10000]
    kind = kinds.get(ONE_PAGE)
    pool = RenderPool(os.cpu_count() or 1)
    try:
        pool.render(["<p>预热</p>"] * (os.cpu_count() or 1), 120)
        model = documents.validate(kind, kind.sample())
        sample = kind.sample()
        docx = documents.produce(ONE_PAGE, sample, "docx", "zh", pool=pool, timeout=60).data
        results: dict[str, Any] = {
            "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
            "one_page_docx_in_process": summary(
                timed(lambda: documents.produce(ONE_PAGE, sample, "docx", "zh", pool=pool, timeout=60), n)
            ),
            "one_page_pdf_in_process": summary(
                timed(lambda: documents.produce(ONE_PAGE, sample, "pdf", "zh", pool=pool, timeout=60), n // 5)
            ),
            "one_page_libreoffice_docx_to_pdf": libreoffice(docx, 3 if args.quick else 10),
            "one_page_docx_http": over_http("docx", n),
            "one_page_pdf_http": over_http("pdf", n // 5),
            "rosters": [roster(rows, pool) for rows in sizes],
        }
        del model
    finally:
        pool.close()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
