"""A bulletin drafted by a dispatcher, signed off by a leader, issued with the year's number
and archived; the table walked for every status, action and persona; a refusal writes
nothing; the issued files carry the number and the masthead."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.documents import services
from tiaodu.documents.choices import BuildStatus, BulletinAction, BulletinStatus
from tiaodu.documents.models import Bulletin
from tiaodu.documents.tests.conftest import AUGUST
from tiaodu.documents.workflow import BULLETINS
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 3, 2, tzinfo=dt.UTC)


def drafted(world: Any, capture: Any) -> Bulletin:
    with clock.frozen(NOW), capture(execute=True):
        bulletin = services.draft_bulletin(actor=world.alice, month=AUGUST, region=world.city)
    bulletin.refresh_from_db()
    return bulletin


def step(actor: Any, bulletin: Bulletin, action: str, capture: Any) -> Bulletin:
    with clock.frozen(NOW), capture(execute=True):
        services.take_action(actor=actor, bulletin=bulletin, action=action)
    bulletin.refresh_from_db()
    return bulletin


def text_of(field: Any) -> str:
    with field.open("rb") as handle:
        document = Document(handle)
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_drafted_signed_off_issued_and_archived(
    bulletin_world: Any,
    lin: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world, capture = bulletin_world, django_capture_on_commit_callbacks
    bulletin = drafted(world, capture)
    assert bulletin.build_status == BuildStatus.DONE and bulletin.build_progress == 100
    assert "草稿" in text_of(bulletin.docx_file)
    with capture(execute=True):
        services.save_commentary(
            actor=world.alice, bulletin=bulletin, commentary={"requirements": "一要抓开工。"}
        )
    bulletin.refresh_from_db()
    assert "一要抓开工。" in text_of(bulletin.docx_file)

    bulletin = step(world.alice, bulletin, BulletinAction.SUBMIT, capture)
    assert bulletin.status == BulletinStatus.SUBMITTED
    bulletin = step(lin, bulletin, BulletinAction.SIGN_OFF, capture)
    assert (bulletin.status, bulletin.signed_off_by) == (BulletinStatus.SIGNED_OFF, lin)
    bulletin = step(world.alice, bulletin, BulletinAction.ISSUE, capture)
    assert (bulletin.status, bulletin.number) == (BulletinStatus.ISSUED, 1)
    issued = text_of(bulletin.docx_file)
    assert "通报〔2026〕1号" in issued and "青岛市发展和改革委员会" in issued
    assert "草稿" not in issued and "2026年9月3日" in issued
    bulletin = step(world.alice, bulletin, BulletinAction.ARCHIVE, capture)
    assert bulletin.status == BulletinStatus.ARCHIVED
    actions = AuditEvent.objects.filter(object_type__endswith="bulletin").count()
    assert actions == 6  # created, commentary, four steps


def test_the_next_bulletin_of_the_year_takes_the_next_number(
    bulletin_world: Any,
    lin: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world, capture = bulletin_world, django_capture_on_commit_callbacks
    numbers = []
    for region, month in ((world.city, AUGUST), (world.huangdao, AUGUST)):
        with clock.frozen(NOW), capture(execute=True):
            bulletin = services.draft_bulletin(actor=world.alice, month=month, region=region)
        bulletin.refresh_from_db()
        for actor, action in (
            (world.alice, BulletinAction.SUBMIT),
            (lin, BulletinAction.SIGN_OFF),
            (world.alice, BulletinAction.ISSUE),
        ):
            bulletin = step(actor, bulletin, action, capture)
        numbers.append(bulletin.number)
    assert numbers == [1, 2]


@pytest.mark.parametrize("status", BulletinStatus.values)
@pytest.mark.parametrize("action", BulletinAction.values)
@pytest.mark.parametrize("persona", ["alice", "dora", "lin", "lena", "rita"])
def test_every_status_action_and_persona(
    world: Any, lin: Any, status: str, action: str, persona: str
) -> None:
    """alice (city dispatcher) and lin (city leader) act on the city's bulletin as the table
    says; dora (a district's dispatcher) and lena (a district's leader) do not reach it; a
    reporter never. A refused step writes nothing."""
    bulletin = Bulletin.objects.create(
        month=AUGUST,
        region=world.city,
        drafted_by=world.alice,
        status=status,
        build_status=BuildStatus.DONE,
    )
    actor = lin if persona == "lin" else getattr(world, persona)
    row = BULLETINS.step(status, action)
    allowed = row is not None and (
        (persona == "alice" and "dispatcher" in row.who)
        or (persona == "lin" and "leader" in row.who)
    )
    if allowed and row is not None:
        services.take_action(actor=actor, bulletin=bulletin, action=action, note="请补充原因。")
        bulletin.refresh_from_db()
        assert bulletin.status == row.target
        return
    with (
        assert_nothing_written(Bulletin, AuditEvent),
        pytest.raises((PermissionDenied, ValidationError)),
    ):
        services.take_action(actor=actor, bulletin=bulletin, action=action)


def test_a_district_dispatcher_may_not_draft_the_citys_bulletin(bulletin_world: Any) -> None:
    world = bulletin_world
    with assert_nothing_written(Bulletin, AuditEvent), pytest.raises(PermissionDenied):
        services.draft_bulletin(actor=world.dora, month=AUGUST, region=world.city)


def test_a_month_not_begun_and_a_second_draft_are_refused(
    bulletin_world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world = bulletin_world
    with clock.frozen(NOW):
        with assert_nothing_written(Bulletin), pytest.raises(ValidationError):
            services.draft_bulletin(
                actor=world.alice, month=dt.date(2026, 10, 1), region=world.city
            )
        services.draft_bulletin(actor=world.alice, month=AUGUST, region=world.city)
        with assert_nothing_written(Bulletin), pytest.raises(ValidationError, match="已有"):
            services.draft_bulletin(actor=world.alice, month=AUGUST, region=world.city)


def test_a_leader_returns_with_a_note_and_signs_off_with_one(world: Any, lin: Any) -> None:
    bulletin = Bulletin.objects.create(
        month=AUGUST,
        region=world.city,
        drafted_by=world.alice,
        status=BulletinStatus.SUBMITTED,
        build_status=BuildStatus.DONE,
    )
    with assert_nothing_written(Bulletin, AuditEvent), pytest.raises(ValidationError, match="意见"):
        services.take_action(actor=lin, bulletin=bulletin, action=BulletinAction.RETURN, note=" ")
    services.take_action(
        actor=lin, bulletin=bulletin, action=BulletinAction.RETURN, note="补充滞后原因。"
    )
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.leader_note) == (BulletinStatus.DRAFT, "补充滞后原因。")
    services.take_action(actor=world.alice, bulletin=bulletin, action=BulletinAction.SUBMIT)
    services.take_action(
        actor=lin, bulletin=bulletin, action=BulletinAction.SIGN_OFF, note="同意印发。"
    )
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.leader_note) == (BulletinStatus.SIGNED_OFF, "同意印发。")
