// Send-outs: follow a running send-out's progress; copy a personal link. Pages work without it.
(function () {
  "use strict";

  // Every element with data-progress-url polls its send-out's counts until nothing is waiting,
  // then reloads the page once so that the list of messages shows their final state.
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector('[data-progress="bar"]');
    var text = box.querySelector('[data-progress="text"]');
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (progress) {
          if (!progress) return;
          if (bar) {
            bar.max = progress.total || 1;
            bar.value = progress.sent;
          }
          if (text) text.textContent = progress.text;
          if (progress.done) {
            window.location.reload();
          } else {
            window.setTimeout(tick, 2000);
          }
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    };
    window.setTimeout(tick, 1500);
  });

  // A form that cannot be undone (a new personal link) asks once more.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // A Copy button copies the value of the field it names (data-copy="field-id").
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
          document.execCommand("copy");
          done();
        });
      } else {
        field.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
