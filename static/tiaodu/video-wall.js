// The video wall and the roll call (docs/video.md): each [data-stream-tile] plays the HLS
// stream named in its data-stream with hls.js (Media Source), or natively where the browser
// plays HLS itself; a stream that fails shows the tile's "no signal" state, not a broken
// player. The buttons [data-stream-switch] of a tile's group switch its camera.
(function () {
  "use strict";

  // How long a stream may take to show its first picture before the tile says no signal.
  var FIRST_PICTURE_MS = 20000;

  function setState(tile, state) {
    tile.dataset.state = state;
  }

  function stop(tile) {
    if (tile.hlsPlayer) {
      tile.hlsPlayer.destroy();
      tile.hlsPlayer = null;
    }
    if (tile.watchdog) {
      window.clearTimeout(tile.watchdog);
      tile.watchdog = null;
    }
  }

  function noSignal(tile) {
    stop(tile);
    var video = tile.querySelector("video");
    if (video) {
      video.removeAttribute("src");
      video.load();
    }
    setState(tile, "no-signal");
  }

  function play(tile, url) {
    var video = tile.querySelector("video");
    stop(tile);
    if (!video || !url) {
      setState(tile, "none");
      return;
    }
    setState(tile, "loading");
    tile.watchdog = window.setTimeout(function () {
      if (tile.dataset.state === "loading") noSignal(tile);
    }, FIRST_PICTURE_MS);
    var Hls = window.Hls;
    if (Hls && Hls.isSupported()) {
      // No worker: the page's policy allows scripts from this site only (docs/security.md).
      var hls = new Hls({
        enableWorker: false,
        manifestLoadingMaxRetry: 1,
        levelLoadingMaxRetry: 1,
        fragLoadingMaxRetry: 2,
      });
      tile.hlsPlayer = hls;
      hls.on(Hls.Events.ERROR, function (event, data) {
        if (data.fatal) noSignal(tile);
      });
      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        var started = video.play();
        if (started && started.catch) started.catch(function () {});
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      var started = video.play();
      if (started && started.catch) started.catch(function () {});
    } else {
      noSignal(tile);
    }
  }

  function watch(tile) {
    var video = tile.querySelector("video");
    if (!video) return;
    video.addEventListener("playing", function () {
      if (tile.watchdog) window.clearTimeout(tile.watchdog);
      setState(tile, "playing");
    });
    video.addEventListener("error", function () {
      noSignal(tile);
    });
  }

  document.querySelectorAll("[data-stream-tile]").forEach(function (tile) {
    watch(tile);
    play(tile, tile.dataset.stream);
  });

  document.querySelectorAll("[data-stream-switch]").forEach(function (button) {
    button.addEventListener("click", function () {
      var group = button.closest("[data-stream-group]");
      var tile = group && group.querySelector("[data-stream-tile]");
      if (!tile) return;
      tile.dataset.stream = button.dataset.streamSwitch;
      var name = tile.querySelector("[data-stream-name]");
      if (name) name.textContent = button.dataset.name || "";
      play(tile, button.dataset.streamSwitch);
    });
  });
})();
