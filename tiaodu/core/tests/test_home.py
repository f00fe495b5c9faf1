"""Each role's home page shows what that role works on, and nothing it may not read."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "persona, shown, hidden",
    [
        ("alice", ["黄岛港区集装箱码头三期", "崂山科创园一期", "市南区老旧小区改造"], []),
        ("dora", ["黄岛港区集装箱码头三期"], ["崂山科创园一期", "市南区老旧小区改造"]),
        ("bob", ["崂山科创园一期"], ["黄岛港区集装箱码头三期"]),
        # A leader's home is the dashboard of the projects the leader may read.
        ("leo", ['data-testid="home-dashboard"'], ["崂山科创园一期", "崂山区"]),
        ("sysadmin", ["/administration/units/"], ["黄岛港区集装箱码头三期"]),
        ("secadmin", ["/accounts/locks/"], ["黄岛港区集装箱码头三期"]),
        ("auditor", ["/audit/"], ["黄岛港区集装箱码头三期"]),
    ],
)
def test_home_by_role(world, client, persona, shown, hidden):
    client.force_login(world.users[persona])
    html = client.get(reverse("core:home")).content.decode()
    for text in shown:
        assert text in html, (persona, text)
    for text in hidden:
        assert text not in html, (persona, text)


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
