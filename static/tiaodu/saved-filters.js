// The 我的视图 control of a list's filter bar (includes/saved_filters.html): the view saved
// is the query string the page shows now (htmx keeps it in the address bar as the filters
// change); once the filters change, the chip naming the opened view goes away.
(function () {
  "use strict";
  document.querySelectorAll("form[data-td-save-view]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelector("input[name=query]").value = window.location.search.replace(/^\?/, "");
    });
  });
  var filters = document.getElementById("filters");
  if (filters) {
    var hide = function () {
      document.querySelectorAll("[data-td-view-chip]").forEach(function (chip) { chip.remove(); });
    };
    filters.addEventListener("change", hide);
    filters.addEventListener("input", hide);
  }
})();
