// The Propose page: while a proposal is queued or running, ask for its status every 1.5 s and
// reload when it is done or failed; show that the search runs once "Propose" is pressed.
(function () {
  "use strict";
  var form = document.querySelector("[data-propose-form]");
  if (form) {
    form.addEventListener("submit", function () {
      var progress = form.querySelector("[data-propose-progress]");
      var button = form.querySelector("[data-propose-button]");
      if (progress) progress.hidden = false;
      if (button) button.disabled = true;
    });
  }
  var section = document.querySelector("[data-proposal-status]");
  if (!section) return;
  var url = section.getAttribute("data-proposal-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
