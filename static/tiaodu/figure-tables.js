/* The statistics page's tables on a phone and on paper. A [data-columns-toggle] button shows
   or hides the columns marked .td-col-more of its .td-columns card (hidden on a narrow
   screen until asked for, see tiaodu.css). Its [data-print] button prints the page
   (behaviours.js). */
(function () {
  "use strict";
  document.querySelectorAll("[data-columns-toggle]").forEach(function (button) {
    var card = button.closest(".td-columns");
    if (!card) return;
    button.addEventListener("click", function () {
      var all = card.classList.toggle("td-all-columns");
      button.setAttribute("aria-expanded", all ? "true" : "false");
      button.textContent = all ? button.dataset.fewer : button.dataset.more;
    });
  });
})();
