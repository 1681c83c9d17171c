/* The coordinator's check-in: marks are kept on the phone (localStorage) first, then sent.
   With no signal they wait; when the phone is back online (or every 20 s) the queue is sent
   and each mark the server has taken is forgotten. Each mark carries its own id and the moment
   it was made, so a mark sent twice is one mark on the server and a later tap wins.
   A member can also be marked present by scanning the check-in code on their personal page:
   the camera's frames are decoded on the phone (jsQR, static/outcomes/vendor/) and matched
   against the members' codes in the page (data-code), so a scan needs no signal either, and
   its mark goes through the same queue as a tap. */
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

  // A mark, tapped or scanned: kept on the phone, shown, then sent when there is a signal.
  function record(item, present) {
    var mark = {
      id: newId(),
      visit: parseInt(item.closest("[data-visit]").getAttribute("data-visit"), 10),
      participant: parseInt(item.getAttribute("data-participant"), 10),
      present: present,
      marked_at: new Date().toISOString(),
    };
    var queue = load();
    queue.push(mark);
    save(queue);
    show(item, mark.present, true);
    showQueue();
    flush();
  }

  // --- the scanner -----------------------------------------------------------------------
  var scanner = root.querySelector("[data-scanner]");
  var video = scanner && scanner.querySelector("[data-scanner-video]");
  var result = scanner && scanner.querySelector("[data-scanner-result]");
  var canvas = document.createElement("canvas");
  var scanning = null; // the visit's section while the camera is open for it
  var stream = null;
  var timer = null;

  function say(state, text) {
    scanner.setAttribute("data-scan-state", state);
    result.textContent = text;
  }

  function stopScan() {
    window.clearTimeout(timer);
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    scanning = null;
    if (video) {
      video.srcObject = null;
    }
    if (scanner) {
      scanner.hidden = true;
    }
    root.querySelectorAll("[data-scan]").forEach(function (button) { button.setAttribute("aria-expanded", "false"); });
  }

  // A decoded code: the member of the visit's list who holds it is marked present (once: a code
  // held before the camera frame after frame marks nobody twice); any other code marks nobody.
  function scanned(text) {
    var item = null;
    scanning.querySelectorAll("[data-code]").forEach(function (candidate) {
      if (candidate.getAttribute("data-code") === text) {
        item = candidate;
      }
    });
    if (!item) {
      say("unknown", root.getAttribute("data-text-scan-unknown"));
      return;
    }
    if (item.getAttribute("data-state") !== "present") {
      record(item, true);
      if (navigator.vibrate) {
        navigator.vibrate(80); // felt in the hand: the next person can step up
      }
    }
    var name = item.querySelector(".checkin-name").textContent;
    say("present", root.getAttribute("data-text-scan-present").replace("{name}", name));
  }

  // Five frames a second, scaled to at most 640 px wide: enough to read a code held up to the
  // phone, and little work for its battery.
  function scanFrame() {
    if (!stream) {
      return;
    }
    if (video.readyState >= 2 && video.videoWidth > 0) {
      var width = Math.min(640, video.videoWidth);
      var height = Math.round(video.videoHeight * width / video.videoWidth);
      canvas.width = width;
      canvas.height = height;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      var code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert",
      });
      if (code && code.data) {
        scanned(code.data);
      }
    }
    timer = window.setTimeout(scanFrame, 200);
  }

  // Open the rear camera in the viewfinder under the visit's "Scan a code" button. With no
  // camera, or the permission refused, the viewfinder says so and the list is tapped as before.
  function startScan(section, button) {
    stopScan();
    button.parentNode.after(scanner);
    scanner.hidden = false;
    button.setAttribute("aria-expanded", "true");
    scanner.querySelector("[data-scanner-visit]").textContent = section.querySelector("h2").textContent;
    video.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      say("no-camera", root.getAttribute("data-text-no-camera"));
      return;
    }
    scanning = section;
    say("starting", root.getAttribute("data-text-scan-hint"));
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (opened) {
      if (scanning !== section) { // stopped, or another visit's scan began, meanwhile
        opened.getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      stream = opened;
      video.srcObject = opened;
      video.hidden = false;
      video.play().catch(function () {});
      say("scanning", root.getAttribute("data-text-scan-hint"));
      scanFrame();
    }).catch(function (error) {
      if (scanning !== section) {
        return;
      }
      scanning = null;
      var refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      say(refused ? "refused" : "no-camera", root.getAttribute(refused ? "data-text-camera-refused" : "data-text-no-camera"));
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-present], button[data-scan], button[data-scanner-stop]");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-scan")) {
      startScan(button.closest("[data-visit]"), button);
    } else if (button.hasAttribute("data-scanner-stop")) {
      stopScan();
    } else {
      record(button.closest("[data-participant]"), button.getAttribute("data-present") === "true");
    }
  });
  // The camera is let go of when the coordinator leaves the page or the phone locks.
  window.addEventListener("pagehide", stopScan);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stopScan();
    }
  });

  showQueue();
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, 20000);
})();
