"""The city dispatcher runs the dispatch meeting by video: on the video wall a project's
site camera plays a live HLS stream (a few seconds made with ffmpeg, served by the test
server) beside its figures and red card, and a camera whose stream does not answer says
无信号; then the meeting's roll call walks the red and lagging projects one by one, and
each decision goes into the meeting's minutes."""

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tiaodu.maps.tests.boundaries import cards
from tiaodu.projects import services as project_services
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.choices import MeetingKind
from tiaodu.testing import DESKTOP, PHONE, sign_in
from tiaodu.video import services

STREAM = "/static/e2e-stream/index.m3u8"


@pytest.fixture
def test_stream(tmp_path: Path) -> Iterator[Path]:
    """Six seconds of a test picture as HLS (H.264 in MPEG-TS, 2 s segments) in a temporary
    folder, served by the live server's static files (from STATIC_ROOT, where a
    link of this test's own name points to the folder while the test runs)."""
    folder = tmp_path / "stream"
    folder.mkdir()
    subprocess.run(
        [
            shutil.which("ffmpeg") or "ffmpeg", "-loglevel", "error", "-f", "lavfi",
            "-i", "testsrc=size=640x360:rate=25", "-t", "6", "-c:v", "libx264",
            "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-g", "25",
            "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod",
            "-f", "hls", str(folder / "index.m3u8"),
        ],
        check=True,
    )  # fmt: skip
    link = Path(settings.STATIC_ROOT) / "e2e-stream"
    link.unlink(missing_ok=True)
    link.symlink_to(folder, target_is_directory=True)
    try:
        yield folder
    finally:
        link.unlink()


def advancing(page: Page, video: Any) -> None:
    """The video shows a picture (readyState 2, HAVE_CURRENT_DATA, or more) and its time
    moves on."""
    expect(video).to_be_visible()
    page.wait_for_function(
        "(el) => el.readyState >= 2 && el.currentTime > 0.5", arg=video.element_handle()
    )
    first = video.evaluate("(el) => el.currentTime")
    page.wait_for_function(
        "([el, t]) => el.currentTime > t + 0.5", arg=[video.element_handle(), first]
    )


def test_the_dispatcher_runs_the_meeting_by_video(
    page: Page, world: Any, on_thursday: None, test_stream: Path, screenshots: Path
) -> None:
    p1, p2, p6 = (world.projects[key] for key in ("p1", "p2", "p6"))
    cards(world)  # p1 red in October
    project_services.update_project(
        actor=world.alice, project=p2, actual_start=dt.date(2026, 3, 10)
    )  # started, nothing done: lagging
    services.add_camera(
        actor=world.dora, project=p1, name="东大门", stream_url=STREAM,
        description="大门东侧立杆，朝向码头",
    )  # fmt: skip
    services.add_camera(
        actor=world.dora, project=p1, name="厂商平台", stream_url="https://yun.example.com/d/3001"
    )
    services.add_camera(
        actor=world.dora, project=p6, name="仓库北门", stream_url="/static/e2e-stream/gone.m3u8"
    )
    meeting = meeting_services.create_meeting(
        actor=world.alice,
        kind=MeetingKind.JOINT_MEETING,
        title="11月重大项目调度会",
        date=dt.date(2026, 11, 5),
        convening_unit=world.city,
        place="市智慧治理中心",
    )
    page.set_viewport_size({**DESKTOP, "height": 1100})
    sign_in(page, "alice")
    page.get_by_role("button", name="督查督办").click()
    page.get_by_role("link", name="视频墙").click()
    expect(page).to_have_url(re.compile(r"/video/$"))
    tiles = page.get_by_test_id("wall-tile")
    expect(tiles).to_have_count(2)
    live = tiles.filter(has_text=p1.name)
    advancing(page, live.get_by_test_id("stream-video"))
    expect(live.get_by_test_id("tile-card")).to_contain_text("红牌")
    expect(live.get_by_test_id("platform-link")).to_have_attribute("target", "_blank")
    dead = tiles.filter(has_text=p6.name)
    expect(dead.get_by_test_id("no-signal")).to_be_visible()
    expect(dead.get_by_test_id("no-signal")).to_contain_text("无信号")
    page.screenshot(path=screenshots / "video-wall.png", full_page=True)

    # The meeting's page leads to its roll call: p1 (red) first, then p2 (lagging).
    page.goto(f"/supervision/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("meeting-video")).to_contain_text("远程视频调度")
    page.screenshot(path=screenshots / "video-meeting.png", full_page=True)
    page.get_by_test_id("roll-call-link").click()
    expect(page.get_by_test_id("roll-call-position")).to_have_text("1 / 2")
    expect(page.get_by_test_id("roll-call-name")).to_have_text(p1.name)
    advancing(page, page.get_by_test_id("stream-video"))
    page.get_by_label("会议决定").fill("港航局牵头，11月20日前完成堆场用地调整。")
    page.screenshot(path=screenshots / "video-roll-call.png", full_page=True)
    page.get_by_role("button", name=re.compile("写入会议纪要")).click()
    expect(page.get_by_test_id("roll-call-position")).to_have_text("2 / 2")
    expect(page.get_by_test_id("roll-call-name")).to_have_text(p2.name)
    expect(page.get_by_test_id("no-camera")).to_be_visible()
    expect(page.get_by_test_id("tile-lagging")).to_be_visible()
    page.get_by_label("会议决定").fill("区住建局本周内报送开工后投资计划。")
    page.get_by_role("button", name=re.compile("写入会议纪要")).click()
    expect(page.get_by_test_id("roll-call-decision")).to_contain_text("区住建局")
    page.screenshot(path=screenshots / "video-roll-call-done.png", full_page=True)
    # The project's page: its 现场视频 tab, where the region's dispatcher adds a camera.
    page.goto(p2.get_absolute_url())
    page.get_by_role("tab", name="现场视频").click()
    expect(page.get_by_test_id("no-cameras")).to_be_visible()
    form = page.get_by_test_id("camera-form")
    form.get_by_label("摄像头名称").fill("南侧塔吊")
    form.get_by_label("视频流地址").fill("https://video.other.example/live/crane.m3u8")
    form.get_by_role("button", name="添加摄像头").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("TIAODU_VIDEO_ORIGINS")
    page.get_by_label("视频流地址").fill("/live/p2/crane.m3u8")
    page.get_by_label("安装位置及说明").fill("南侧围挡外，朝向 3 号楼")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("project-camera")).to_contain_text("南侧塔吊")
    page.screenshot(path=screenshots / "video-project-cameras.png", full_page=True)
    # On a phone the wall's tiles stack, the stream above its figures.
    page.set_viewport_size(PHONE)
    page.goto("/video/")
    advancing(
        page,
        page.get_by_test_id("wall-tile").filter(has_text=p1.name).get_by_test_id("stream-video"),
    )
    page.screenshot(path=screenshots / "video-wall-phone.png", full_page=True)
    meeting.refresh_from_db()
    assert meeting.minutes == (
        f"【{p1.name}】港航局牵头，11月20日前完成堆场用地调整。\n"
        f"【{p2.name}】区住建局本周内报送开工后投资计划。"
    )
