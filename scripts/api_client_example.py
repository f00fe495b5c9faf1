"""An example client of Tiaodu's API (docs/api.md), with `requests`:

- `report`: a phone app hands in a report — the reports due, the report opened once (an
  `Idempotency-Key`), its figures, a photo, and the submission with the checks' answer;
- `pull`: a smart-governance hub's nightly pull of the project library — every page by its
  cursor, each project read again only when its ETag changed (`If-None-Match` → 304),
  waiting out a rate limit (429, `Retry-After`). What it pulled is kept in a JSON file.

    python scripts/api_client_example.py --base URL --token td_… pull --state hub.json
    python scripts/api_client_example.py --base URL --token td_… report --plan 12 \\
        --period 34 --investment 120.50 --photo 工地.jpg
"""

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests


class Refused(Exception):
    """The API refused the call: its status and its message (in the user's language)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status}: {body.get('detail', '')}")
        self.status = status
        self.body = body


class Tiaodu:
    """The API at `base` (https://…), as the token's user."""

    def __init__(self, base: str, token: str, *, session: requests.Session | None = None):
        self.base = base.rstrip("/") + "/api/v1"
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, *, tries: int = 5, **kwargs: Any) -> requests.Response:
        """One call; a 429 is waited out (its `Retry-After`) and sent again; another
        refusal raises `Refused`."""
        for _attempt in range(tries):
            answer = self.session.request(method, self.base + path, timeout=60, **kwargs)
            if answer.status_code != 429:
                break
            time.sleep(float(answer.headers.get("Retry-After", "1")))
        if answer.status_code >= 400:
            raise Refused(answer.status_code, answer.json())
        return answer


# ---------------------------------------------------------------------------- a phone app


def hand_in_report(
    api: Tiaodu, *, plan_id: int, period_id: int, investment: str, photo: Path | None = None
) -> dict[str, Any]:
    """Open the entry's report for the period (once, whatever the network does), state the
    month's investment, attach a photo and submit; the report as the reviewer will see it.
    A check that blocks the submission raises `Refused` with its messages."""
    due = api.call("GET", "/reports/due").json()
    if not any(item["plan_id"] == plan_id and item["period"]["id"] == period_id for item in due):
        raise SystemExit("This report is not due: nothing to hand in.")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"plan_id": plan_id, "period_id": period_id}
    report = api.call("POST", "/reports/", json=body, headers=key).json()
    report_id = report["id"]
    api.call("PATCH", f"/reports/{report_id}", json={"investment": investment})
    if photo is not None:
        with photo.open("rb") as handle:
            files = {"file": (photo.name, handle, "image/jpeg")}
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            api.call("POST", f"/reports/{report_id}/files", files=files, headers=headers)
    return api.call("POST", f"/reports/{report_id}/submit").json()


# ---------------------------------------------------------------------------- a hub


def nightly_pull(api: Tiaodu, state: dict[str, Any], *, limit: int = 200) -> dict[str, int]:
    """Bring `state` ({"projects": {id: project}, "etags": {id: etag}}) up to date with
    the library as the token's user sees it; how many projects were read, unchanged, gone."""
    projects: dict[str, Any] = state.setdefault("projects", {})
    etags: dict[str, str] = state.setdefault("etags", {})
    seen: set[str] = set()
    counts = {"read": 0, "unchanged": 0, "gone": 0}
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = api.call("GET", "/projects/", params=params).json()
        for item in page["items"]:
            key = str(item["id"])
            seen.add(key)
            headers = {"If-None-Match": etags[key]} if key in etags else {}
            answer = api.call("GET", f"/projects/{key}", headers=headers)
            if answer.status_code == 304:
                counts["unchanged"] += 1
                continue
            projects[key], etags[key] = answer.json(), answer.headers["ETag"]
            counts["read"] += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    for key in set(projects) - seen:
        del projects[key]
        etags.pop(key, None)
        counts["gone"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the site, e.g. https://tiaodu.example")
    parser.add_argument("--token", required=True, help="an API token, td_…")
    commands = parser.add_subparsers(dest="command", required=True)
    pull = commands.add_parser("pull", help="the hub's nightly pull of the library")
    pull.add_argument("--state", type=Path, required=True, help="the JSON file kept between pulls")
    report = commands.add_parser("report", help="hand in a report, as a phone app does")
    report.add_argument("--plan", type=int, required=True)
    report.add_argument("--period", type=int, required=True)
    report.add_argument("--investment", required=True, help="万元, e.g. 120.50")
    report.add_argument("--photo", type=Path)
    args = parser.parse_args(argv)
    api = Tiaodu(args.base, args.token)
    try:
        if args.command == "pull":
            state = json.loads(args.state.read_text("utf-8")) if args.state.exists() else {}
            counts = nightly_pull(api, state)
            args.state.write_text(json.dumps(state, ensure_ascii=False, indent=1), "utf-8")
            print(json.dumps(counts))
        else:
            done = hand_in_report(
                api,
                plan_id=args.plan,
                period_id=args.period,
                investment=args.investment,
                photo=args.photo,
            )
            print(done["status_label"], done["project_name"], done["period"]["label"])
    except Refused as refused:
        print(refused.body.get("detail", refused), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
