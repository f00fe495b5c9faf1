"""Computing a month's cards on a site with its ledger only (no reports): the cards follow
the rules on the entries' figures, a second computation changes nothing and is kept in the
history, a changed figure shows as a changed colour, and only the site's dispatcher
computes."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.projects import services as project_services
from tiaodu.scoring import services
from tiaodu.scoring.models import Card, CardRun, RuleSet
from tiaodu.scoring.permissions import may_change_rules
from tiaodu.scoring.selectors import cards_visible_to
from tiaodu.testing import PERSONAS, assert_nothing_written, who_passes

JUNE = dt.date(2026, 6, 1)
AFTER = dt.date(2026, 7, 20)


def ledger(world: Any) -> None:
    """The ledger's figures: p2, p4 and p6 continuing and started in 2025 with year-to-date
    figures as of 30 June at r = 1, 0.7 and 0.5 of time progress; p1 new start planned for
    March and started in June, p3 not started, p5 started in April and not included."""
    alice = world.alice
    as_of = dt.date(2026, 6, 30)
    for key, ytd in (("p2", "2000.00"), ("p4", "2800.00"), ("p6", "3000.00")):
        project = world.projects[key]
        project_services.update_project(
            actor=alice,
            project=project,
            actual_start=dt.date(2025, 5, 6),
            statistics_inclusion=dt.date(2025, 6, 1),
        )
        project_services.save_annual_plan(
            actor=alice, project=project, year=2026, ytd_completed=Decimal(ytd), ytd_as_of=as_of
        )
    project_services.update_project(
        actor=alice, project=world.projects["p1"], actual_start=dt.date(2026, 6, 12)
    )
    project_services.save_annual_plan(
        actor=alice,
        project=world.projects["p1"],
        year=2026,
        ytd_completed=Decimal("1000"),
        ytd_as_of=as_of,
    )
    project_services.update_project(
        actor=alice, project=world.projects["p5"], actual_start=dt.date(2026, 4, 3)
    )
    project_services.save_annual_plan(
        actor=alice,
        project=world.projects["p5"],
        year=2026,
        ytd_completed=Decimal("5000"),
        ytd_as_of=as_of,
    )


def cards(world: Any) -> dict[str, Card]:
    found = {card.project_id: card for card in Card.objects.filter(month=JUNE)}
    return {key: found[p.pk] for key, p in world.projects.items() if p.pk in found}


def test_a_ledger_only_site_gets_cards_by_the_rules(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        outcome = services.compute_cards(actor=world.alice, month=JUNE, reason="六月评价")
    got = cards(world)
    colours = {key: card.colour for key, card in got.items()}
    # p2 r = 2000 / (4000 × 0.5) = 1; p4 2800 / 4000 = 0.7; p6 3000 / 6000 = 0.5.
    assert colours == {
        "p1": "blue",  # started in June (3 months after plan, but started: start is na)
        "p2": "blue",
        "p3": "red",  # planned March, not started by June: 3 months late
        "p4": "yellow",
        "p5": "red",  # started in April, not in the statistics two months later
        "p6": "red",
    }
    assert got["p1"].dimensions["start"]["colour"] == "na"  # started by the month's end
    assert got["p1"].dimensions["statistics"]["colour"] == "blue"
    assert got["p1"].dimensions["investment"]["colour"] == "blue"  # 1000 / (2000 × 0.5)
    assert got["p3"].dimensions["start"]["colour"] == "red"
    assert got["p3"].dimensions["investment"]["colour"] == "na"
    assert got["p5"].dimensions["statistics"]["colour"] == "red"
    assert got["p4"].inputs["ratio"] == "0.7000"
    assert got["p6"].restore and got["p6"].evidence == "ledger"
    assert all(card.rule_set.version == 1 for card in got.values())
    assert all(card.dimensions["reporting"]["colour"] == "na" for card in got.values())
    assert outcome.cards == 6 and outcome.added == 6
    assert outcome.colours == {"blue": 2, "yellow": 1, "red": 3}
    run = CardRun.objects.get(month=JUNE)
    assert run.run_by == world.alice and run.reason == "六月评价" and run.changes == []
    assert AuditEvent.objects.filter(object_type="scoring.cardrun").count() == 1


def test_the_new_cards_hold_what_a_saved_card_of_the_verdict_holds(world: Any) -> None:
    """A computation inserts its new cards as rows of values (`core.bulk.insert_rows`, no
    `Card` instance each): each row holds what `Card(...)` of its verdict, saved, would."""
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
        rule_set = services.rule_set_in_force(JUNE)
        judged = [pair for pair in services.verdicts(JUNE, rule_set) if pair[1].colour]
    names = [
        field.attname
        for field in Card._meta.concrete_fields
        if field.attname not in ("id", "created_at", "updated_at", "computed_at")
    ]
    stored = {row["plan_id"]: row for row in Card.objects.values(*names, "created_at", "pk")}
    assert len(judged) == len(stored) == 6
    for entry, verdict in judged:
        card = Card(
            plan_id=entry.plan_id,
            project_id=entry.project_id,
            month=JUNE,
            computed_at=clock.aware(AFTER),
            **services._card_values(verdict, rule_set),
        )
        row = stored[entry.plan_id]
        assert {name: row[name] for name in names} == {name: getattr(card, name) for name in names}
        assert row["created_at"] is not None
        # As the instance would be read back (the JSON columns as the database gives them).
        saved = Card.objects.get(pk=row["pk"])
        assert saved.computed_at == clock.aware(AFTER) and saved.updated_at is not None
        assert saved.revised_colour == "" and saved.restore == verdict.restore


def test_computing_again_changes_nothing_and_is_kept(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
        before = {
            card.pk: (card.colour, card.score, card.dimensions) for card in Card.objects.all()
        }
        again = services.compute_cards(actor=world.alice, month=JUNE, reason="复核")
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert {card.pk: (card.colour, card.score, card.dimensions) for card in Card.objects.all()} == (
        before
    )
    assert list(CardRun.objects.order_by("pk").values_list("reason", flat=True)) == ["", "复核"]


def test_a_changed_figure_shows_in_the_history(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
        project_services.save_annual_plan(
            actor=world.alice,
            project=world.projects["p4"],
            year=2026,
            ytd_completed=Decimal("3300"),
        )
        outcome = services.compute_cards(actor=world.alice, month=JUNE, reason="台账更正")
    assert outcome.changed == 1
    assert outcome.changes == [
        {
            "plan": world.plans["p4"].pk,
            "name": world.projects["p4"].name,
            "from": "yellow",
            "to": "blue",
        }
    ]
    run = CardRun.objects.filter(month=JUNE).first()
    assert run is not None and run.reason == "台账更正" and run.changes == outcome.changes


def test_a_past_month_with_its_own_version_gives_the_same_cards(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
        first = {card.plan_id: (card.colour, card.score) for card in Card.objects.all()}
        stricter = services.create_rule_set(
            actor=world.alice,
            effective_from=dt.date(2026, 7, 1),
            investment_yellow=Decimal("0.95"),
        )
        again = services.compute_cards(actor=None, month=JUNE)
    assert again.rule_set.version == 1 and stricter.version == 2
    assert {card.plan_id: (card.colour, card.score) for card in Card.objects.all()} == first


def test_a_dry_run_writes_nothing(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER), assert_nothing_written(Card, CardRun, AuditEvent):
        outcome = services.compute_cards(actor=world.alice, month=JUNE, dry_run=True)
    assert outcome.cards == 6


def test_only_the_sites_dispatcher_computes(world: Any) -> None:
    with clock.frozen(AFTER):
        for name in PERSONAS:
            if name == "alice":
                continue
            with pytest.raises(PermissionDenied), assert_nothing_written(Card, CardRun):
                services.compute_cards(actor=world.users[name], month=JUNE)


def test_a_month_not_over_is_refused(world: Any) -> None:
    with clock.frozen(dt.date(2026, 6, 30)), pytest.raises(ValidationError):
        services.compute_cards(actor=world.alice, month=JUNE)


def test_each_persona_sees_the_cards_of_its_projects(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
    names = {p.pk: key for key, p in world.projects.items()}
    seen = {
        name: sorted(
            names[pk]
            for pk in cards_visible_to(world.users[name]).values_list("project_id", flat=True)
        )
        for name in PERSONAS
    }
    assert seen["alice"] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert seen["dora"] == ["p1", "p2", "p6"]
    assert seen["rita"] == ["p1", "p6"]
    assert seen["bob"] == ["p3"]
    assert seen["leo"] == ["p1"]
    assert seen["sam"] == ["p3"]
    assert seen["sysadmin"] == seen["secadmin"] == seen["auditor"] == []


def test_new_rule_versions_are_checked(world: Any) -> None:
    with assert_nothing_written(RuleSet), pytest.raises(ValidationError) as refused:
        services.create_rule_set(
            actor=world.alice, effective_from=dt.date(2026, 7, 1), weight_investment=60
        )
    assert "100" in " ".join(refused.value.messages)
    with assert_nothing_written(RuleSet), pytest.raises(ValidationError):
        services.create_rule_set(
            actor=world.alice,
            effective_from=dt.date(2026, 7, 1),
            investment_red=Decimal("0.85"),
        )
    with pytest.raises(PermissionDenied):
        services.create_rule_set(actor=world.dora, effective_from=dt.date(2026, 7, 1))
    assert who_passes(world, lambda user: may_change_rules(user)) == {"alice"}


def test_the_command(world: Any) -> None:
    ledger(world)
    out = StringIO()
    with clock.frozen(AFTER):
        call_command("compute_cards", "--month", "2026-06", "--dry-run", stdout=out)
        assert not Card.objects.exists()
        call_command("compute_cards", "--month", "2026-06", stdout=out)
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("compute_cards", "--month", "June")
    assert Card.objects.filter(month=JUNE).count() == 6
    assert "2026-06" in out.getvalue()
