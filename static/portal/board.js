// The schedule board (day view): drag a block to another time and, for a visit of one group, to
// another group's column; drag its bottom edge to change its end; or do the same from the
// keyboard. Each change is saved by the board's JSON endpoint (visits.views.board_move), which
// calls the scheduling service: a refusal puts the block back and says which visit and group
// clash. Without JavaScript the board still links every block to its form.
(function () {
  "use strict";

  var tools = document.getElementById("board-tools");
  var status = document.getElementById("board-status");
  var snapSelect = document.getElementById("board-snap");
  if (!tools || !status) return;
  var text = tools.dataset;
  var SNAP_KEY = "portal.board.snap";
  var DRAG_THRESHOLD = 4;

  if (snapSelect) {
    try {
      var saved = window.localStorage.getItem(SNAP_KEY);
      if (saved && snapSelect.querySelector('option[value="' + saved + '"]')) snapSelect.value = saved;
      snapSelect.addEventListener("change", function () { window.localStorage.setItem(SNAP_KEY, snapSelect.value); });
    } catch (e) { /* storage refused: the default stays */ }
  }

  function snap() { return parseInt(snapSelect && snapSelect.value, 10) || 15; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(minutes) {
    var m = ((minutes % 1440) + 1440) % 1440;
    return pad(Math.floor(m / 60)) + ":" + pad(m % 60);
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function say(message, kind) {
    status.textContent = message;
    status.className = "board-status" + (kind ? " is-" + kind : "");
  }
  function csrf() {
    var input = tools.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var board, groups;

  function lane(block) { return block.parentElement; }
  function windowOf(block) {
    var l = lane(block);
    return { start: parseInt(l.dataset.windowStart, 10), end: parseInt(l.dataset.windowEnd, 10) };
  }
  function original(block) {
    return {
      start: parseInt(block.dataset.start, 10),
      end: parseInt(block.dataset.end, 10),
      column: parseInt(block.dataset.column, 10),
    };
  }
  function singleGroup(block) { return block.dataset.groups.split(",").length === 1; }
  function groupName(column) {
    var header = document.getElementById("group-" + groups[column]);
    return header ? header.textContent.trim() : "";
  }

  // Draw the block at a (not yet saved) place; the server's own numbers come back with the grid.
  function place(block, where) {
    var w = windowOf(block);
    var span = w.end - w.start;
    var columns = groups.length;
    var width = parseInt(block.dataset.span, 10) * 100 / columns;
    block.style.top = ((Math.max(where.start, w.start) - w.start) * 100 / span).toFixed(3) + "%";
    block.style.height = (Math.max(Math.min(where.end, w.end) - Math.max(where.start, w.start), 1) * 100 / span).toFixed(3) + "%";
    block.style.left = "calc(" + (where.column * 100 / columns).toFixed(3) + "% + 3px)";
    block.style.width = "calc(" + width.toFixed(3) + "% - 6px)";
    var time = block.querySelector(".block__time");
    if (time) time.textContent = hhmm(where.start) + "–" + hhmm(where.end);
  }

  // Put the block back exactly as the server drew it.
  function restore(block) {
    block.classList.remove("is-dragging", "is-pending", "is-saving");
    block.setAttribute("style", block._style);
    var time = block.querySelector(".block__time");
    if (time) time.textContent = block._time;
    block._pending = null;
  }

  function same(a, b) { return a.start === b.start && a.end === b.end && a.column === b.column; }

  function save(block, where) {
    var from = original(block);
    if (same(where, from)) { restore(block); return; }
    block.classList.remove("is-dragging", "is-pending");
    block.classList.add("is-saving");
    block._pending = null;
    var body = { visit: parseInt(block.dataset.visit, 10), date: lane(block).dataset.date, start: where.start, end: where.end };
    if (singleGroup(block) && where.column !== from.column) body.group = groups[where.column];
    fetch(board.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          var warnings = result.data.warnings || [];
          say([result.data.message].concat(warnings).join(" "), warnings.length ? "warning" : "");
          refresh(body.visit);
        } else {
          restore(block);
          block.classList.remove("is-refused");
          void block.offsetWidth; // restart the animation
          block.classList.add("is-refused");
          say(fill(text.refused, { reason: result.data.detail || "" }), "error");
        }
      })
      .catch(function () {
        restore(block);
        say(text.offline, "error");
      });
  }

  // Read the board again (the grid, the "Undo" button, the hosts' proposals) and put it in place of this one.
  function refresh(visitId) {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        [".board-scroller", "#board-undo-slot", "#board-proposals-slot", "#board-duplicate"].forEach(function (selector) {
          var now = document.querySelector(selector);
          var next = fresh.querySelector(selector);
          if (now && next) {
            if (selector === "#board-duplicate") next.open = now.open;
            now.replaceWith(next);
          }
        });
        setup();
        var moved = document.getElementById("visit-" + visitId);
        if (moved) moved.focus({ preventScroll: true });
      });
  }

  // --- the mouse, pen or finger --------------------------------------------------------

  var drag = null;

  function onDown(event) {
    var block = event.currentTarget;
    if (event.button !== 0 || block.classList.contains("is-saving")) return;
    var resize = event.target.classList.contains("block__resize");
    var l = lane(block);
    var w = windowOf(block);
    drag = {
      block: block,
      resize: resize,
      x: event.clientX,
      y: event.clientY,
      moved: false,
      from: original(block),
      perMinute: l.clientHeight / (w.end - w.start),
      columnWidth: l.clientWidth / groups.length,
    };
    block.setPointerCapture(event.pointerId);
    event.preventDefault(); // no text selection, no native link drag
    block.focus({ preventScroll: true });
  }

  function target(event) {
    var step = snap();
    var dy = (event.clientY - drag.y) / drag.perMinute;
    var from = drag.from;
    if (drag.resize) {
      var end = Math.round((from.end + dy) / step) * step;
      return { start: from.start, end: Math.max(end, from.start + step), column: from.column };
    }
    var start = Math.round((from.start + dy) / step) * step;
    var column = from.column;
    if (singleGroup(drag.block)) {
      column = from.column + Math.round((event.clientX - drag.x) / drag.columnWidth);
      column = Math.max(0, Math.min(groups.length - 1, column));
    }
    return { start: start, end: start + (from.end - from.start), column: column };
  }

  function onMove(event) {
    if (!drag || drag.block !== event.currentTarget) return;
    if (!drag.moved && Math.abs(event.clientX - drag.x) < DRAG_THRESHOLD && Math.abs(event.clientY - drag.y) < DRAG_THRESHOLD) return;
    drag.moved = true;
    drag.block.classList.add("is-dragging");
    drag.where = target(event);
    place(drag.block, drag.where);
  }

  function onUp(event) {
    if (!drag || drag.block !== event.currentTarget) return;
    var done = drag;
    drag = null;
    if (!done.moved) return; // a click: the link opens the visit's form
    done.block.dataset.suppressClick = "1";
    save(done.block, done.where);
  }

  function onCancel(event) {
    if (!drag || drag.block !== event.currentTarget) return;
    restore(drag.block);
    drag = null;
  }

  // --- the keyboard ----------------------------------------------------------------------

  function announcePending(block, where) {
    say(fill(text.pending, { time: hhmm(where.start) + "–" + hhmm(where.end), group: singleGroup(block) ? groupName(where.column) : "" }));
  }

  function onKey(event) {
    var block = event.currentTarget;
    var where = block._pending || original(block);
    var step = snap();
    var next = null;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      var delta = event.key === "ArrowUp" ? -step : step;
      next = event.shiftKey
        ? { start: where.start, end: Math.max(where.end + delta, where.start + step), column: where.column }
        : { start: where.start + delta, end: where.end + delta, column: where.column };
    } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && singleGroup(block)) {
      var column = where.column + (event.key === "ArrowLeft" ? -1 : 1);
      if (column >= 0 && column < groups.length) next = { start: where.start, end: where.end, column: column };
      else next = where;
    } else if (event.key === "Enter" && block._pending) {
      event.preventDefault();
      save(block, block._pending);
      return;
    } else if (event.key === "Escape" && block._pending) {
      event.preventDefault();
      restore(block);
      say(text.cancelled);
      return;
    }
    if (!next) return;
    event.preventDefault();
    block._pending = next;
    block.classList.add("is-pending");
    place(block, next);
    announcePending(block, next);
  }

  function onFocus(event) {
    var pick = document.getElementById("duplicate-visit");
    var id = event.currentTarget.dataset.visit;
    if (pick && pick.querySelector('option[value="' + id + '"]')) pick.value = id;
  }

  function onClick(event) {
    var block = event.currentTarget;
    if (block.dataset.suppressClick) {
      event.preventDefault();
      delete block.dataset.suppressClick;
    }
  }

  function bind(block) {
    block._style = block.getAttribute("style");
    var time = block.querySelector(".block__time");
    block._time = time ? time.textContent : "";
    block.addEventListener("click", onClick);
    block.addEventListener("dragstart", function (event) { event.preventDefault(); });
    if (block.classList.contains("is-cancelled") || block.classList.contains("block--part")) return;
    block.addEventListener("pointerdown", onDown);
    block.addEventListener("pointermove", onMove);
    block.addEventListener("pointerup", onUp);
    block.addEventListener("pointercancel", onCancel);
    block.addEventListener("keydown", onKey);
    block.addEventListener("focus", onFocus);
  }

  function setup() {
    board = document.querySelector(".board--day[data-move-url]");
    if (!board) return;
    groups = board.dataset.groups.split(",").map(Number);
    board.querySelectorAll(".board__lane > .block[data-visit]").forEach(bind);
  }

  setup();
})();
