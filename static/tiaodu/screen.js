/* The big screen (docs/screen.md). The wall is laid out at 1920×1080 and scaled to fit
   the window; the main panel turns through its views (data-rotate seconds; ?view= or the
   keys 1–3 pin one, 0 or Escape turns again, the space bar pauses, the arrows step); the
   panels are fetched again every data-refresh seconds and swapped in without a reload. A
   response that is not the panels (a revoked display, a sign-in page) reloads the page,
   which then shows what the server says; a lost connection keeps the last figures and
   says since when. */
(function () {
  "use strict";
  const body = document.body;
  const wall = document.querySelector(".sc-wall");
  const main = document.getElementById("sc-body");
  const status = document.getElementById("sc-status");
  const bar = document.getElementById("sc-progress-bar");
  const pinMark = document.getElementById("sc-pinned");
  if (!wall || !main) return;
  const rotateMs = Math.max(2, Number(body.dataset.rotate) || 20) * 1000;
  const refreshMs = Math.max(5, Number(body.dataset.refresh) || 60) * 1000;
  const tabs = Array.prototype.slice.call(document.querySelectorAll("[data-tab]"));
  const views = tabs.map(function (tab) { return tab.dataset.tab; });
  let current = views.indexOf(body.dataset.view);
  let pinned = current >= 0;
  let paused = false;
  let turnedAt = Date.now();
  if (current < 0) current = 0;

  function fit() {
    const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    wall.style.transform = scale === 1 ? "" : "scale(" + scale + ")";
    wall.style.left = Math.max(0, (window.innerWidth - 1920 * scale) / 2) + "px";
    wall.style.top = Math.max(0, (window.innerHeight - 1080 * scale) / 2) + "px";
  }

  function show(index) {
    current = (index + views.length) % views.length;
    const name = views[current];
    main.querySelectorAll("[data-view]").forEach(function (view) {
      view.classList.toggle("is-active", view.dataset.view === name);
    });
    tabs.forEach(function (tab) { tab.classList.toggle("is-active", tab.dataset.tab === name); });
    body.dataset.current = name;
    turnedAt = Date.now();
    if (pinMark) pinMark.hidden = !pinned;
  }

  function progress() {
    if (!bar) return;
    const share = pinned || paused ? 1 : Math.min(1, (Date.now() - turnedAt) / rotateMs);
    bar.style.width = (share * 100).toFixed(1) + "%";
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function hhmmss(d) { return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()); }

  const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || "zh-CN", {
    year: "numeric", month: "long", day: "numeric", weekday: "long"
  });
  function clock() {
    const now = new Date();
    const time = document.getElementById("sc-clock-time");
    const date = document.getElementById("sc-clock-date");
    if (time) time.textContent = hhmmss(now);
    if (date) date.textContent = dateFormat.format(now);
  }

  function say(kind, when) {
    if (!status) return;
    status.textContent = (status.dataset[kind] || "")
      .replace("{time}", hhmmss(when)).replace("{seconds}", String(refreshMs / 1000));
    status.classList.toggle("is-offline", kind === "offline");
  }

  let updated = new Date();
  function refresh() {
    fetch(body.dataset.panels, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.headers.get("X-Tiaodu-Screen") !== "1") {
          if (response.status >= 500) throw new Error("server " + response.status);
          window.location.reload();
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        if (window.tiaoduCharts) window.tiaoduCharts.dispose(main);
        main.innerHTML = html;
        if (window.tiaoduCharts) window.tiaoduCharts.draw(main);
        show(current);
        updated = new Date();
        say("ok", updated);
      })
      .catch(function () { say("offline", updated); });
  }

  document.addEventListener("keydown", function (event) {
    const number = Number(event.key);
    if (number >= 1 && number <= views.length) {
      pinned = true;
      show(number - 1);
    } else if (event.key === "0" || event.key === "Escape") {
      pinned = false;
      show(current);
    } else if (event.key === " ") {
      paused = !paused;
      turnedAt = Date.now();
      event.preventDefault();
    } else if (event.key === "ArrowRight") {
      show(current + 1);
    } else if (event.key === "ArrowLeft") {
      show(current - 1);
    }
  });

  window.addEventListener("resize", fit);
  fit();
  show(current);
  clock();
  say("ok", updated);
  window.setInterval(clock, 1000);
  window.setInterval(function () {
    if (!pinned && !paused && Date.now() - turnedAt >= rotateMs) show(current + 1);
    progress();
  }, 250);
  window.setInterval(refresh, refreshMs);
})();
