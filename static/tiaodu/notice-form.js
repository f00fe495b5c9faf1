/* The issue form: the sponsoring leader only for a warning letter, and the response
   deadline proposed for the kind until the dispatcher types a date of their own. */
(function () {
  "use strict";
  var form = document.getElementById("notice-form");
  if (!form) return;
  var deadlines = JSON.parse(document.getElementById("notice-deadlines").textContent);
  var leader = document.getElementById("leader-field");
  var deadline = form.querySelector("[name=response_deadline]");
  var proposed = deadline ? deadline.value : "";
  function kind() {
    var checked = form.querySelector("[name=kind]:checked");
    return checked ? checked.value : "";
  }
  function update() {
    if (leader) leader.classList.toggle("d-none", kind() !== "warning_letter");
    if (deadline && deadlines[kind()] && (deadline.value === "" || deadline.value === proposed)) {
      deadline.value = deadlines[kind()];
      proposed = deadline.value;
    }
  }
  form.querySelectorAll("[name=kind]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
