"""Appeals against cards: who may appeal, within how many working days, one pending appeal
a card, the evidence through the shared upload checks, and the site dispatcher's decision
(upheld, or revised with the computed colour kept), audited and notified both ways."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core import clock
from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.core.tests.media_files import SCRIPT, encode, scene
from tiaodu.scoring import appeals
from tiaodu.scoring.appeal_notifications import DECIDED, RAISED
from tiaodu.scoring.models import Appeal, AppealFile, Card
from tiaodu.scoring.permissions import decides_appeals, may_appeal
from tiaodu.testing import assert_nothing_written, who_passes

# Cards computed on Monday 20 July 2026: five working days later is Monday 27 July.
COMPUTED = dt.date(2026, 7, 20)
LAST_DAY = dt.date(2026, 7, 27)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WRITTEN = (Appeal, AppealFile, Card, AuditEvent, Notification)


def photo(seed: int = 3) -> io.BytesIO:
    return io.BytesIO(encode(scene(seed)))


def raise_(world: Any, card: Card, who: str = "rita", **kwargs: Any) -> Appeal:
    kwargs.setdefault("reason", "项目已于5月入统，统计局回执见附件。")
    with clock.frozen(kwargs.pop("on", COMPUTED)):
        return appeals.raise_appeal(actor=getattr(world, who), card=card, **kwargs)


# ----------------------------------------------------------------------------- who


def test_the_owner_units_reporter_and_the_district_dispatcher_appeal(world, june):
    # p6: 黄岛区, owner unit A. The city's dispatcher decides and does not appeal.
    assert who_passes(world, lambda user: may_appeal(user, june["p6"])) == {"rita", "dora"}
    # p3: 崂山区 (no district dispatcher in the world), owner unit B.
    assert who_passes(world, lambda user: may_appeal(user, june["p3"])) == {"bob"}
    # p5: 市南区, no owner unit: no one.
    assert who_passes(world, lambda user: may_appeal(user, june["p5"])) == set()
    assert who_passes(world, decides_appeals) == {"alice"}


@pytest.mark.parametrize("who", ["alice", "bob", "leo", "hank", "sysadmin"])
def test_no_one_else_appeals_and_nothing_is_written(world, june, who):
    with assert_nothing_written(*WRITTEN), pytest.raises(PermissionDenied):
        raise_(world, june["p6"], who)


def test_the_district_dispatcher_appeals(world, june):
    appeal = raise_(world, june["p6"], "dora")
    assert appeal.raised_by == world.dora and appeal.status == "pending"


# ----------------------------------------------------------------------------- the window


def test_the_appeal_window_is_five_working_days_after_the_card_was_computed(world, june):
    card = june["p6"]
    assert appeals.window_opens(card) == COMPUTED
    assert appeals.appeal_deadline(card) == LAST_DAY
    raise_(world, card, on=LAST_DAY)
    assert Appeal.objects.filter(card=card).count() == 1


def test_after_the_last_day_the_appeal_is_refused(world, june):
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        raise_(world, june["p6"], on=LAST_DAY + dt.timedelta(days=1))
    assert "2026-07-27" in " ".join(refused.value.messages)


def test_the_window_counts_working_days_across_a_holiday(world, june):
    """A card computed before the National Day holiday (1–7 October 2026, Saturday the 10th a
    make-up working day): five working days run to 13 October, not to 7 October."""
    card = june["p6"]
    card.computed_at = clock.aware(dt.date(2026, 9, 30))
    card.save()
    assert appeals.appeal_deadline(card) == dt.date(2026, 10, 13)


def test_the_rule_sets_days_count(world, june):
    card = june["p6"]
    rule_set = card.rule_set
    rule_set.appeal_working_days = 1
    rule_set.save()
    assert appeals.appeal_deadline(card) == dt.date(2026, 7, 21)


def test_the_window_opens_the_day_after_the_month_at_the_earliest(world, june):
    card = june["p6"]
    card.computed_at = clock.aware(dt.date(2026, 6, 29))  # a card of June before its end
    assert appeals.window_opens(card) == dt.date(2026, 7, 1)


# ----------------------------------------------------------------------------- one pending


def test_one_pending_appeal_a_card(world, june):
    card = june["p6"]
    first = raise_(world, card)
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError):
        raise_(world, card, "dora")
    # Once decided, the card may be appealed again within its window.
    with clock.frozen(COMPUTED):
        appeals.decide_appeal(actor=world.alice, appeal=first, outcome="upheld", reason="数据无误")
    second = raise_(world, card, "dora")
    assert second.status == "pending"
    # Another card is another matter.
    raise_(world, june["p1"])


def test_a_reason_is_required(world, june):
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        raise_(world, june["p6"], reason="   ")
    assert "reason" in refused.value.message_dict


# ----------------------------------------------------------------------------- evidence


def test_photos_and_a_pdf_are_stored_and_audited(world, june, media_root: Path):
    appeal = raise_(
        world, june["p6"], files=[(photo(), "回执.jpg"), (io.BytesIO(PDF), "统计局回执.pdf")]
    )
    files = {item.original_name: item for item in appeal.files.all()}
    assert set(files) == {"回执.jpg", "统计局回执.pdf"}
    assert files["回执.jpg"].content_type == "image/jpeg" and files["回执.jpg"].thumbnail
    assert files["统计局回执.pdf"].content_type == "application/pdf"
    assert all((media_root / str(item.file.name)).exists() for item in files.values())
    assert AuditEvent.objects.filter(object_type="scoring.appeal", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="scoring.appealfile").count() == 2


@pytest.mark.parametrize(
    ("data", "name"),
    [(SCRIPT, "evil.jpg"), (b"", "empty.jpg"), (b"MZ\x90\x00" * 64, "setup.exe")],
)
def test_a_refused_file_refuses_the_appeal_naming_it(world, june, media_root, data, name):
    good = (photo(), "好的照片.jpg")
    with assert_nothing_written(*WRITTEN), pytest.raises(UploadRefused) as refused:
        raise_(world, june["p6"], files=[good, (io.BytesIO(data), name)])
    assert refused.value.message.startswith(f"{name}：")
    assert list(media_root.rglob("*.*")) == []


def test_at_most_ten_files(world, june):
    files = [(photo(seed), f"{seed}.jpg") for seed in range(11)]
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError):
        raise_(world, june["p6"], files=files)


# ----------------------------------------------------------------------------- deciding


def test_raising_tells_the_site_dispatchers(world, june):
    appeal = raise_(world, june["p6"])
    told = Notification.objects.get(kind=RAISED)
    assert told.recipient == world.alice
    assert june["p6"].project.name in told.title and f"#appeal-{appeal.pk}" in told.link


def test_upheld_keeps_the_card_and_tells_the_appellant(world, june):
    appeal = raise_(world, june["p6"])
    with clock.frozen(COMPUTED):
        decided = appeals.decide_appeal(
            actor=world.alice, appeal=appeal, outcome="upheld", reason="入统日期晚于月末。"
        )
    card = Card.objects.get(pk=june["p6"].pk)
    assert decided.status == "upheld" and decided.decided_by == world.alice
    assert decided.decision_reason == "入统日期晚于月末。" and decided.revised_colour == ""
    assert (card.colour, card.revised_colour, card.final_colour) == ("red", "", "red")
    told = Notification.objects.get(kind=DECIDED)
    assert told.recipient == world.rita and "入统日期晚于月末。" in told.body
    event = AuditEvent.objects.get(object_type="scoring.appeal", action="update")
    assert event.actor == world.alice and "status" in event.changes


def test_revised_sets_the_revised_colour_and_keeps_the_computed_one(world, june):
    appeal = raise_(world, june["p6"], "dora")
    with clock.frozen(COMPUTED):
        appeals.decide_appeal(
            actor=world.alice,
            appeal=appeal,
            outcome="revised",
            reason="统计局已出具入统证明。",
            revised_colour="yellow",
        )
    card = Card.objects.get(pk=june["p6"].pk)
    assert (card.colour, card.revised_colour, card.final_colour) == ("red", "yellow", "yellow")
    appeal.refresh_from_db()
    assert appeal.status == "revised" and appeal.revised_colour == "yellow"
    changed = AuditEvent.objects.get(object_type="scoring.card", action="update")
    assert changed.changes == {"revised_colour": ["", "黄牌"]}
    assert Notification.objects.get(kind=DECIDED).recipient == world.dora


def test_a_recomputation_keeps_the_revision(world, june):
    from tiaodu.scoring import services
    from tiaodu.scoring.tests.test_compute import JUNE

    appeal = raise_(world, june["p6"])
    with clock.frozen(COMPUTED):
        appeals.decide_appeal(
            actor=world.alice,
            appeal=appeal,
            outcome="revised",
            reason="核实",
            revised_colour="blue",
        )
        services.compute_cards(actor=world.alice, month=JUNE, reason="复核")
    card = Card.objects.get(pk=june["p6"].pk)
    assert (card.colour, card.revised_colour) == ("red", "blue")


@pytest.mark.parametrize("who", ["dora", "rita", "leo", "auditor"])
def test_only_the_site_dispatcher_decides(world, june, who):
    appeal = raise_(world, june["p6"])
    with assert_nothing_written(*WRITTEN), pytest.raises(PermissionDenied):
        appeals.decide_appeal(
            actor=getattr(world, who), appeal=appeal, outcome="upheld", reason="理由"
        )


@pytest.mark.parametrize(
    ("outcome", "reason", "colour", "field"),
    [
        ("upheld", " ", None, "reason"),
        ("revised", "理由", None, "revised_colour"),
        ("revised", "理由", "red", "revised_colour"),  # the colour it has already
        ("revised", "理由", "purple", "revised_colour"),
        ("withdrawn", "理由", None, "outcome"),
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(world, june, outcome, reason, colour, field):
    appeal = raise_(world, june["p6"])
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        appeals.decide_appeal(
            actor=world.alice,
            appeal=appeal,
            outcome=outcome,
            reason=reason,
            revised_colour=colour,
        )
    assert field in refused.value.message_dict


def test_a_decided_appeal_is_not_decided_again(world, june):
    appeal = raise_(world, june["p6"])
    appeals.decide_appeal(actor=world.alice, appeal=appeal, outcome="upheld", reason="无误")
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError):
        appeals.decide_appeal(
            actor=world.alice, appeal=appeal, outcome="revised", reason="改", revised_colour="blue"
        )


# ----------------------------------------------------------------------------- the table


@pytest.mark.parametrize("status", ["pending", "upheld", "revised"])
def test_the_table_gives_the_decision_to_the_site_dispatcher_on_a_pending_appeal(world, status):
    from tiaodu.scoring.appeal_workflow import APPEALS
    from tiaodu.scoring.permissions import appeal_relations
    from tiaodu.testing import PERSONAS

    steps = {name: APPEALS.actions_for(appeal_relations(getattr(world, name)), status)
             for name in PERSONAS}  # fmt: skip
    expected = ["upheld", "revised"] if status == "pending" else []
    assert steps == {name: (expected if name == "alice" else []) for name in PERSONAS}
