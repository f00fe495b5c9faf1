/* The photo and video viewer of a project's reports: a Tabler modal opened from a
   thumbnail, with the previous and next file of the same report (buttons, arrow keys).
   The thumbnails link to the files themselves, so that without scripts a click opens them. */
(function () {
  "use strict";
  const viewer = document.getElementById("photo-viewer");
  if (!viewer) return;
  const image = document.getElementById("viewer-image");
  const video = document.getElementById("viewer-video");
  const title = document.getElementById("viewer-title");
  const taken = document.getElementById("viewer-taken");
  const place = document.getElementById("viewer-place");
  const count = document.getElementById("viewer-count");
  const previous = document.getElementById("viewer-prev");
  const next = document.getElementById("viewer-next");
  let items = [];
  let index = 0;

  function stopVideo() {
    video.pause();
    video.removeAttribute("src");
    video.load();
  }

  function show(position) {
    if (!items.length) return;
    index = (position + items.length) % items.length;
    const item = items[index];
    const isVideo = item.dataset.kind === "video";
    if (isVideo) {
      image.classList.add("d-none");
      image.removeAttribute("src");
      video.classList.remove("d-none");
      video.src = item.dataset.src;
    } else {
      stopVideo();
      video.classList.add("d-none");
      image.classList.remove("d-none");
      image.src = item.dataset.src;
      image.alt = item.getAttribute("title") || "";
    }
    title.textContent = item.dataset.title || "";
    taken.textContent = item.dataset.taken || "";
    place.textContent = item.dataset.place || "";
    count.textContent = items.length > 1 ? (index + 1) + " / " + items.length : "";
    previous.classList.toggle("d-none", items.length < 2);
    next.classList.toggle("d-none", items.length < 2);
  }

  viewer.addEventListener("show.bs.modal", function (event) {
    const trigger = event.relatedTarget;
    if (!trigger) return;
    const group = trigger.closest("[data-viewer-group]");
    items = Array.from((group || document).querySelectorAll("[data-viewer-item]"));
    show(Math.max(items.indexOf(trigger), 0));
  });
  viewer.addEventListener("hidden.bs.modal", stopVideo);
  previous.addEventListener("click", function () { show(index - 1); });
  next.addEventListener("click", function () { show(index + 1); });
  viewer.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") show(index - 1);
    if (event.key === "ArrowRight") show(index + 1);
  });
})();
