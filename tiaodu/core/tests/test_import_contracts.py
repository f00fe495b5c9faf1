"""The import contracts of pyproject.toml (run by `lint-imports` in `make lint`) cover the
whole code: every app has its place in the layers, and every views module is protected by
the contract of its own app, so a new app or a new `*_views.py` cannot slip past them."""

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def contracts() -> list[dict[str, Any]]:
    with (ROOT / "pyproject.toml").open("rb") as config:
        return tomllib.load(config)["tool"]["importlinter"]["contracts"]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tiaodu", cache_dir=None)


def matching(graph: grimp.ImportGraph, expressions: list[str]) -> set[str]:
    found: set[str] = set()
    for expression in expressions:
        found |= graph.find_matching_modules(expression) if "*" in expression else {expression}
    return found


def exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def test_every_app_has_its_place_in_the_layers(contracts: list[dict[str, Any]]) -> None:
    """Every app is placed, and only modules that exist are (the later apps are comments)."""
    (layers,) = [contract for contract in contracts if contract["type"] == "layers"]
    placed = {name.strip() for layer in layers["layers"] for name in layer.split(":")}
    apps = {f"tiaodu.{path.parent.name}" for path in (ROOT / "tiaodu").glob("*/apps.py")}
    assert "tiaodu.analytics" in apps and apps <= placed
    assert [name for name in sorted(placed) if not exists(name)] == []


def test_every_views_module_is_protected_by_its_apps_contract(
    contracts: list[dict[str, Any]], graph: grimp.ImportGraph
) -> None:
    names = {module: module.rsplit(".", 1)[-1] for module in graph.modules}
    views = {
        module
        for module, name in names.items()
        if (name == "views" or name.endswith("_views")) and not name.startswith("test_")
    }
    protected: set[str] = set()
    for contract in contracts:
        if contract["type"] != "protected":
            continue
        importers = matching(graph, contract["allowed_importers"])
        for module in matching(graph, contract["protected_modules"]):
            app = module.split(".")[1]
            # The views of an app are imported by that app's URLconfs and nothing else.
            assert importers and all(name.split(".")[1] == app for name in importers)
            # An app may keep one URLconf per part (scoring's `card_urls` …), joined in its urls.
            assert all(name.rsplit(".", 1)[-1].endswith("urls") for name in importers)
            protected.add(module)
    assert "tiaodu.problems.raise_views" in views
    assert sorted(views - protected) == []
    assert sorted(protected - views) == []
