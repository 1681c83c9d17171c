// The survey builder: drag a question card by its handle to reorder. The "Move up" and "Move
// down" buttons do the same with the keyboard and without this script.
(function () {
  "use strict";

  var list = document.querySelector("ol.questions[data-reorder-url]");
  if (!list) return;
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var status = document.getElementById("reorder-status");
  var dragged = null;

  list.querySelectorAll(".question-card").forEach(function (card) {
    var handle = card.querySelector(".drag-handle");
    if (!handle) return;
    handle.hidden = false;
    handle.setAttribute("draggable", "true");
    handle.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("is-dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.question);
    });
    handle.addEventListener("dragend", function () {
      card.classList.remove("is-dragged");
    });
    card.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault(); // a drop is allowed anywhere on the list, the dragged card too
      if (dragged === card) return;
      var box = card.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? card.nextSibling : card);
    });
    card.addEventListener("drop", function (event) {
      event.preventDefault();
    });
  });

  list.addEventListener("drop", function () {
    if (!dragged) return;
    dragged = null;
    var order = Array.prototype.map.call(list.querySelectorAll(".question-card"), function (card) {
      return card.dataset.question;
    });
    var body = new URLSearchParams({ order: order.join(",") });
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).then(function (response) {
      if (response.ok) {
        window.location.reload();
        return;
      }
      return response.text().then(function (text) {
        if (status) status.textContent = text;
      });
    });
  });
})();
