/* What small things pages do, declared in the templates by data attributes: the
   Content-Security-Policy (docs/security.md) runs scripts from the site's own files only, so no
   template carries an inline script or an on… handler.

   - select[data-submit-on-change]: choosing submits its form; data-clear="name" first empties
     the form's field of that name (the board's period when the cycle changes).
   - form[data-confirm]: asks the question before the form is sent;
     button[data-confirm]: asks before that button sends its form.
   - [data-print]: prints the page.
   - input[data-check-all="name"]: checks or clears every checkbox named so.
   - button[data-toggle-expanded]: turns its aria-expanded between true and false.
   - [data-refreshed-url]: the notice of figures shown from before a change asks that address
     every few seconds whether the new ones are computed, then shows its [data-refreshed-ready]
     link (a reload) in place of its [data-refreshed-waiting] words; it stops asking after a
     few minutes or on an answer it does not know. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof Element) || !field.matches("[data-submit-on-change]") || !field.form) {
      return;
    }
    var clear = field.dataset.clear;
    if (clear && field.form.elements[clear]) { field.form.elements[clear].value = ""; }
    field.form.submit();
  });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) { return; }
    var el = event.target.closest(
      "[data-print], [data-check-all], [data-toggle-expanded], button[data-confirm]");
    if (!el) { return; }
    if (el.matches("[data-print]")) {
      window.print();
    } else if (el.matches("[data-check-all]")) {
      document.querySelectorAll("input[type=checkbox][name='" + el.dataset.checkAll + "']")
        .forEach(function (box) { box.checked = el.checked; });
    } else if (el.matches("[data-toggle-expanded]")) {
      el.setAttribute("aria-expanded",
        el.getAttribute("aria-expanded") === "true" ? "false" : "true");
    } else if (!window.confirm(el.dataset.confirm)) {
      event.preventDefault();
    }
  });

  var REFRESH_EVERY_MS = 3000;
  var REFRESH_TRIES = 60;
  function awaitRefresh(notice, tries) {
    fetch(notice.dataset.refreshedUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.ready) {
          var ready = notice.querySelector("[data-refreshed-ready]");
          var waiting = notice.querySelector("[data-refreshed-waiting]");
          if (ready) { ready.hidden = false; }
          if (waiting) { waiting.hidden = true; }
        } else if (answer && tries > 1) {
          window.setTimeout(function () { awaitRefresh(notice, tries - 1); }, REFRESH_EVERY_MS);
        }
      })
      .catch(function () { /* offline or signed out: the notice stays as it is */ });
  }
  document.querySelectorAll("[data-refreshed-url]").forEach(function (notice) {
    window.setTimeout(function () { awaitRefresh(notice, REFRESH_TRIES); }, REFRESH_EVERY_MS);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.matches("form[data-confirm]")
        && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
}());
