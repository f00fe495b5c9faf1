/* A searchable list of checkboxes: [data-checklist] holds the items ([data-search] text),
   [data-checklist-search] filters them, [data-checklist-count] counts the ticked ones and
   [data-checklist-none] shows when nothing matches. Several lists may share a page. */
(function () {
  "use strict";
  function setUp(list) {
    var root = list.closest("[data-checklist-root]") || document;
    var search = root.querySelector("[data-checklist-search]");
    var count = root.querySelector("[data-checklist-count]");
    var none = root.querySelector("[data-checklist-none]");
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-search]"));
    function recount() {
      if (count) count.textContent = list.querySelectorAll("input:checked").length;
    }
    function filter() {
      var words = (search ? search.value : "").trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-search").toLowerCase();
        var ticked = item.querySelector("input").checked;
        var match = ticked || words.every(function (w) { return text.indexOf(w) !== -1; });
        item.classList.toggle("d-none", !match);
        if (match) shown += 1;
      });
      if (none) none.classList.toggle("d-none", shown > 0 || items.length === 0);
    }
    if (search) {
      search.addEventListener("input", filter);
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();  // Enter filters; it does not submit
      });
    }
    list.addEventListener("change", recount);
    recount();
    filter();
  }
  document.querySelectorAll("[data-checklist]").forEach(setUp);
})();
