/* The visit form: the sum of the score's parts as they are typed, and the names of the
   photos chosen. The texts come from the page (data-msg-*), in the user's language; without
   scripts the form works the same, and the server adds the parts up. */
(function () {
  "use strict";
  var card = document.getElementById("score-card");
  var sum = document.getElementById("score-sum");
  if (card && sum) {
    var parts = card.querySelectorAll("input[name^='score_']");
    var update = function () {
      var total = 0, filled = 0;
      parts.forEach(function (input) {
        var value = parseFloat(input.value);
        if (!isNaN(value)) { total += value; filled += 1; }
      });
      sum.textContent = filled ? card.dataset.msgSum + ": " + (Math.round(total * 10) / 10) : "";
    };
    parts.forEach(function (input) { input.addEventListener("input", update); });
    update();
  }
  var input = document.querySelector("#visit-form input[type=file]");
  var chosen = document.getElementById("chosen-photos");
  if (input && chosen) {
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      chosen.textContent = names.length
        ? chosen.dataset.msgCount.replace("{count}", names.length) + " " + names.join("、")
        : chosen.dataset.msgNone;
    });
  }
})();
