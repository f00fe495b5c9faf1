"""The city's dispatcher compiles the 6th financing-needs list of 2026, puts on it the need
an owner unit proposed, and publishes it; a bank, whose account sees nothing but the
published lists, answers a need with its intent; the project's owner unit reads the answer
and whom to call."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.core.roles import Role
from tiaodu.testing import DESKTOP, make_user, sign_in


def test_a_list_is_compiled_published_and_answered(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    make_user("bank", Role.FINANCIAL_INSTITUTION, None)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/financing/")
    expect(page.locator("h2.page-title")).to_have_text("融资需求清单")
    page.get_by_test_id("new-list").click()
    expect(page.locator("#id_number")).to_have_value("6")
    page.fill("#id_note", "请于12月底前回应，项目单位将与贵行联系。")
    page.screenshot(path=screenshots / "financing-form.png", full_page=True)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("清单已创建")
    edition = page.url
    page.select_option("#id_project", label="崂山科创园一期（崂山区）")
    page.select_option("#id_kind", label="股权")
    page.fill("#id_amount", "2000")
    page.select_option("#id_stage", label="在建")
    page.fill("#id_purpose", "引入战略投资者")
    page.get_by_test_id("add-need").click()
    expect(page.locator(".alert-success")).to_contain_text("融资需求已列入清单")

    # The owner unit proposes its project's need while the list is being compiled.
    sign_in(page, "rita")
    page.goto(edition)
    page.select_option("#id_project", label="黄岛港区集装箱码头三期（黄岛区）")
    page.select_option("#id_kind", label="贷款")
    page.fill("#id_amount", "5000")
    page.select_option("#id_stage", label="在建")
    page.fill("#id_purpose", "三期码头泊位建设")
    page.get_by_test_id("propose-need").click()
    expect(page.locator(".alert-success")).to_contain_text("融资需求已提交调度员")
    expect(page.get_by_test_id("proposal-status")).to_have_text("待调度员处理")
    page.screenshot(path=screenshots / "financing-proposal.png", full_page=True)

    sign_in(page, "alice")
    page.goto(edition)
    page.get_by_test_id("include-proposal").click()
    expect(page.locator(".alert-success")).to_contain_text("融资需求已列入清单")
    expect(page.get_by_test_id("need")).to_have_count(2)
    expect(page.get_by_test_id("figure-amount")).to_have_text("7,000.00")
    page.screenshot(path=screenshots / "financing-draft.png", full_page=True)
    page.get_by_test_id("act-publish").click()
    expect(page.locator(".alert-success")).to_contain_text("清单已发布给金融机构")
    expect(page.get_by_test_id("list-status")).to_have_text("已发布")
    with page.expect_download() as download:
        page.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename == "青岛市融资需求清单（2026年第6期）.docx"

    page.goto("/financing/")
    expect(page.get_by_test_id("list-row")).to_have_count(1)
    page.screenshot(path=screenshots / "financing-lists.png", full_page=True)

    sign_in(page, "bank")
    nav = page.locator("header, .navbar").first
    expect(nav).not_to_contain_text("项目库")
    expect(page.get_by_test_id("home-list")).to_contain_text("青岛市融资需求清单（2026年第6期）")
    page.screenshot(path=screenshots / "financing-bank-home.png", full_page=True)
    page.get_by_test_id("home-list").click()
    page.locator('tr[data-project="黄岛港区集装箱码头三期"]').get_by_test_id("answer-need").click()
    page.fill("#id_institution", "青岛银行股份有限公司")
    page.fill("#id_amount", "4000")
    page.fill("#id_terms", "5年期固定资产贷款，LPR减20个基点，项目收益权质押")
    page.fill("#id_contact_person", "王建华")
    page.fill("#id_contact_phone", "0532-81858888")
    page.screenshot(path=screenshots / "financing-answer.png", full_page=True)
    page.get_by_test_id("send-answer").click()
    expect(page.locator(".alert-success")).to_contain_text("您的回应已送达项目单位和调度员")
    expect(page.get_by_test_id("answer")).to_have_count(1)
    page.screenshot(path=screenshots / "financing-bank-list.png", full_page=True)

    sign_in(page, "rita")
    expect(page.get_by_test_id("home-financing-answers")).to_contain_text("青岛银行股份有限公司")
    page.goto("/financing/")
    page.get_by_test_id("list-row").get_by_role("link").click()
    expect(page.get_by_test_id("need")).to_have_count(1)
    answer = page.get_by_test_id("answer")
    expect(answer).to_contain_text("4,000.00")
    expect(answer).to_contain_text("王建华 0532-81858888")
    page.screenshot(path=screenshots / "financing-owner-unit.png", full_page=True)
