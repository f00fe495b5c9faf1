/* A visit's photos: each chosen file is sent on its own (XMLHttpRequest, so that its
   progress shows) and appears in the grid once stored; a refused file says why. Without
   scripts the form sends all the chosen files at once. Texts come from data-msg-*. */
(function () {
  "use strict";
  var form = document.getElementById("photo-form");
  if (!form) { return; }
  var input = document.getElementById("photo-input");
  var progress = document.getElementById("photo-progress");
  var grid = document.getElementById("visit-photos");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var msg = function (key) { return form.dataset["msg" + key] || ""; };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function tile(photo) {
    var col = el("div", "col-6 col-sm-4 col-lg-3");
    var card = el("div", "card card-sm h-100");
    var link = el("a", "d-block td-thumb");
    link.href = photo.url; link.target = "_blank";
    var img = el("img"); img.src = photo.thumbnail; img.alt = photo.name;
    link.appendChild(img);
    var body = el("div", "card-body p-2");
    body.appendChild(el("div", "small text-truncate", photo.name));
    body.appendChild(el("div", "small text-success", msg("Done")));
    card.appendChild(link); card.appendChild(body); col.appendChild(card);
    return col;
  }

  function send(file) {
    var row = el("div", "col-12");
    var bar = el("div", "progress progress-sm my-1");
    var fill = el("div", "progress-bar"); fill.style.width = "0%";
    bar.appendChild(fill);
    var status = el("div", "small text-secondary", msg("Uploading"));
    row.appendChild(el("div", "small text-truncate", file.name)); row.appendChild(bar); row.appendChild(status);
    progress.appendChild(row);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { fill.style.width = Math.round(100 * event.loaded / event.total) + "%"; }
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
      if (xhr.status === 201 && data.photos) {
        row.remove();
        var empty = document.getElementById("no-photos");
        if (empty) { empty.remove(); }
        data.photos.forEach(function (photo) { grid.appendChild(tile(photo)); });
        var count = document.getElementById("photo-count");
        if (count) { count.textContent = String(parseInt(count.textContent, 10) + data.photos.length); }
      } else {
        fill.classList.add("bg-danger"); fill.style.width = "100%";
        status.className = "small text-danger"; status.textContent = data.error || msg("Failed");
      }
    });
    xhr.addEventListener("error", function () {
      fill.classList.add("bg-danger"); fill.style.width = "100%";
      status.className = "small text-danger"; status.textContent = msg("Network");
    });
    var body = new FormData();
    body.append("photos", file, file.name);
    xhr.send(body);
  }

  input.addEventListener("change", function () {
    Array.prototype.forEach.call(input.files, send);
    input.value = "";
  });
})();
