"""Computing the month's cards and writing new versions of the rules (DOMAIN.md §6).

`compute_cards` judges every plan entry of the month's year with the rule set in force for
the month (`selectors.rule_set_for`), writes the cards (new ones inserted in bulk, changed
ones updated, vanished ones removed) and keeps a `CardRun` saying who computed, why and
which colours changed. Computing a month again with the same facts and version changes
nothing. A card revised on appeal keeps its revised colour.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from tiaodu.core import audit, bulk, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.projects.models import AnnualPlan
from tiaodu.scoring import facts, proposals, rules
from tiaodu.scoring.models import Card, CardRun, RuleSet
from tiaodu.scoring.permissions import may_change_rules, may_compute_cards
from tiaodu.scoring.selectors import rule_set_for

# The fields of a rule set a dispatcher sets (the rest is bookkeeping).
RULE_FIELDS = (
    "investment_yellow",
    "investment_red",
    "start_yellow_months",
    "start_red_months",
    "statistics_yellow_months",
    "statistics_red_months",
    "weight_investment",
    "weight_milestones",
    "weight_statistics",
    "weight_reporting",
    "weight_problems",
    "problem_deduction",
    "appeal_working_days",
)
# Version 1 as the migrations write it: the defaults of DOMAIN.md §6, from the first year.
DEFAULT_FROM = dt.date(2001, 1, 1)
DEFAULT_NOTE = "DOMAIN.md §6 默认规则"
# What of a card a computation writes; two cards with the same values are the same card.
CARD_FIELDS = ("colour", "score", "dimensions", "inputs", "restore", "evidence", "rule_set_id")


@dataclass
class Outcome:
    """What a computation did (or, dry, would do)."""

    month: dt.date
    rule_set: RuleSet
    cards: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    colours: dict[str, int] = field(default_factory=dict)
    proposals: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    run: CardRun | None = None


def parse_month(text: str) -> dt.date:
    """ "2026-11" as the first day of the month; a ValidationError in the reader's language."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Give the month as YYYY-MM, e.g. 2026-11 (was “%(text)s”).") % {"text": text}
        ) from None


def verdicts(
    month: dt.date, rule_set: rules.Rules, plan_ids: Iterable[int] | None = None
) -> list[tuple[rules.Facts, rules.Verdict]]:
    """Each entry's facts and verdict for the month under the rules (nothing written); the
    reasons in the site's language."""
    fixed = rules.Fixed.of(rule_set)
    with translation.override(settings.LANGUAGE_CODE):
        return [
            (entry, rules.judge(entry, month, fixed)) for entry in facts.gather(month, plan_ids)
        ]


def _card_values(verdict: rules.Verdict, rule_set: RuleSet) -> dict[str, Any]:
    return {
        "colour": verdict.colour,
        "score": verdict.score,
        "dimensions": {name: judged.as_dict() for name, judged in verdict.dimensions.items()},
        "inputs": verdict.inputs,
        "restore": verdict.restore,
        "evidence": verdict.inputs.get("evidence", ""),
        "rule_set_id": rule_set.pk,
    }


def _same(card: dict[str, Any], values: dict[str, Any]) -> bool:
    return all(
        (Decimal(card[name]) == Decimal(value)) if name == "score" else card[name] == value
        for name, value in values.items()
    )


def _names(plan_ids: set[int], year: int) -> dict[int, str]:
    """The projects' names of the entries a computation changed (all the year's when many)."""
    plans = AnnualPlan.objects.filter(year=year)
    if len(plan_ids) <= facts.CHUNK:
        plans = plans.filter(pk__in=plan_ids)
    return dict(plans.order_by().values_list("pk", "project__name"))


