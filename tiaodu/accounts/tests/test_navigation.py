"""The menu each persona sees: its entries in order, each section's dropdown with its items,
labels and icons, exactly. The apps register their items (`navigation.register_item`), each
with the check of its own permissions.py; this pins that the menu stays what it was.

alice and dora dispatch (the city, 黄岛区), rita and bob report for units A and B, leo leads
assigned projects and lena 崂山区, hank handles problems for 市住建局, sam is a service officer;
the three administrators each see their one page.
"""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tiaodu.accounts.navigation import menu_bar, menu_for

MENUS: dict[str, list[tuple[str, str, list[tuple[str, str, str]]]]] = {
    "alice": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
                ("Map", "maps:map", "map-2"),
                ("Monthly bulletins", "documents:bulletins", "file-text"),
            ],
        ),
        (
            "Dispatch",
            "clipboard-data",
            [
                ("Reporting completeness", "reporting:board", "checklist"),
                ("Groundbreaking batches", "campaigns:batches", "shovel"),
                ("Reports to review", "reporting:queue", "clipboard-check"),
                ("Dispatch settings", "reporting:settings", "adjustments"),
            ],
        ),
        (
            "Evaluation",
            "award",
            [
                ("Project evaluation", "scoring:cards", "traffic-lights"),
                ("Rankings", "scoring:rankings", "trophy"),
                ("Assessment indicators", "scoring:indicators", "target"),
                ("Campaigns", "campaigns:list", "flag"),
                ("List changes", "campaigns:changes", "replace"),
            ],
        ),
        (
            "Problems",
            "alert-triangle",
            [
                ("Problem ledger", "problems:ledger", "alert-triangle"),
                ("Consultations and joint meetings", "supervision:meetings", "users-group"),
            ],
        ),
        (
            "Supervision",
            "file-alert",
            [
                ("Field rounds", "supervision:rounds", "map-pin-check"),
                ("Supervision notices", "supervision:notices", "file-alert"),
                ("Instructions", "supervision:instructions", "writing-sign"),
                ("Video wall", "video:wall", "device-cctv"),
                ("Card appeals", "scoring:appeals", "scale"),
            ],
        ),
        (
            "Library upkeep",
            "database-edit",
            [
                ("New project", "projects:create", "circle-plus"),
                ("Import the ledger", "projects:import", "file-import"),
                ("Task forces", "projects:taskforces", "users"),
            ],
        ),
    ],
    "dora": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
                ("Map", "maps:map", "map-2"),
                ("Monthly bulletins", "documents:bulletins", "file-text"),
            ],
        ),
        (
            "Dispatch",
            "clipboard-data",
            [
                ("Reporting completeness", "reporting:board", "checklist"),
                ("Groundbreaking batches", "campaigns:batches", "shovel"),
                ("Reports to review", "reporting:queue", "clipboard-check"),
                ("Dispatch settings", "reporting:settings", "adjustments"),
            ],
        ),
        (
            "Evaluation",
            "award",
            [
                ("Project evaluation", "scoring:cards", "traffic-lights"),
                ("Rankings", "scoring:rankings", "trophy"),
                ("Assessment indicators", "scoring:indicators", "target"),
                ("Campaigns", "campaigns:list", "flag"),
                ("List changes", "campaigns:changes", "replace"),
            ],
        ),
        (
            "Problems",
            "alert-triangle",
            [
                ("Problem ledger", "problems:ledger", "alert-triangle"),
                ("Consultations and joint meetings", "supervision:meetings", "users-group"),
            ],
        ),
        (
            "Supervision",
            "file-alert",
            [
                ("Field rounds", "supervision:rounds", "map-pin-check"),
                ("Supervision notices", "supervision:notices", "file-alert"),
                ("Instructions", "supervision:instructions", "writing-sign"),
                ("Video wall", "video:wall", "device-cctv"),
            ],
        ),
        (
            "Library upkeep",
            "database-edit",
            [
                ("New project", "projects:create", "circle-plus"),
                ("Import the ledger", "projects:import", "file-import"),
                ("Task forces", "projects:taskforces", "users"),
            ],
        ),
    ],
    "rita": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
            ],
        ),
        (
            "My reports due",
            "clipboard-list",
            [("My reports due", "reporting:due", "clipboard-list")],
        ),
        ("Direct channel", "speakerphone", [("Direct channel", "problems:direct", "speakerphone")]),
        (
            "Supervision",
            "file-alert",
            [
                ("Notices to my unit", "supervision:notices", "file-alert"),
                ("Instructions to my unit", "supervision:instruction_inbox", "writing-sign"),
            ],
        ),
    ],
    "bob": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
            ],
        ),
        (
            "My reports due",
            "clipboard-list",
            [("My reports due", "reporting:due", "clipboard-list")],
        ),
        ("Direct channel", "speakerphone", [("Direct channel", "problems:direct", "speakerphone")]),
        (
            "Supervision",
            "file-alert",
            [
                ("Notices to my unit", "supervision:notices", "file-alert"),
                ("Instructions to my unit", "supervision:instruction_inbox", "writing-sign"),
            ],
        ),
    ],
    "leo": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
                ("Map", "maps:map", "map-2"),
            ],
        ),
        (
            "Reporting completeness",
            "checklist",
            [("Reporting completeness", "reporting:board", "checklist")],
        ),
        (
            "Evaluation",
            "award",
            [
                ("Project evaluation", "scoring:cards", "traffic-lights"),
                ("Rankings", "scoring:rankings", "trophy"),
                ("Assessment indicators", "scoring:indicators", "target"),
            ],
        ),
        (
            "Problems",
            "alert-triangle",
            [
                ("Problem ledger", "problems:ledger", "alert-triangle"),
                ("Consultations and joint meetings", "supervision:meetings", "users-group"),
            ],
        ),
        (
            "Supervision",
            "file-alert",
            [
                ("Field rounds", "supervision:rounds", "map-pin-check"),
                ("Supervision notices", "supervision:notices", "file-alert"),
                ("Instructions", "supervision:instructions", "writing-sign"),
                ("Video wall", "video:wall", "device-cctv"),
            ],
        ),
    ],
    "lena": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
                ("Map", "maps:map", "map-2"),
                ("Monthly bulletins", "documents:bulletins", "file-text"),
            ],
        ),
        (
            "Dispatch",
            "clipboard-data",
            [
                ("Reporting completeness", "reporting:board", "checklist"),
                ("Groundbreaking batches", "campaigns:batches", "shovel"),
            ],
        ),
        (
            "Evaluation",
            "award",
            [
                ("Project evaluation", "scoring:cards", "traffic-lights"),
                ("Rankings", "scoring:rankings", "trophy"),
                ("Assessment indicators", "scoring:indicators", "target"),
                ("Campaigns", "campaigns:list", "flag"),
                ("List changes", "campaigns:changes", "replace"),
            ],
        ),
        (
            "Problems",
            "alert-triangle",
            [
                ("Problem ledger", "problems:ledger", "alert-triangle"),
                ("Consultations and joint meetings", "supervision:meetings", "users-group"),
            ],
        ),
        (
            "Supervision",
            "file-alert",
            [
                ("Field rounds", "supervision:rounds", "map-pin-check"),
                ("Supervision notices", "supervision:notices", "file-alert"),
                ("Instructions", "supervision:instructions", "writing-sign"),
                ("Video wall", "video:wall", "device-cctv"),
            ],
        ),
    ],
    "hank": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
            ],
        ),
        (
            "Problems",
            "alert-triangle",
            [
                ("Problems to handle", "problems:inbox", "inbox"),
                ("Consultations and joint meetings", "supervision:meetings", "users-group"),
            ],
        ),
        (
            "Supervision",
            "file-alert",
            [
                ("Notices to my unit", "supervision:notices", "file-alert"),
                ("Instructions to my unit", "supervision:instruction_inbox", "writing-sign"),
            ],
        ),
    ],
    "sam": [
        ("Home", "home", [("Home", "core:home", "home")]),
        (
            "Project library",
            "building-skyscraper",
            [("Project library", "projects:list", "building-skyscraper")],
        ),
        (
            "Statistics",
            "chart-bar",
            [
                ("Dashboard", "dashboard:page", "dashboard"),
                ("Statistical figures", "analytics:figures", "chart-bar"),
                ("Statistics inclusion chase", "analytics:not_in_statistics", "list-search"),
            ],
        ),
        (
            "My reports due",
            "clipboard-list",
            [("My reports due", "reporting:due", "clipboard-list")],
        ),
    ],
    "sysadmin": [
        ("Home", "home", [("Home", "core:home", "home")]),
        ("Administration", "settings", [("Administration", "administration:index", "settings")]),
    ],
    "secadmin": [
        ("Home", "home", [("Home", "core:home", "home")]),
        ("Wall displays", "device-tv", [("Wall displays", "accounts:displays", "device-tv")]),
        ("Administration", "settings", [("Administration", "administration:index", "settings")]),
    ],
    "auditor": [
        ("Home", "home", [("Home", "core:home", "home")]),
        ("Audit log", "list-search", [("Audit log", "core:audit_log", "list-search")]),
        ("Administration", "settings", [("Administration", "administration:index", "settings")]),
    ],
}


def _bar(user: Any) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    with translation.override("en"):
        return [
            (
                str(entry.label),
                entry.icon,
                [(str(i.label), i.url_name, i.icon) for i in entry.items],
            )
            for entry in menu_bar(menu_for(user))
        ]


@pytest.mark.parametrize("who", list(MENUS))
def test_each_persona_sees_its_menu(world: Any, who: str) -> None:
    assert _bar(getattr(world, who)) == MENUS[who]


@pytest.mark.parametrize("who", ["alice", "rita", "hank", "auditor"])
def test_the_page_shows_the_menu_with_the_current_entry_active(
    client: Any, world: Any, who: str
) -> None:
    client.force_login(getattr(world, who))
    context = client.get(reverse("core:home")).context
    with translation.override("en"):
        shown = [
            (
                str(entry.label),
                entry.icon,
                [(str(i.label), i.url_name, i.icon) for i in entry.items],
            )
            for entry in context["nav_entries"]
        ]
    assert shown == MENUS[who]
    assert context["nav_active"].url_name == "core:home"


def test_a_signed_out_visitor_has_no_menu(client: Any, db: Any) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []
