// The global search of the top bar (includes/search_box.html): the box is a combobox whose
// listbox htmx fills 300 ms after the typing stops. Arrow keys move through the options,
// Enter opens the one chosen (or the results page when none is), Esc closes the list; on a
// phone the icon opens the box.
(function () {
  "use strict";
  var form = document.getElementById("td-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var menu = document.getElementById("td-search-results");
  var toggle = document.querySelector(".td-search-toggle");

  function options() { return Array.prototype.slice.call(menu.querySelectorAll("[role=option]")); }
  function active() { return menu.querySelector("[aria-selected=true]"); }

  function open() {
    menu.classList.add("show");
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    menu.classList.remove("show");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    options().forEach(function (o) { o.setAttribute("aria-selected", "false"); });
  }
  function choose(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function move(step) {
    var list = options();
    if (!list.length) return;
    if (!menu.classList.contains("show")) open();
    var index = list.indexOf(active()) + step;
    if (index < 0) index = list.length - 1;
    if (index >= list.length) index = 0;
    choose(list[index]);
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Enter") {
      var option = menu.classList.contains("show") ? active() : null;
      if (option) { event.preventDefault(); window.location.href = option.href; }
    } else if (event.key === "Escape") {
      if (menu.classList.contains("show")) { event.preventDefault(); close(); }
      else if (form.classList.contains("td-search-open")) { closeBox(); }
    }
  });
  input.addEventListener("input", function () { if (!input.value.trim()) close(); });
  input.addEventListener("focus", function () { if (input.value.trim() && options().length) open(); });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== menu) return;
    if (input.value.trim() && menu.children.length) { open(); choose(null); } else { close(); }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target) && (!toggle || !toggle.contains(event.target))) close();
  });

  function closeBox() {
    close();
    form.classList.remove("td-search-open");
    if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      if (form.classList.toggle("td-search-open")) {
        toggle.setAttribute("aria-expanded", "true");
        input.focus();
      } else {
        closeBox();
      }
    });
  }
})();
