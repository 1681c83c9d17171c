/* Service worker for the participant's personal pages (/i/<token>/, /me/).
   Network first, falling back to the last copy saved: a delegation on a bus
   abroad often has no data. A copy served from here is marked so that the page
   says it is offline and when it was last updated. */
"use strict";

var CACHE = "itinerary-v1";

function handled(url) {
  if (url.origin !== self.location.origin) {
    return false;
  }
  var path = url.pathname;
  if (path.endsWith(".ics") || path.endsWith("/language/")) {
    return false;
  }
  return path.startsWith("/i/") || path === "/me/" || path.startsWith("/static/") || path === "/manifest.webmanifest";
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function store(request, response) {
  if (response.ok && response.type === "basic") {
    var copy = response.clone();
    return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }).then(function () {
      return response;
    });
  }
  if (response.status === 404 || response.status === 410) {
    // A replaced personal link must not live on in the cache.
    return caches.open(CACHE).then(function (cache) { return cache.delete(request); }).then(function () {
      return response;
    });
  }
  return Promise.resolve(response);
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    // The pages vary on Cookie and Accept-Language for the network's caches; offline,
    // the last copy of this URL is the right one whatever those headers were.
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || cache.match(request, { ignoreVary: true, ignoreSearch: true });
    });
  }).then(function (hit) {
    if (!hit) {
      return Response.error();
    }
    var type = hit.headers.get("Content-Type") || "";
    if (type.indexOf("text/html") !== 0) {
      return hit;
    }
    return hit.text().then(function (html) {
      var headers = new Headers(hit.headers);
      headers.set("X-Served-From", "service-worker-cache");
      return new Response(html.replace('data-served-by="network"', 'data-served-by="cache"'), {
        status: hit.status,
        statusText: hit.statusText,
        headers: headers,
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !handled(new URL(request.url))) {
    return;
  }
  event.respondWith(
    fetch(request).then(function (response) { return store(request, response); }).catch(function () {
      return fromCache(request);
    })
  );
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) {
    return;
  }
  var urls = data.urls.filter(function (url) {
    try { return handled(new URL(url)); } catch (error) { return false; }
  });
  var done = Promise.all(urls.map(function (url) {
    var request = new Request(url, { credentials: "same-origin" });
    return fetch(request).then(function (response) { return store(request, response); }).catch(function () {});
  })).then(function () {
    // Tell the page that its offline copy is complete.
    if (event.source) {
      event.source.postMessage({ type: "cached" });
    }
  });
  event.waitUntil(done);
});
