"""The management area shows no traces of Django's change log, which is not kept."""

from django.utils import translation


def test_no_recent_actions_or_history_button(world, client):
    client.force_login(world.sysadmin)
    with translation.override("en"):
        index = client.get("/manage/", HTTP_COOKIE="django_language=en").content.decode()
        page = client.get(
            f"/manage/accounts/orgunit/{world.huangdao.pk}/change/", HTTP_COOKIE="django_language=en"
        ).content.decode()
    assert 'id="recent-actions-module"' not in index
    assert "黄岛区" in page
    assert "/history/" not in page
