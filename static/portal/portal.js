// Progressive enhancement for the organiser pages. Everything works without it.
(function () {
  "use strict";

  // Visit form: "All groups" ticks or clears every group checkbox.
  document.querySelectorAll("#groups-fieldset").forEach(function (fieldset) {
    var all = fieldset.querySelector(".all-groups input[type=checkbox]");
    var boxes = Array.prototype.slice.call(fieldset.querySelectorAll(".checklist input[type=checkbox]"));
    if (!all || !boxes.length) return;
    var sync = function () {
      all.checked = boxes.every(function (box) { return box.checked; });
    };
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });

  // Board: picking a day in the list opens it.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Printable pages: a Print button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Board: bring the visit just saved (#visit-ID) into view and focus it.
  var match = window.location.hash.match(/^#visit-(\d+)$/);
  if (match) {
    var block = document.querySelector('.block[data-visit="' + match[1] + '"]');
    if (block) {
      block.scrollIntoView({ block: "center", inline: "center" });
      block.focus();
    }
  }
})();
