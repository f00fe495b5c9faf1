"""The card page, the appeal form, the site dispatcher's queue and the decision, through
the pages: in Chinese, scoped (an out-of-scope card, appeal or file is a 404), and a
refusal shown on the form with nothing written."""

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.core.tests.media_files import SCRIPT, encode, scene
from tiaodu.scoring import appeals
from tiaodu.scoring.models import Appeal, AppealFile, Card
from tiaodu.testing import assert_nothing_written

COMPUTED = dt.date(2026, 7, 20)
WRITTEN = (Appeal, AppealFile, Card, AuditEvent, Notification)


def jpeg(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, encode(scene(4)), content_type="image/jpeg")


def page(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def appeal_on(world: Any, card: Card, who: str = "rita") -> Appeal:
    with clock.frozen(COMPUTED):
        return appeals.raise_appeal(
            actor=getattr(world, who),
            card=card,
            reason="已于5月入统。",
            files=[(io.BytesIO(encode(scene(2))), "回执.jpg")],
        )


def test_the_card_page_shows_dimensions_reasons_and_what_restores_blue(client, world, june):
    card = june["p6"]
    with clock.frozen(COMPUTED):
        html = page(client, world.rita, reverse("scoring:card", args=[card.pk])).content.decode()
    assert "2026-06 月度评价" in html and "红牌" in html
    assert card.dimensions["investment"]["reason"] in html
    for item in card.restore:
        assert item in html
    assert 'data-testid="dimension-reporting"' in html and "不适用" in html
    assert "申诉期限截至 2026-07-27" in html
    assert reverse("scoring:appeal", args=[card.pk]) in html


@pytest.mark.parametrize(("who", "status"), [("rita", 200), ("dora", 200), ("alice", 200),
                                             ("bob", 404), ("leo", 404), ("auditor", 404)])  # fmt: skip
def test_the_card_page_is_scoped(client, world, june, who, status):
    response = page(client, getattr(world, who), reverse("scoring:card", args=[june["p6"].pk]))
    assert response.status_code == status
    if status == 404:
        form = client.get(reverse("scoring:appeal", args=[june["p6"].pk]))
        assert form.status_code == 404


def test_the_site_dispatcher_reads_the_card_without_an_appeal_button(client, world, june):
    with clock.frozen(COMPUTED):
        html = page(client, world.alice, reverse("scoring:card", args=[june["p6"].pk])).content
    assert b'data-testid="appeal-button"' not in html
    with clock.frozen(COMPUTED):
        response = page(client, world.alice, reverse("scoring:appeal", args=[june["p6"].pk]))
    assert response.status_code == 404


def test_appealing_from_the_form_with_a_photo(client, world, june):
    card = june["p6"]
    client.force_login(world.rita)
    url = reverse("scoring:appeal", args=[card.pk])
    with clock.frozen(COMPUTED):
        assert client.get(url).status_code == 200
        response = client.post(url, {"reason": "入统证明见附件。", "evidence": [jpeg()]})
    assert response.status_code == 302
    appeal = Appeal.objects.get(card=card)
    assert appeal.reason == "入统证明见附件。" and appeal.files.count() == 1
    with clock.frozen(COMPUTED):
        html = client.get(response["Location"]).content.decode()
    assert "申诉已提交" in html and "入统证明见附件。" in html and "待决定" in html
    # A second appeal while this one waits: the page says why, no form.
    with clock.frozen(COMPUTED):
        again = client.get(url).content.decode()
    assert "该评价已有一条待处理的申诉。" in again and 'data-testid="appeal-form"' not in again


def test_a_refused_file_comes_back_on_the_form_and_nothing_is_written(client, world, june):
    client.force_login(world.rita)
    url = reverse("scoring:appeal", args=[june["p6"].pk])
    bad = SimpleUploadedFile("证明.jpg", SCRIPT, content_type="image/jpeg")
    with assert_nothing_written(*WRITTEN), clock.frozen(COMPUTED):
        response = client.post(url, {"reason": "理由", "evidence": [jpeg(), bad]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "证明.jpg：" in html and 'data-testid="form-errors"' in html


def test_an_empty_reason_is_refused_on_the_form(client, world, june):
    client.force_login(world.dora)
    url = reverse("scoring:appeal", args=[june["p6"].pk])
    with assert_nothing_written(*WRITTEN), clock.frozen(COMPUTED):
        response = client.post(url, {"reason": " "})
    assert "请填写申诉理由。" in response.content.decode()


def test_after_the_deadline_the_form_says_so(client, world, june):
    client.force_login(world.rita)
    url = reverse("scoring:appeal", args=[june["p6"].pk])
    with assert_nothing_written(*WRITTEN), clock.frozen(dt.date(2026, 7, 28)):
        html = client.post(url, {"reason": "理由"}).content.decode()
    assert "已过期" in html


def test_the_queue_lists_pending_appeals_by_their_decision_day(client, world, june):
    later = appeal_on(world, june["p3"], "bob")
    with clock.frozen(dt.date(2026, 7, 17)):
        # Raised earlier (the card's computing day aside): to be decided sooner.
        sooner = Appeal.objects.create(
            card=june["p6"], raised_by=world.rita, raised_at=clock.now(), reason="较早的申诉"
        )
    with clock.frozen(COMPUTED):
        html = page(client, world.alice, reverse("scoring:appeals")).content.decode()
    rows = re.findall(r'data-testid="pending-(\d+)"', html)
    assert rows == [str(sooner.pk), str(later.pk)]
    assert "评价申诉" in html and "2026-07-24" in html and "2026-07-27" in html


@pytest.mark.parametrize("who", ["dora", "rita", "leo", "auditor"])
def test_only_the_site_dispatcher_opens_the_queue(client, world, june, who):
    assert page(client, getattr(world, who), reverse("scoring:appeals")).status_code == 404


def test_the_menu_names_the_queue_for_the_site_dispatcher_only(client, world, june):
    url = reverse("scoring:appeals")
    assert url in page(client, world.alice, reverse("core:home")).content.decode()
    assert url not in page(client, world.dora, reverse("core:home")).content.decode()


def test_deciding_from_the_card_page_revises_it(client, world, june):
    appeal = appeal_on(world, june["p6"])
    client.force_login(world.alice)
    with clock.frozen(COMPUTED):
        html = client.get(reverse("scoring:card", args=[june["p6"].pk])).content.decode()
        assert 'data-testid="decide-form"' in html
        response = client.post(
            reverse("scoring:appeal_decide", args=[appeal.pk]),
            {
                f"a{appeal.pk}-outcome": "revised",
                f"a{appeal.pk}-revised_colour": "yellow",
                f"a{appeal.pk}-reason": "入统证明属实。",
                "next": "queue",
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("scoring:appeals")
    card = Card.objects.get(pk=june["p6"].pk)
    assert (card.colour, card.revised_colour) == ("red", "yellow")
    with clock.frozen(COMPUTED):
        html = page(client, world.rita, reverse("scoring:card", args=[card.pk])).content.decode()
    assert "经申诉改评；原评价为红牌。" in html and "入统证明属实。" in html


def test_a_bad_decision_comes_back_on_the_form(client, world, june):
    appeal = appeal_on(world, june["p6"])
    client.force_login(world.alice)
    with assert_nothing_written(*WRITTEN), clock.frozen(COMPUTED):
        response = client.post(
            reverse("scoring:appeal_decide", args=[appeal.pk]),
            {f"a{appeal.pk}-outcome": "revised", f"a{appeal.pk}-reason": "理由"},
        )
    assert response.status_code == 200
    assert "请选择改评后的颜色。" in response.content.decode()


def test_a_district_dispatcher_is_refused_the_decision(client, world, june):
    appeal = appeal_on(world, june["p6"])
    client.force_login(world.dora)
    with assert_nothing_written(*WRITTEN), clock.frozen(COMPUTED):
        response = client.post(
            reverse("scoring:appeal_decide", args=[appeal.pk]),
            {f"a{appeal.pk}-outcome": "upheld", f"a{appeal.pk}-reason": "理由"},
        )
    assert response.status_code == 302
    with clock.frozen(COMPUTED):
        html = client.get(response["Location"]).content.decode()
    assert (
        "只有全市（全省）调度员可以处理申诉。" in html and 'data-testid="decide-form"' not in html
    )


def test_an_out_of_scope_appeal_and_its_files_are_404(client, world, june):
    appeal = appeal_on(world, june["p6"])
    item = appeal.files.get()
    client.force_login(world.bob)
    with assert_nothing_written(*WRITTEN):
        decide = client.post(
            reverse("scoring:appeal_decide", args=[appeal.pk]),
            {f"a{appeal.pk}-outcome": "upheld", f"a{appeal.pk}-reason": "理由"},
        )
    assert decide.status_code == 404
    assert client.get(reverse("scoring:appeal_file", args=[item.pk])).status_code == 404
    assert client.get(reverse("scoring:appeal_thumbnail", args=[item.pk])).status_code == 404
    for who in ("rita", "dora", "alice"):
        client.force_login(getattr(world, who))
        shown = client.get(reverse("scoring:appeal_file", args=[item.pk]))
        assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"


def test_the_home_page_counts_the_pending_appeals_for_the_site_dispatcher(client, world, june):
    appeal_on(world, june["p6"])
    with clock.frozen(COMPUTED):
        home = page(client, world.alice, reverse("core:home")).content.decode()
        other = page(client, world.dora, reverse("core:home")).content.decode()
    assert 'data-testid="home-appeals"' in home and june["p6"].project.name in home
    assert 'data-testid="home-appeals"' not in other


def test_deciding_from_the_queue_and_a_refusal_shown_there(client, world, june):
    appeal = appeal_on(world, june["p6"])
    client.force_login(world.alice)
    url = reverse("scoring:appeal_decide", args=[appeal.pk])
    with clock.frozen(COMPUTED):
        html = client.get(reverse("scoring:appeals")).content.decode()
        assert html.count('data-testid="decide-form"') == 1 and "回执.jpg" in html
        # What the card found wrong stands beside the appeal.
        assert june["p6"].dimensions["investment"]["reason"] in html
        with assert_nothing_written(*WRITTEN):
            refused = client.post(url, {f"a{appeal.pk}-outcome": "upheld", "next": "queue"})
        assert refused.status_code == 200 and "请填写处理理由。" in refused.content.decode()
        assert refused.templates[0].name == "scoring/appeal_queue.html"
        done = client.post(
            url,
            {f"a{appeal.pk}-outcome": "upheld", f"a{appeal.pk}-reason": "无误", "next": "queue"},
        )
    assert done["Location"] == reverse("scoring:appeals")
    appeal.refresh_from_db()
    assert appeal.status == "upheld"


def test_the_menu_counts_the_pending_appeals(client, world, june):
    home = reverse("core:home")
    assert (
        'data-testid="nav-count-scoring.appeals"'
        not in page(client, world.alice, home).content.decode()
    )
    appeal = appeal_on(world, june["p6"])
    appeal_on(world, june["p3"], "bob")
    html = page(client, world.alice, home).content.decode()
    assert re.search(r'data-testid="nav-count-scoring.appeals">2<', html)
    assert re.search(r'data-testid="nav-count">2<', html)  # on the 督查督办 dropdown too
    appeals.decide_appeal(actor=world.alice, appeal=appeal, outcome="upheld", reason="无误")
    html = page(client, world.alice, home).content.decode()
    assert re.search(r'data-testid="nav-count-scoring.appeals">1<', html)


def test_the_badge_counts_only_the_appeals_the_reader_sees(world, june):
    """Two pending appeals, one in 崂山区 (p3) and one in 黄岛区 (p6): a reader of 黄岛区
    counts its own only (the badge reads the pending appeals' projects, then the scope)."""
    from tiaodu.scoring.menu import pending_appeals

    appeal_on(world, june["p6"])
    appeal_on(world, june["p3"], "bob")
    assert pending_appeals(world.alice) == 2
    seen = {card.project.region.name for card in (june["p6"], june["p3"])}
    assert seen == {"黄岛区", "崂山区"}
    assert pending_appeals(world.dora) == 1
