"""The national administrative division table (GB/T 2260), shipped as data/divisions.csv."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "divisions.csv"


@dataclass(frozen=True)
class Division:
    code: str
    parent_code: str
    level: int  # 1 province, 2 city, 3 county
    name: str


@cache
def table() -> dict[str, Division]:
    """Every division by code, in the file's order (parents before children)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Division(row["code"], row["parent_code"], int(row["level"]), row["name"])
            for row in csv.DictReader(handle)
        }


def get(code: str) -> Division | None:
    return table().get(code)


def children(code: str) -> list[Division]:
    return [d for d in table().values() if d.parent_code == code]


def subtree(code: str) -> list[Division]:
    """The division and every division below it, parents first."""
    root = get(code)
    if root is None:
        return []
    result = [root]
    for child in children(code):
        result.extend(subtree(child.code))
    return result


def is_known_code(code: str) -> bool:
    return code in table()
