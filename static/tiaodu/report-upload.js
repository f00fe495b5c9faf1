/* Report photos and videos: each chosen file is sent on its own (XMLHttpRequest, so that the
   upload's progress shows), with a retry button when it fails and a remove button when done.
   The texts come from the page (data-msg-*), in the user's language. */
(function () {
  "use strict";
  var box = document.getElementById("uploader");
  if (!box) { return; }
  var input = document.getElementById("file-input");
  var progress = document.getElementById("upload-progress");
  var files = document.getElementById("report-files");
  var csrf = document.querySelector("#report-form [name=csrfmiddlewaretoken]").value;
  var msg = function (key) { return box.dataset["msg" + key] || ""; };
  // Each file's key: the page's form key and the file's number; a retry sends the same key,
  // so a file whose answer was lost on the way is not stored twice.
  var pageKey = box.querySelector("[name=idempotency_key]").value;
  var sent = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function tileFor(data) {
    var col = el("div", "col-6 col-sm-4 col-lg-3");
    col.dataset.file = data.id;
    var card = el("div", "card card-sm h-100");
    var link = el("a", "d-block td-thumb");
    link.href = data.url; link.target = "_blank";
    if (data.thumbnail) {
      var img = el("img"); img.src = data.thumbnail; img.alt = data.name; link.appendChild(img);
    } else {
      var icon = el("span", "td-thumb-icon");
      icon.appendChild(el("i", "ti ti-" + (data.kind === "video" ? "movie" : "photo")));
      link.appendChild(icon);
    }
    var body = el("div", "card-body p-2");
    body.appendChild(el("div", "small text-truncate", data.name));
    var remove = el("button", "btn btn-outline-danger w-100 mt-1", msg("Remove"));
    remove.type = "button";
    remove.addEventListener("click", function () { removeFile(data.remove, col); });
    body.appendChild(remove);
    card.appendChild(link); card.appendChild(body); col.appendChild(card);
    return col;
  }

  function removeFile(url, col) {
    if (!window.confirm(msg("Confirm"))) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    fetch(url, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        if (result[0]) { col.remove(); } else { window.alert(result[1].error || msg("Failed")); }
      })
      .catch(function () { window.alert(msg("Network")); });
  }

  function send(file) {
    sent += 1;
    var key = pageKey + "-" + sent;
    var row = el("div", "col-12 td-upload");
    var name = el("div", "small text-truncate", file.name);
    var bar = el("div", "progress progress-sm my-1");
    var fill = el("div", "progress-bar"); fill.style.width = "0%"; fill.setAttribute("role", "progressbar");
    fill.setAttribute("aria-label", file.name);
    bar.appendChild(fill);
    var status = el("div", "small text-secondary", msg("Uploading"));
    row.appendChild(name); row.appendChild(bar); row.appendChild(status);
    progress.appendChild(row);

    function attempt() {
      fill.classList.remove("bg-danger"); fill.style.width = "0%";
      status.className = "small text-secondary"; status.textContent = msg("Uploading");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", box.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { fill.style.width = Math.round(100 * event.loaded / event.total) + "%"; }
      });
      xhr.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status === 201) {
          row.remove();
          files.appendChild(tileFor(data));
        } else if (xhr.status === 400 && data.error) {
          refused(data.error);
        } else {
          failed(data.error || msg("Failed"));
        }
      });
      xhr.addEventListener("error", function () { failed(msg("Network")); });
      var body = new FormData();
      body.append("file", file, file.name);
      body.append("idempotency_key", key);
      xhr.send(body);
    }

    // Refused for what the file is: sending it again would not help; the row can be closed.
    function refused(text) {
      fill.classList.add("bg-danger"); fill.style.width = "100%";
      status.className = "text-danger"; status.textContent = text;
      var close = el("button", "btn btn-outline-secondary mt-1", msg("Dismiss"));
      close.type = "button"; close.dataset.testid = "dismiss";
      close.addEventListener("click", function () { row.remove(); });
      status.appendChild(document.createElement("br"));
      status.appendChild(close);
    }

    // Failed on the way (network, server): the same file may be sent again.
    function failed(text) {
      fill.classList.add("bg-danger"); fill.style.width = "100%";
      status.className = "text-danger"; status.textContent = text;
      var again = el("button", "btn btn-outline-primary mt-1", msg("Retry"));
      again.type = "button"; again.dataset.testid = "retry";
      again.addEventListener("click", function () { again.remove(); attempt(); });
      status.appendChild(document.createElement("br"));
      status.appendChild(again);
    }
    attempt();
  }

  input.addEventListener("change", function () {
    Array.prototype.forEach.call(input.files, send);
    input.value = "";
  });
})();
