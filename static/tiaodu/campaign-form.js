/* The campaign form: a target row added in the page (from the formset's empty row, kept in a
   <template>) or removed (its "remove" box ticked and the row hidden), the unit beside each
   threshold following its indicator, and the lists drawn again when the plan year changes.
   Without scripts the form works the same: its buttons do these on the server. */
(function () {
  "use strict";
  var form = document.getElementById("campaign-form");
  if (!form) return;
  var units = JSON.parse(document.getElementById("campaign-units").textContent);
  var rows = form.querySelector("[data-rows]");
  var template = document.getElementById("target-row-template");
  var total = form.querySelector("[name=targets-TOTAL_FORMS]");

  function setUp(row) {
    var indicator = row.querySelector("select[name$='-indicator']");
    var unit = row.querySelector("[data-unit]");
    if (indicator && unit) {
      indicator.addEventListener("change", function () {
        unit.textContent = units[indicator.value] || "%";
      });
    }
    var box = row.querySelector("[data-remove-box]");
    var button = row.querySelector("[data-remove-row]");
    if (box && button) {
      box.classList.add("d-none");
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        box.querySelector("input").checked = true;
        row.classList.add("d-none");
      });
    }
  }
  rows.querySelectorAll("[data-target-row]").forEach(setUp);

  var add = form.querySelector("[data-add-row]");
  if (add && template && total) {
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var row = rows.lastElementChild;
      setUp(row);
      row.querySelector("select").focus();
    });
  }

  var year = form.querySelector("[name=year]");
  var reload = form.querySelector("[data-reload]");
  if (year && reload && !year.disabled) {
    reload.classList.add("d-none");
    year.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(reload);
      else reload.click();
    });
  }
})();
