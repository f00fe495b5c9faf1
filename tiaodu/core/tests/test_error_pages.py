"""The error pages (docs/errors.md): 400, 403, the failed CSRF check, 404 and 500 answer in
the product's layout and the reader's language with a way back; under /api/ the same
refusals answer as JSON in Chinese.

Personas: bob, reporter of unit B, who sees unit B's projects only (p1 is unit A's); alice,
the city dispatcher. This module is also the URLconf of its tests: the site's addresses and
a few that fail on purpose, which the site itself does not have.
"""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path

from tiaodu.api import api

HOME = 'href="/" class="btn btn-primary" data-testid="error-home"'


class Broken(Exception):
    """What a view raises when something unexpected happens."""


def refused_with_a_message(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("只有项目单位的填报员可以填报。")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def unreadable(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


def broken(request: HttpRequest) -> HttpResponse:
    raise Broken("the server fails")


urlpatterns = [
    path("failing/refused-with-a-message/", refused_with_a_message),
    path("failing/refused/", refused),
    path("failing/unreadable/", unreadable),
    path("failing/broken/", broken),
    path("api/failing/broken/", broken),
    path("", include("tiaodu.urls")),
]
# The site's handlers, as tiaodu/urls.py names them.
handler400 = "tiaodu.core.error_views.bad_request"
handler403 = "tiaodu.core.error_views.permission_denied"
handler404 = "tiaodu.core.error_views.page_not_found"
handler500 = "tiaodu.core.error_views.server_error"

pytestmark = pytest.mark.urls(__name__)


def page(response: Any) -> str:
    return response.content.decode()


# --- 404 -------------------------------------------------------------------------------------


def test_an_address_that_does_not_exist_is_a_chinese_page_in_the_layout(world: Any) -> None:
    client = Client()
    client.force_login(world.alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert '<p class="empty-title h2" data-testid="error-title">页面不存在</p>' in html
    assert (
        "地址有误，或该内容不在您的账号可查看的范围内。请检查地址，或返回上一页重新选择。" in html
    )
    assert "返回首页" in html and HOME in html
    # The product's layout: the top bar and the signed-in user's menu.
    assert 'data-testid="bell"' in html and "Not Found" not in html


def test_a_project_outside_the_scope_is_the_same_page(world: Any) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.get(f"/projects/{world.projects['p1'].pk}/")
    assert response.status_code == 404
    assert "页面不存在" in page(response) and HOME in page(response)


def test_the_way_back_is_the_page_the_reader_came_from_on_this_site(world: Any) -> None:
    client = Client()
    client.force_login(world.alice)
    back = client.get("/no-such-page/", HTTP_REFERER="http://testserver/projects/?year=2026")
    assert 'href="/projects/?year=2026" class="btn" data-testid="error-back"' in page(back)
    assert "返回上一页" in page(back)
    elsewhere = client.get("/no-such-page/", HTTP_REFERER="https://example.com/projects/")
    assert 'data-testid="error-back"' not in page(elsewhere)
    assert HOME in page(elsewhere)


def test_the_page_follows_the_readers_language(world: Any) -> None:
    client = Client()
    client.force_login(world.alice)
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in page(response) and "Back to the home page" in page(response)


# --- 403 -------------------------------------------------------------------------------------


def test_a_refusal_says_its_own_message(world: Any) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.get("/failing/refused-with-a-message/")
    assert response.status_code == 403
    html = page(response)
    assert '<p class="empty-title h2" data-testid="error-title">无权操作</p>' in html
    assert "只有项目单位的填报员可以填报。" in html and HOME in html


def test_a_refusal_without_a_message_says_whom_to_ask(world: Any) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.get("/failing/refused/")
    assert response.status_code == 403
    assert "您的账号无权执行此操作。如工作需要，请联系本单位调度员或系统管理员。" in page(response)


def test_a_failed_csrf_check_on_sign_in_is_a_chinese_page_with_a_way_back(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "wrong"},
        HTTP_REFERER="http://testserver/accounts/login/",
    )
    assert response.status_code == 403
    html = page(response)
    assert '<p class="empty-title h2" data-testid="error-title">页面已过期</p>' in html
    assert "请返回上一页，刷新后重新提交。" in html
    assert 'href="/accounts/login/" class="btn" data-testid="error-back"' in html
    assert HOME in html
    assert "CSRF cookie not set" not in html and "Forbidden" not in html


# --- 400 and 500 ------------------------------------------------------------------------------


def test_an_unreadable_request_is_a_chinese_page(world: Any) -> None:
    response = Client().get("/failing/unreadable/")
    assert response.status_code == 400
    html = page(response)
    assert '<p class="empty-title h2" data-testid="error-title">请求无法识别</p>' in html
    assert "发送的地址或表单无法识别。" in html and HOME in html


def test_a_server_error_is_a_chinese_page_that_needs_neither_database_nor_user(
    world: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get("/failing/broken/")
    assert response.status_code == 500
    html = page(response)
    assert '<p class="empty-title h2" data-testid="error-title">服务器出错了</p>' in html
    assert "服务器未能完成此次请求，本次请求未作任何更改。" in html
    assert 'data-testid="error-time">时间：' in html and HOME in html
    # Signed in, the page is the same bare one: no navigation, no user.
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    signed_in = page(client.get("/failing/broken/"))
    assert "服务器出错了" in signed_in
    assert 'data-testid="bell"' not in signed_in and "alice" not in signed_in.lower()


# --- the API ----------------------------------------------------------------------------------


def test_api_404s_answer_json_in_chinese(world: Any) -> None:
    client = Client()
    client.force_login(world.bob)
    message = "地址有误，或该内容不在您的账号可查看的范围内。请检查地址，或返回上一页重新选择。"
    body = {"detail": message, "messages": [message], "fields": {}}
    outside = client.get(f"/api/v1/projects/{world.projects['p1'].pk}")
    assert (outside.status_code, outside.json()) == (404, body)
    nowhere = client.get("/api/v1/no-such-thing/")
    assert (nowhere.status_code, nowhere["Content-Type"], nowhere.json()) == (
        404,
        "application/json",
        body,
    )


def test_api_403_of_a_failed_csrf_check_answers_json_in_chinese(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.rita)
    response = client.post("/api/v1/reports/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("表单未能提交：页面打开时间过长")
    assert response.json()["messages"] == [response.json()["detail"]]


def test_api_500s_answer_json_in_chinese(world: Any) -> None:
    message = (
        "服务器未能完成此次请求，本次请求未作任何更改。请稍后重试；如问题持续出现，"
        "请将下方显示的时间告知系统管理员。"
    )
    # Outside the API's own routes (Django's handler) ...
    response = Client(raise_request_exception=False).get("/api/failing/broken/")
    assert (response.status_code, response.json()["detail"]) == (500, message)
    # ... and inside them (the API's handler), without the traceback.
    request = RequestFactory().get("/api/v1/projects/")
    answer = api.on_exception(request, Broken("the server fails"))
    assert answer.status_code == 500
    assert json.loads(answer.content) == {"detail": message, "messages": [message], "fields": {}}


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_schema_is_for_signed_in_users_only(client, world, url):
    """The schema describes the site's data: a visitor is sent to sign in; a user reads it."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(world.rita)
    assert client.get(url).status_code == 200


def test_pages_and_downloads_for_a_signed_in_user_are_not_stored(client, world):
    """No cache keeps business data: the library, its Excel export, the API."""
    client.force_login(world.alice)
    for url in ["/projects/", "/projects/export.xlsx?year=2026", "/api/v1/projects/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url
    # A visitor's sign-in page is not business data, and keeps Django's own headers.
    client.logout()
    assert "no-store" not in client.get("/accounts/login/").get("Cache-Control", "")