@bulk.collection_paused()
@transaction.atomic
def compute_cards(
    *, actor: Actor | None, month: dt.date, reason: str = "", dry_run: bool = False
) -> Outcome:
    """Judge the month's entries and write their cards; `actor` None is the monthly task
    (or `manage.py compute_cards`). Dry, nothing is written and the outcome says what would
    change."""
    if actor is not None and not may_compute_cards(actor):
        raise PermissionDenied(_("Only a dispatcher of the whole site computes the cards."))
    month = month.replace(day=1)
    if rules.month_end(month) >= clock.today():
        raise ValidationError(_("The cards of a month are computed once the month is over."))
    last_lock = max((period.lock_date for period in facts.month_periods(month)), default=None)
    if last_lock is not None and last_lock >= clock.today():
        raise ValidationError(
            _(
                "Reports of %(month)s may be handed in until %(date)s; compute its cards "
                "after that day."
            )
            % {"month": f"{month:%Y-%m}", "date": last_lock.isoformat()}
        )
    rule_set = rule_set_in_force(month)
    judged = verdicts(month, rule_set)
    # The month's cards as plain values: a computation that changes few cards builds few
    # model instances.
    existing = {
        card["plan_id"]: card
        for card in Card.objects.filter(month=month).values("pk", "plan_id", *CARD_FIELDS)
    }
    outcome = Outcome(month=month, rule_set=rule_set)
    # A first computation adds every card: only a later one lists what it added.
    again = CardRun.objects.filter(month=month).exists()
    now = clock.now()
    # New cards as rows of values (`bulk.insert_rows`): tens of thousands on a first
    # computation, without an instance each; what a row does not say is the field's default,
    # as `Card(...)` would have it.
    blank = {
        field.attname: field.get_default()
        for field in Card._meta.concrete_fields
        if not field.primary_key
    }
    new: list[dict[str, Any]] = []
    changed: list[Card] = []
    for entry, verdict in judged:
        if verdict.colour is None:
            continue
        outcome.cards += 1
        outcome.colours[verdict.colour] = outcome.colours.get(verdict.colour, 0) + 1
        values = _card_values(verdict, rule_set)
        card = existing.pop(entry.plan_id, None)
        if card is None:
            outcome.added += 1
            new.append(
                {
                    **blank,
                    "plan_id": entry.plan_id,
                    "project_id": entry.project_id,
                    "month": month,
                    "computed_at": now,
                    **values,
                }
            )
            if again:
                outcome.changes.append(_change(entry.plan_id, "", str(verdict.colour)))
            continue
        if _same(card, values):
            continue
        outcome.changed += 1
        if card["colour"] != verdict.colour:
            outcome.changes.append(_change(entry.plan_id, card["colour"], str(verdict.colour)))
        changed.append(
            Card(
                pk=card["pk"],
                plan_id=entry.plan_id,
                project_id=entry.project_id,
                month=month,
                computed_at=now,
                updated_at=now,
                **values,
            )
        )
    outcome.removed = len(existing)
    for card in existing.values():
        outcome.changes.append(_change(card["plan_id"], card["colour"], ""))
    if outcome.changes:
        names = _names({change["plan"] for change in outcome.changes}, month.year)
        for change in outcome.changes:
            change["name"] = names.get(change["plan"], "")
    if dry_run:
        transaction.set_rollback(True)
        return outcome
    bulk.insert_rows(Card, new)
    if changed:
        Card.objects.bulk_update(
            changed, [*CARD_FIELDS, "computed_at", "updated_at"], batch_size=500
        )
    Card.objects.filter(pk__in=[card["pk"] for card in existing.values()]).delete()
    outcome.run = CardRun.objects.create(
        month=month,
        rule_set=rule_set,
        run_by_id=actor.pk if actor is not None else None,
        run_at=now,
        reason=reason.strip()[:255],
        cards=outcome.cards,
        added=outcome.added,
        changed=outcome.changed,
        removed=outcome.removed,
        changes=outcome.changes[:2000],
    )
    # The supervision ladder reads the month's cards: what it proposes waits for a person.
    outcome.proposals = len(proposals.propose_for_month(month))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=outcome.run,
        changes={
            "cards": ["", str(outcome.cards)],
            "added": ["", str(outcome.added)],
            "changed": ["", str(outcome.changed)],
            "removed": ["", str(outcome.removed)],
            "reason": ["", outcome.run.reason],
        },
    )
    return outcome


