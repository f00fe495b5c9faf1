"""The management area shows no traces of Django's change log, which is not kept."""


def test_no_recent_actions_or_history_button(world, client):
    client.force_login(world.sysadmin)
    index = client.get("/manage/")
    page = client.get(f"/manage/accounts/orgunit/{world.huangdao.pk}/change/")
    assert index.status_code == page.status_code == 200
    assert 'id="recent-actions-module"' not in index.content.decode()
    html = page.content.decode()
    assert "黄岛区" in html
    assert "/history/" not in html
