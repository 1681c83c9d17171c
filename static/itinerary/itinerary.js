/* The personal itinerary's progressive enhancement: offline copy through the
   service worker, "last updated" as a relative age, and the print button.
   The page works without it; it is a static file because the site's
   Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var root = document.querySelector("[data-itinerary]");
  if (!root) {
    return;
  }
  var lang = document.documentElement.lang || "en";

  function showAge() {
    var stamp = root.querySelector(".itin-generated");
    if (!stamp || !window.Intl || !Intl.RelativeTimeFormat) {
      return;
    }
    var minutes = Math.round((Date.now() - Date.parse(stamp.getAttribute("datetime"))) / 60000);
    if (!isFinite(minutes) || minutes < 1) {
      return;
    }
    var format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var age = minutes < 60 ? format.format(-minutes, "minute")
      : minutes < 2880 ? format.format(-Math.round(minutes / 60), "hour")
      : format.format(-Math.round(minutes / 1440), "day");
    var label = stamp.parentNode.querySelector(".itin-age");
    if (!label) {
      label = document.createElement("span");
      label.className = "itin-age";
      stamp.parentNode.appendChild(label);
    }
    label.textContent = " (" + age + ")";
  }

  function markConnection() {
    root.classList.toggle("is-offline", navigator.onLine === false);
  }

  var print = root.querySelector("[data-print]");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  showAge();
  markConnection();
  window.addEventListener("online", markConnection);
  window.addEventListener("offline", markConnection);
  window.setInterval(showAge, 60000);

  if (!("serviceWorker" in navigator)) {
    return;
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "cached") {
      root.setAttribute("data-offline-ready", "true");
    }
  });
  navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: "/" })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      // The first visit is not yet under the worker's control: hand it the page
      // and everything the page loaded, so the next visit works offline too.
      var urls = [window.location.href];
      document.querySelectorAll("link[rel=stylesheet], link[rel=manifest], link[rel=icon], script[src], img[src]")
        .forEach(function (node) { urls.push(node.href || node.src); });
      registration.active.postMessage({ type: "cache-urls", urls: urls });
    })
    .catch(function () { /* no offline copy; the page itself still works */ });
})();