def rule_set_in_force(month: dt.date) -> RuleSet:
    """The version in force for the month; the default version 1 (DOMAIN.md §6, written by
    the migrations) again if a database was emptied of every version."""
    if not RuleSet.objects.exists():
        RuleSet.objects.create(version=1, effective_from=DEFAULT_FROM, note=DEFAULT_NOTE)
    try:
        return rule_set_for(month)
    except RuleSet.DoesNotExist:
        raise ValidationError(_("No card rule set is in force for this month.")) from None


def _change(plan_id: int, before: str, after: str) -> dict[str, Any]:
    """One changed colour; the project's name is filled in once the changes are known."""
    return {"plan": plan_id, "name": "", "from": before, "to": after}


@transaction.atomic
def create_rule_set(
    *, actor: Actor | None, effective_from: dt.date, note: str = "", **values: Any
) -> RuleSet:
    """A new version of the rules, in force from the first day of a month; the versions
    before it stay as they were (the cards computed with them keep naming them)."""
    if actor is not None and not may_change_rules(actor):
        raise PermissionDenied(_("Only a dispatcher of the whole site changes the card rules."))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    check_effective_from(effective_from)
    latest = RuleSet.objects.select_for_update().order_by("-version").first()
    base = {name: getattr(latest, name) for name in RULE_FIELDS} if latest else {}
    rule_set = RuleSet(
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        note=note.strip(),
        created_by_id=actor.pk if actor is not None else None,
        **{**base, **values},
    )
    _check_rules(rule_set)
    rule_set.full_clean()
    rule_set.save()
    audit.record_create(actor=actor, instance=rule_set)
    return rule_set


def _check_rules(rule_set: RuleSet) -> None:
    errors: dict[str, str] = {}
    if rule_set.investment_red > rule_set.investment_yellow:
        errors["investment_red"] = _("The red threshold must not be above the yellow one.")
    if rule_set.start_red_months < rule_set.start_yellow_months:
        errors["start_red_months"] = _("Red must come no sooner than yellow.")
    if rule_set.statistics_red_months < rule_set.statistics_yellow_months:
        errors["statistics_red_months"] = _("Red must come no sooner than yellow.")
    if sum(rule_set.weights.values()) != 100:
        errors["weight_investment"] = _("The weights must add up to 100 (now %(total)d).") % {
            "total": sum(rule_set.weights.values())
        }
    if errors:
        raise ValidationError(errors)


def proposed_rule_set(**values: Any) -> RuleSet:
    """An unsaved rule set: the latest version's values changed by `values`, checked as
    `create_rule_set` checks them (a ValidationError in the reader's language). Nothing is
    written: the rules page previews the cards under it."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    latest = RuleSet.objects.order_by("-version").first()
    base = {name: getattr(latest, name) for name in RULE_FIELDS} if latest else {}
    rule_set = RuleSet(version=0, effective_from=DEFAULT_FROM, **{**base, **values})
    _check_rules(rule_set)
    rule_set.full_clean(exclude=["version", "effective_from"], validate_unique=False)
    return rule_set


def check_effective_from(effective_from: dt.date) -> None:
    """A new version takes effect on a month's first day, after the last month with cards:
    a computed month keeps the rules it was judged by (computing it again gives the same
    cards)."""
    if effective_from.day != 1:
        raise ValidationError(
            {"effective_from": _("A rule set takes effect on a month's first day.")}
        )
    computed = Card.objects.aggregate(last=Max("month"))["last"]
    if computed is not None and effective_from <= computed:
        raise ValidationError(
            {
                "effective_from": _(
                    "The cards of %(month)s are computed with the rules in force; a new "
                    "version takes effect from a later month."
                )
                % {"month": f"{computed:%Y-%m}"}
            }
        )
