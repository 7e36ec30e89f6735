"""Small villages and a kit for the batch tests (real names and ID numbers from the samples)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("柳溪", "石门", "青竹", "白沙", "桃源", "龙潭", "杏林", "松岗")


def sample_voters() -> list[dict[str, Any]]:
    """The voters of the roster sample."""
    return json.loads((ROOT / "samples" / "roster.voters.json").read_text("utf-8"))["voters"]


def villages(count: int = 3, voters: int = 6) -> list[dict[str, Any]]:
    """``count`` villages of ``voters`` voters each, in two townships."""
    pool = sample_voters()
    out = []
    for i in range(count):
        township = "石门镇" if i % 2 == 0 else "青山镇"
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else "二") + "村"
        out.append(
            {
                "place": {"county": "青山县", "township": township, "village": name},
                "voters": [pool[(i * voters + j) % len(pool)] for j in range(voters)],
            }
        )
    return out


def kit(**extra: Any) -> dict[str, Any]:
    """A kit: the voter roster (PDF, 2 copies, and DOCX), the voter-list notice, final ballots with stubs."""
    ballot = json.loads((ROOT / "samples" / "ballot.villagers-committee.json").read_text("utf-8"))
    return {
        "name": "青山县2026",
        "documents": [
            {"kind": "announcement.voter-list", "format": "pdf"},
            {"kind": "roster.voters", "format": "pdf", "copies": 2},
            {"kind": "roster.voters", "format": "docx"},
        ],
        "ballots": [{"kind": "ballot.villagers-committee", "spare_percent": 10, "per_sheet": 2, "counterfoil": True}],
        "defaults": {
            "term": 12,
            "number": "{village}选字第3号",
            "election_day": "2026-11-21",
            "signature": {"body": "{village}村民选举委员会", "date": "2026-10-30"},
            "election": "青山县{township}{village}第十二届村民委员会选举",
            "election_id": "2026-vc-{township}-{village}",
            "candidates_final": True,
            "committee": "villagers",
            "posts": ballot["posts"],
            "print": {"colour": "#b00000"},
        },
        **extra,
    }
