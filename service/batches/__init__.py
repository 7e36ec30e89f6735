"""Batch printing: a county's kits as durable jobs.

county.py    the county spreadsheet (XLSX or CSV, one row per voter) read into villages (xlsx.py streams XLSX)
villages.py  villages given as JSON, checked the same way
kit.py       the kit definition (what to print for every village)
plan.py      (kit, village) → the items to render, with their payloads
store.py     jobs, villages and files in the database; claims with leases
work.py      render one village (the task the local runner and Celery both run)
artifacts.py separator sheets, atomic writes, the manifest, the streamed ZIP
concat.py    print PDFs joined from files one at a time (constant memory, pages and sha256 as written)
runner.py    the embedded runner (threads feeding the RenderPool's processes) and finishing a job
webhook.py   the signed completion call, retried with backoff
tasks.py     the Celery app and its one task (BATCH_BACKEND=celery)
"""
