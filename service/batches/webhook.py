"""The completion call: a JSON body signed with HMAC-SHA256, retried with exponential backoff."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

HEADER = "X-Election-Docs-Signature"
log = logging.getLogger(__name__)


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=<hex HMAC of the exact body bytes>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(
    url: str, payload: dict[str, Any], secret: str, attempts: int = 5, backoff: float = 1.0, timeout: float = 10.0
) -> tuple[bool, int]:
    """POST the payload until a 2xx answer, waiting backoff, 2×backoff, … between tries; (sent, tries)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", HEADER: sign(secret, body), "User-Agent": "election-docs"}
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:  # http(s) only: the kit checks
                if 200 <= resp.status < 300:
                    return True, attempt
        except (urllib.error.URLError, OSError) as exc:
            log.warning("webhook %s attempt %d failed: %s", url, attempt, exc)
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    return False, attempts
