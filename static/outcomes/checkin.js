/* The coordinator's check-in: marks are kept on the phone (localStorage) first, then sent.
   With no signal they wait; when the phone is back online (or every 20 s) the queue is sent
   and each mark the server has taken is forgotten. Each mark carries its own id and the moment
   it was made, so a mark sent twice is one mark on the server and a later tap wins. */
(function () {
  "use strict";
  var root = document.querySelector("[data-checkin]");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-marks-url");
  var key = "checkin-queue:" + url;
  var status = root.querySelector("[data-checkin-status]");
  var sending = false;

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function save(queue) {
    window.localStorage.setItem(key, JSON.stringify(queue));
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function row(visit, participant) {
    return root.querySelector('[data-visit="' + visit + '"] [data-participant="' + participant + '"]');
  }

  function show(item, present, pending) {
    if (!item) {
      return;
    }
    item.setAttribute("data-state", present ? "present" : "absent");
    item.setAttribute("data-pending", pending ? "true" : "false");
    item.querySelector(".checkin-present").setAttribute("aria-pressed", present ? "true" : "false");
    item.querySelector(".checkin-absent").setAttribute("aria-pressed", present ? "false" : "true");
  }

  function showQueue() {
    var queue = load();
    root.querySelectorAll("[data-pending=true]").forEach(function (item) { item.setAttribute("data-pending", "false"); });
    queue.forEach(function (mark) { show(row(mark.visit, mark.participant), mark.present, true); });
    if (!status) {
      return;
    }
    status.classList.toggle("is-waiting", queue.length > 0);
    if (queue.length > 0) {
      status.textContent = root.getAttribute("data-text-waiting").replace("{count}", queue.length);
    }
  }

  function flush() {
    var queue = load();
    if (sending || queue.length === 0 || navigator.onLine === false) {
      return;
    }
    sending = true;
    root.setAttribute("data-sync", "sending");
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ marks: queue }),
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      var done = {};
      (answer.accepted || []).forEach(function (id) { done[id] = true; });
      (answer.refused || []).forEach(function (item) { done[item.id] = true; });
      // Marks tapped while the request was under way stay in the queue.
      save(load().filter(function (mark) { return !done[mark.id]; }));
      sending = false;
      showQueue();
      if (status && load().length === 0) {
        var refused = answer.refused || [];
        status.textContent = refused.length
          ? root.getAttribute("data-text-refused") + " " + refused[0].reason
          : root.getAttribute("data-text-sent");
      }
      root.setAttribute("data-sync", load().length ? "waiting" : "done");
    }).catch(function () {
      sending = false;
      root.setAttribute("data-sync", "waiting");
      showQueue();
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-present]");
    if (!button) {
      return;
    }
    var item = button.closest("[data-participant]");
    var visit = button.closest("[data-visit]");
    var mark = {
      id: newId(),
      visit: parseInt(visit.getAttribute("data-visit"), 10),
      participant: parseInt(item.getAttribute("data-participant"), 10),
      present: button.getAttribute("data-present") === "true",
      marked_at: new Date().toISOString(),
    };
    var queue = load();
    queue.push(mark);
    save(queue);
    show(item, mark.present, true);
    showQueue();
    flush();
  });

  showQueue();
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, 20000);
})();
