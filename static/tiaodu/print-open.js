// Printing opens the page's folded sections (<details data-print-open>), so that the sheet
// holds the rows the page folds away; they fold again after printing.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-print-open]:not([open])").forEach(function (item) {
      item.open = true;
      opened.push(item);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (item) { item.open = false; });
    opened = [];
  });
})();
