/* Service worker for the entrance console: the console opens with no network at all.
 *
 * It answers only two kinds of request and lets every other one pass untouched (the API,
 * other pages, anything that is not a GET): the console page of an entrance, and the static
 * files that page needs. Both go network-first, so a team member online always gets the
 * current page, with a fallback to the copy kept here when the network is gone or hangs.
 * The readings themselves never pass through here: the console keeps them in localStorage.
 */
"use strict";
{% autoescape off %}{# JSON literals from the view, not HTML #}var CACHE = {{ cache_name_json }};
var PREFIX = {{ cache_prefix_json }};
var ASSETS = {{ assets_json }};
var CONSOLE = new RegExp({{ console_pattern_json }});{% endautoescape %}
// At a station entrance the network is often "up" but answers nothing; do not keep the member waiting.
var NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  // A new version brings its own cache; the old ones are dropped here.
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function clearAll() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0; })
      .map(function (k) { return caches.delete(k); }));
  });
}

function isConsole(url) {
  return url.origin === self.location.origin && CONSOLE.test(url.pathname) && !url.search;
}

// Keep a fresh copy of a console page, or forget it when the network says the user may no longer see it.
function keep(key, response) {
  if (response.type === "opaqueredirect" || response.status === 401) {
    // The console sends a signed-out visitor to the sign-in page: nothing of the last user stays.
    return clearAll();
  }
  return caches.open(CACHE).then(function (cache) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      return cache.put(key, response);
    }
    return cache.delete(key, { ignoreVary: true });
  });
}

function cached(key) {
  return caches.open(CACHE).then(function (cache) { return cache.match(key, { ignoreVary: true }); });
}

function networkFirst(request, key, isPage) {
  var network = fetch(request).then(function (response) {
    var done = isPage ? keep(key, response.clone())
      : (response.ok ? caches.open(CACHE).then(function (c) { return c.put(key, response.clone()); }) : null);
    return Promise.resolve(done).then(function () { return response; }, function () { return response; });
  });
  var timeout = new Promise(function (resolve) {
    setTimeout(function () { cached(key).then(resolve); }, NETWORK_TIMEOUT_MS);
  });
  var fallback = network.catch(function () {
    return cached(key).then(function (hit) { return hit || Response.error(); });
  });
  // Whichever comes first: the network's answer, or the kept copy once the network is too slow.
  return Promise.race([fallback, timeout.then(function (hit) { return hit || fallback; })]);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (request.mode === "navigate" && isConsole(url)) {
    event.respondWith(networkFirst(request, url.href, true));
  } else if (url.origin === self.location.origin && ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(networkFirst(request, url.pathname, false));
  }
});

// The console page asks to be kept when it was loaded before this worker controlled it.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-console") { return; }
  var url = new URL(data.url, self.location.href);
  if (!isConsole(url)) { return; }
  var headers = data.lang ? { "Accept-Language": String(data.lang) } : {};
  event.waitUntil(fetch(url.href, { credentials: "same-origin", redirect: "manual", headers: headers })
    .then(function (response) { return keep(url.href, response); })
    .then(function () { return caches.open(CACHE); })
    .then(function (cache) { return cache.match(url.href, { ignoreVary: true }); })
    .then(function (hit) { if (event.source) { event.source.postMessage({ type: "console-kept", ok: !!hit }); } },
          function () { if (event.source) { event.source.postMessage({ type: "console-kept", ok: false }); } }));
});
