"""POST /api/v1/results: the engine over HTTP, with problem+json for bad counts."""

from __future__ import annotations

from flask.testing import FlaskClient

COUNT = {
    "rule_set": "villagers-committee",
    "profile": "default",
    "round": "regular",
    "electorate": 1200,
    "present": None,
    "ballots_issued": 1010,
    "ballots_returned": 1008,
    "ballots_invalid": 12,
    "posts": [
        {
            "post": "director",
            "seats": 1,
            "candidates": [{"name": "张建国", "votes": 612}, {"name": "李明", "votes": 380}],
            "write_ins": [{"name": "王五", "votes": 4}],
        }
    ],
}


def test_the_issue_example_elects_the_director(client: FlaskClient) -> None:
    body = client.post("/api/v1/results", json=COUNT).get_json()
    assert body["valid"] is True
    post = body["posts"][0]
    # 1008 voted; more than half of 1008 is at least 505 votes
    assert post["elected"] == ["张建国"] and post["tied"] == [] and post["further_round"] is None
    assert post["threshold"]["min_votes"] == 505
    assert all(d["source"]["law"] for d in body["reasons"])


def test_bad_count_is_422_with_paths(client: FlaskClient) -> None:
    bad = {**COUNT, "ballots_invalid": 2000}
    body = client.post("/api/v1/results?lang=en", json=bad).get_json()
    assert body["status"] == 422
    assert body["errors"] == [
        {
            "code": "invalid_above_returned",
            "path": "/ballots_invalid",
            "message": "invalid ballots cannot exceed ballots returned",
        }
    ]
