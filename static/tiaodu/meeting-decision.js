/* A decision form shows the fields of the chosen outcome only: department, handler and
   deadline to assign; the resolution to resolve. Without a choice, none of them. */
(function () {
  "use strict";
  document.querySelectorAll("[data-decision-form]").forEach(function (form) {
    function update() {
      var checked = form.querySelector("input[type=radio]:checked");
      var outcome = checked ? checked.value : "";
      form.querySelectorAll("[data-for]").forEach(function (part) {
        part.classList.toggle("d-none", part.getAttribute("data-for") !== outcome);
      });
    }
    form.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
})();
