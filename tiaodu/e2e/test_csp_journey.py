"""Pages whose markup is not the site's own templates run under the same
Content-Security-Policy without a refusal: the API's documentation (django-ninja's Swagger
UI, from the package's static files) and the management area (Django's admin). They are
third parties' pages, so they are opened in a page of their own, outside the accessibility
check of the journeys; what the policy refused is collected as the page check does."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tiaodu.e2e.page_check import MARK_LOADED
from tiaodu.testing import DESKTOP, sign_in


@pytest.fixture
def third_party(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", base_url=base_url, viewport=DESKTOP)
    page = context.new_page()
    page.add_init_script(MARK_LOADED)
    yield page
    context.close()


def refused(page: Page) -> list[str]:
    page.wait_for_load_state("load")
    found: list[str] = page.evaluate("() => window.__cspViolations")
    return found


def test_the_api_documentation_runs_under_the_policy(third_party: Page, world: Any) -> None:
    sign_in(third_party, "alice")
    third_party.goto("/api/v1/docs")
    expect(third_party.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(third_party.get_by_text("/api/v1/reports/due").first).to_be_visible()
    assert refused(third_party) == []


def test_the_management_area_runs_under_the_policy(third_party: Page, world: Any) -> None:
    sign_in(third_party, "sysadmin")
    third_party.goto("/manage/")
    expect(third_party.locator("#content")).to_be_visible()
    assert refused(third_party) == []
    third_party.goto(f"/manage/accounts/user/{world.rita.pk}/change/")
    expect(third_party.locator("#user_form, form").first).to_be_visible()
    assert refused(third_party) == []
