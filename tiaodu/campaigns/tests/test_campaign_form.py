"""The campaign form (/campaigns/new/, /campaigns/<id>/edit/): the site's dispatcher (alice)
creates and changes a campaign through the page; bad input shows the message and writes
nothing; anyone else, a district's dispatcher (dora) included, gets a 404; a finished
campaign (its final comparison kept) is not changed. And `services.update_campaign` with
the recorded days of the trend."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tiaodu.campaigns import services
from tiaodu.campaigns.attainment import districts
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign, CampaignDay, Target
from tiaodu.campaigns.tests.test_campaigns import INVESTMENT, START, campaign
from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects import services as project_services
from tiaodu.testing import PERSONAS, assert_nothing_written

NEW = "/campaigns/new/"
ON = dt.date(2026, 3, 20)  # before the test campaign's window (1 April – 10 July)
UNCHANGED = (Campaign, Target, CampaignDay, AuditEvent)
NOTHING_SAVED = "未保存。请修改下方标出的内容。"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with clock.frozen(ON):
        yield


def edit_url(found: Campaign) -> str:
    return f"/campaigns/{found.pk}/edit/"


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def rows(*targets: tuple[str, str, str, str], initial: int = 0) -> dict[str, str]:
    """The formset's fields: each target as (indicator, subset, comparison, threshold), and
    the empty row the page always offers after them."""
    data = {
        "targets-TOTAL_FORMS": str(len(targets) + 1),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "20",
    }
    for index, (indicator, subset, comparison, threshold) in enumerate(
        [*targets, ("", "", "gte", "")]
    ):
        data |= {
            f"targets-{index}-indicator": indicator,
            f"targets-{index}-subset": subset,
            f"targets-{index}-comparison": comparison,
            f"targets-{index}-threshold": threshold,
        }
    return data


def posted(world: Any, **changes: Any) -> dict[str, Any]:
    """A campaign as alice writes it on the form."""
    data: dict[str, Any] = {
        "name": "2026年重点项目百日会战",
        "year": "2026",
        "start": "2026-04-01",
        "end": "2026-07-10",
        "lists": [str(world.key_list.pk)],
        "levels": ["municipal"],
        "regions": [str(world.huangdao.pk), str(world.laoshan.pk)],
        **rows(
            ("start_rate", "", "gte", "100"),
            ("completion_rate", f"list:{world.key_list.pk}", "gte", "80"),
            ("completions", "category:industry", "gte", "3"),
        ),
    }
    data.update(changes)
    return data


def described(found: Campaign) -> list[tuple[str, Any, str, str, str, Decimal]]:
    return [
        (t.indicator, t.subset_list, t.subset_category, t.subset_level, t.comparison, t.threshold)
        for t in found.targets.all()
    ]


def test_only_the_sites_dispatcher_opens_the_form(world: Any, client: Client) -> None:
    found = campaign(world)
    for url in (NEW, edit_url(found)):
        opened = {
            name
            for name in PERSONAS
            if as_user(client, world.users[name]).get(url).status_code == 200
        }
        assert opened == {"alice"}, url


def test_a_district_dispatcher_gets_a_404_and_writes_nothing(world: Any, client: Client) -> None:
    found = campaign(world)
    as_user(client, world.dora)
    with assert_nothing_written(*UNCHANGED):
        assert client.post(NEW, posted(world)).status_code == 404
        assert client.post(edit_url(found), posted(world, name="改名")).status_code == 404


def test_the_list_and_the_campaign_link_to_the_form(world: Any, client: Client) -> None:
    found = campaign(world)
    listing = as_user(client, world.alice).get("/campaigns/").content.decode()
    assert 'data-testid="new-campaign"' in listing and f'href="{NEW}"' in listing
    page = client.get(f"/campaigns/{found.pk}/").content.decode()
    assert f'href="{edit_url(found)}"' in page
    as_user(client, world.dora)
    assert 'data-testid="new-campaign"' not in client.get("/campaigns/").content.decode()
    assert (
        'data-testid="edit-campaign"' not in client.get(f"/campaigns/{found.pk}/").content.decode()
    )


def test_the_form_offers_the_years_lists_and_says_the_units(world: Any, client: Client) -> None:
    project_services.create_key_project_list(actor=None, name="省重点项目", year=2025)
    response = as_user(client, world.alice).get(NEW)
    html = response.content.decode()
    form = response.context["form"]
    assert [item.name for item in form.fields["lists"].queryset] == ["市重点项目"]
    assert list(form.fields["regions"].queryset) == districts()
    assert {world.huangdao, world.laoshan} <= set(districts())
    assert "省重点项目" not in html
    assert (
        "目标值：新开工项目开工率、投资完成率、入统率、前期手续办结率、专项债券资金支出率按百分比填写（0～100）；"
        "竣工按项目个数填写。" in html
    )
    assert len(response.context["formset"].forms) == 1  # one row to fill


def test_the_dispatcher_creates_a_campaign_through_the_page(world: Any, client: Client) -> None:
    response = as_user(client, world.alice).post(NEW, posted(world))
    found = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{found.pk}/"
    assert (found.name, found.year, found.start, found.end) == (
        "2026年重点项目百日会战", 2026, dt.date(2026, 4, 1), dt.date(2026, 7, 10),
    )  # fmt: skip
    assert list(found.lists.all()) == [world.key_list] and found.levels == ["municipal"]
    assert set(found.regions.all()) == {world.huangdao, world.laoshan}
    assert found.created_by == world.alice
    assert described(found) == [
        ("start_rate", None, "", "", "gte", Decimal("100.00")),
        ("completion_rate", world.key_list, "", "", "gte", Decimal("80.00")),
        ("completions", None, "industry", "", "gte", Decimal("3.00")),
    ]
    event = AuditEvent.objects.get(object_type="campaigns.campaign", action=AuditAction.CREATE)
    assert event.changes["targets"] == [
        "",
        "新开工项目开工率 不低于 100.00；投资完成率（市重点项目） 不低于 80.00；"
        "竣工（产业） 不低于 3.00",
    ]
    shown = client.get(response["Location"]).content.decode()
    assert "专项行动“2026年重点项目百日会战”已创建。" in shown
    assert "市重点项目 · 市重点 · 黄岛区、崂山区" in shown  # the scope, levels by their labels


def test_the_dispatcher_changes_a_campaign_through_the_page(world: Any, client: Client) -> None:
    found = campaign(world, lists=[world.key_list])
    start_target = found.targets.get(indicator=Indicator.START_RATE)
    form_page = as_user(client, world.alice).get(edit_url(found))
    assert form_page.context["form"].initial["name"] == "2026年百日会战"
    assert form_page.context["form"].fields["year"].disabled
    assert [row["indicator"] for row in form_page.context["formset"].initial] == [
        "start_rate", "completion_rate",
    ]  # fmt: skip
    data = posted(
        world,
        name="2026年百日会战（调整）",
        year="2030",  # the year stays the campaign's
        end="2026-07-31",
        regions=[],
        **rows(
            ("start_rate", "", "gte", "90"),
            ("completion_rate", "", "gte", "80"),
            ("inclusion_rate", "level:municipal", "gte", "95"),
            initial=2,
        ),
    )
    data["targets-1-DELETE"] = "on"  # the investment target is removed
    response = client.post(edit_url(found), data)
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.name, found.year, found.end) == (
        "2026年百日会战（调整）",
        2026,
        dt.date(2026, 7, 31),
    )
    assert list(found.regions.all()) == [] and found.levels == ["municipal"]
    assert described(found) == [
        ("start_rate", None, "", "", "gte", Decimal("90.00")),
        ("inclusion_rate", None, "", "municipal", "gte", Decimal("95.00")),
    ]
    assert found.targets.filter(pk=start_target.pk).exists()  # the same measure keeps its row
    event = AuditEvent.objects.get(object_type="campaigns.campaign", action=AuditAction.UPDATE)
    assert event.actor == world.alice
    assert event.changes["name"] == ["2026年百日会战", "2026年百日会战（调整）"]
    assert event.changes["end"] == ["2026-07-10", "2026-07-31"]
    assert event.changes["targets"] == [
        "新开工项目开工率 不低于 100.00；投资完成率 不低于 80.00",
        "新开工项目开工率 不低于 90.00；入统率（市重点） 不低于 95.00",
    ]
    assert "修改已保存。" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2026-03-01"}, "结束日期早于开始日期。"),
        ({"end": "2027-01-10"}, "起止日期须在2026计划年度内。"),
        ({"name": " "}, "这个字段是必填项。"),
        (rows(("start_rate", "", "gte", "120")), "比率类目标值须在 0 至 100 之间。"),
        (rows(("completions", "", "gte", "-1")), "目标值不能为负数。"),
        (rows(), "请至少设定一个目标。"),
        (rows(("start_rate", "", "gte", "")), "请填写目标值。"),
        (rows(("", "", "gte", "100")), "请选择指标。"),
    ],
)
def test_bad_input_shows_the_message_and_writes_nothing(
    world: Any, client: Client, changes: dict[str, Any], message: str
) -> None:
    found = campaign(world)
    as_user(client, world.alice)
    for url, data in ((NEW, posted(world, **changes)), (edit_url(found), posted(world, **changes))):
        with assert_nothing_written(*UNCHANGED):
            response = client.post(url, data)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert message in html, url
        assert NOTHING_SAVED in html, url


def test_a_list_of_another_year_is_refused(world: Any, client: Client) -> None:
    last_year = project_services.create_key_project_list(actor=None, name="省重点项目", year=2025)
    as_user(client, world.alice)
    for data, message in (
        (posted(world, lists=[str(last_year.pk)]), "请选择本行动年度的清单。"),
        (
            posted(world, **rows(("start_rate", f"list:{last_year.pk}", "gte", "100"))),
            "目标所限清单须为本行动年度的清单。",
        ),
    ):
        with assert_nothing_written(*UNCHANGED):
            response = client.post(NEW, data)
        assert response.status_code == 200 and message in response.content.decode()


def test_adding_a_row_without_scripts_keeps_what_was_written(world: Any, client: Client) -> None:
    data = posted(world, add_target="1")
    data["targets-1-DELETE"] = "on"
    with assert_nothing_written(*UNCHANGED):
        response = as_user(client, world.alice).post(NEW, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert response.context["form"]["name"].value() == "2026年重点项目百日会战"
    forms = response.context["formset"].forms
    # The removed row is gone; the two kept rows and a new empty one.
    assert [form["indicator"].value() for form in forms] == ["start_rate", "completions", None]
    assert forms[1]["subset"].value() == "category:industry"
    assert forms[1].unit == "个" and forms[0].unit == "%"


def test_another_plan_year_offers_its_lists(world: Any, client: Client) -> None:
    last_year = project_services.create_key_project_list(actor=None, name="省重点项目", year=2025)
    with assert_nothing_written(*UNCHANGED):
        response = as_user(client, world.alice).post(NEW, posted(world, year="2025", reload="1"))
    form = response.context["form"]
    assert list(form.fields["lists"].queryset) == [last_year]
    assert form["year"].value() == 2025 and form.errors == {}
    html = response.content.decode()
    assert f'<option value="list:{last_year.pk}">省重点项目</option>' in html
    # A target's list of the year chosen before shows as it is, with its year, not changed.
    kept = f'<option value="list:{world.key_list.pk}" selected>市重点项目（2026）</option>'
    assert kept in html


def test_a_finished_campaign_is_not_changed(world: Any, client: Client) -> None:
    found = campaign(world)
    with clock.frozen(dt.date(2026, 7, 11)):
        services.keep_final_comparison(campaign=found)
    found.refresh_from_db()
    page = as_user(client, world.alice).get(f"/campaigns/{found.pk}/").content.decode()
    assert 'data-testid="edit-campaign"' not in page
    refusal = "“2026年百日会战”的最终比拼结果已留存，已结束的专项行动不能再修改"
    with assert_nothing_written(*UNCHANGED):
        shown = client.post(edit_url(found), posted(world, name="改名"), follow=True)
        assert shown.redirect_chain == [(f"/campaigns/{found.pk}/", 302)]
        assert refusal in shown.content.decode()
        assert refusal in client.get(edit_url(found), follow=True).content.decode()
        with pytest.raises(ValidationError) as refused:
            services.update_campaign(
                actor=world.alice, campaign=found, name="改名", start=found.start,
                end=found.end, targets=[START],
            )  # fmt: skip
    assert refusal in refused.value.messages[0]


# The service and the recorded days of the trend chart.
def record(found: Campaign, *days: dt.date) -> None:
    for day in days:
        services.record_day(campaign=found, day=day)


def test_a_new_threshold_keeps_the_recorded_values(world: Any) -> None:
    found = campaign(world)
    start, investment = found.targets.all()
    record(found, dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    with clock.frozen(dt.date(2026, 6, 15)):
        services.update_campaign(
            actor=world.alice, campaign=found, name=found.name, start=found.start, end=found.end,
            targets=[
                services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(90)),
                services.TargetSpec(indicator=Indicator.INCLUSION_RATE, threshold=Decimal(90)),
            ],
        )  # fmt: skip
    days = {day.day: set(day.values) for day in found.days.all()}
    # Today's day is recorded again by the round; the start rate keeps its values, the
    # investment target (replaced) loses its.
    assert days == {dt.date(2026, 5, 1): {str(start.pk)}, dt.date(2026, 6, 1): {str(start.pk)}}
    assert not Target.objects.filter(pk=investment.pk).exists()


def test_a_new_scope_or_window_forgets_the_days_that_no_longer_hold(world: Any) -> None:
    found = campaign(world)
    record(found, dt.date(2026, 4, 10), dt.date(2026, 5, 1))
    values = dict(
        actor=world.alice, campaign=found, name=found.name, end=found.end,
        targets=[START, INVESTMENT],
    )  # fmt: skip
    with clock.frozen(dt.date(2026, 6, 15)):
        services.update_campaign(start=dt.date(2026, 4, 20), **values)
        assert [day.day for day in found.days.all()] == [dt.date(2026, 5, 1)]
        assert set(found.days.get().values) == {str(t.pk) for t in found.targets.all()}
        services.update_campaign(start=dt.date(2026, 4, 20), levels=["municipal"], **values)
    assert not found.days.exists()


def test_a_target_of_several_subset_parts_is_kept_as_it_is(world: Any, client: Client) -> None:
    both = services.TargetSpec(
        indicator=Indicator.START_RATE,
        threshold=Decimal(100),
        subset_list=world.key_list,
        subset_level="municipal",
    )
    found = campaign(world, targets=[both])
    value = f"list:{world.key_list.pk}+level:municipal"
    page = as_user(client, world.alice).get(edit_url(found)).content.decode()
    assert f'<option value="{value}" selected>市重点项目、市重点</option>' in page
    data = posted(world, **rows(("start_rate", value, "gte", "100"), initial=1))
    assert client.post(edit_url(found), data).status_code == 302
    assert described(found) == [
        ("start_rate", world.key_list, "", "municipal", "gte", Decimal(100))
    ]


def test_only_the_sites_dispatcher_changes_a_campaign(world: Any) -> None:
    found = campaign(world)
    for name in ("dora", "lena", "rita", "sysadmin"):
        with pytest.raises(PermissionDenied), assert_nothing_written(*UNCHANGED):
            services.update_campaign(
                actor=world.users[name], campaign=found, name="改名", start=found.start,
                end=found.end, targets=[START],
            )  # fmt: skip
