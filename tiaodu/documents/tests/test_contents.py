"""The bulletin's content: the figure set's figures as of the month's end, lists as long as
their counts, and a past month built again exactly after the data moved on."""

import datetime as dt
from typing import Any

import pytest

from tiaodu.analytics.figures import WHOLE_SITE, figure_set
from tiaodu.core import clock
from tiaodu.documents import contents
from tiaodu.documents.tests.conftest import AS_OF, AUGUST
from tiaodu.problems.choices import ProblemStatus
from tiaodu.projects import services
from tiaodu.testing import problem_in

pytestmark = pytest.mark.django_db


def test_the_content_is_the_figure_set_as_of_the_months_end(bulletin_world: Any) -> None:
    content = contents.build(actor=WHOLE_SITE, month=dt.date(2026, 8, 17))
    assert content.as_of == AS_OF
    assert content.figures == figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    assert content.title == "关于青岛市2026年8月重点项目建设情况的通报"
    assert content.number == "通报〔2026〕  号"
    tables = {table.key: table for table in content.tables()}
    data = content.figures
    assert [len(tables[key].rows) for key in ("new_starts", "should_start", "lagging")] == [
        data["new_start"]["started"],
        data["should_start"],
        data["lagging"],
    ]
    assert [len(tables[key].rows) for key in ("completed", "should_complete")] == [
        data["completed"]["count"],
        data["should_complete"],
    ]
    # The overview in 亿元: 210,000 万元 = 21.00 亿元; 10,500 万元 = 1.05 亿元.
    assert content.sections[0].paragraphs[0] == (
        "青岛市今年纳入调度的重点项目6个，总投资21.00亿元，年度计划投资3.00亿元。"
        "1—8月累计完成投资1.05亿元，占年度计划的35.00%，序时进度为66.67%。"
    )


def test_commentary_ends_its_section(bulletin_world: Any) -> None:
    content = contents.build(
        actor=WHOLE_SITE,
        month=AUGUST,
        number=7,
        commentary={
            "lagging": "请黄岛区加快征收。\n\n",
            "requirements": "一要抓开工。\n二要抓入统。",
        },
    )
    sections = {section.key: section for section in content.sections}
    assert sections["lagging"].paragraphs[-1] == "请黄岛区加快征收。"
    assert sections["requirements"].paragraphs == ["一要抓开工。", "二要抓入统。"]
    assert content.number == "通报〔2026〕7号"


def test_a_past_month_is_built_again_exactly(bulletin_world: Any) -> None:
    before = contents.build(actor=WHOLE_SITE, month=AUGUST)
    # September moves on: p3 starts, p5 completes, a problem of p1 is raised.
    world = bulletin_world
    with clock.frozen(dt.datetime(2026, 9, 20, 9, tzinfo=dt.UTC)):
        services.update_project(
            actor=world.alice, project=world.projects["p3"], actual_start=dt.date(2026, 9, 3)
        )
        services.update_project(
            actor=world.alice,
            project=world.projects["p5"],
            actual_completion=dt.date(2026, 9, 18),
        )
        problem_in(world, ProblemStatus.REPORTED, today=dt.date(2026, 9, 20))
    again = contents.build(actor=WHOLE_SITE, month=AUGUST)
    assert again == before
    september = contents.build(actor=WHOLE_SITE, month=dt.date(2026, 9, 1))
    assert september.figures["new_start"]["started"] == 3  # p1, p3, p5
    assert september.figures["problems"]["open"] == 3


def test_a_month_must_be_written_as_year_and_month() -> None:
    assert contents.parse_month("2026-08") == AUGUST
    with pytest.raises(contents.MonthError, match="2026-8-1"):
        contents.parse_month("2026-8-1")
