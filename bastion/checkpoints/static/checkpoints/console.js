/* Entrance console: record temperatures, the fever flow, and a hand-clicker for normal passes.
 *
 * Every reading gets a UUID when it is typed and waits in localStorage until the server has
 * it; when the network drops, readings pile up here and are resent, with the same UUIDs, when
 * it returns. The server ignores UUIDs it already holds, so a resend never duplicates.
 * The page itself opens offline too: the service worker (sw.js) keeps a copy of it.
 */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("console-strings").textContent);
  var entrance = Number(root.dataset.entrance);
  var threshold = Number(root.dataset.threshold);
  var batchUrl = root.dataset.batchUrl, tallyUrl = root.dataset.tallyUrl, referralUrl = root.dataset.referralUrl;
  var csrf = root.dataset.csrf;
  // Queues are kept per member as well as per entrance: the server records whoever sends a
  // reading as the one who took it, so a colleague signing in on a shared tablet must never
  // send readings someone else typed. Those wait until their own member signs in again.
  var member = root.dataset.member;
  var QUEUE = "bastion.checkpoints.readings." + entrance + "." + member;
  var TALLIES = "bastion.checkpoints.tallies." + entrance + "." + member;
  var CLICKS = "bastion.checkpoints.clicks." + entrance + "." + member;
  var $ = function (id) { return document.getElementById(id); };
  var stage = "measure", first = null, sending = false;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }

  function show(id) {
    ["fever", "confirmed", "ok"].forEach(function (s) { $(s).hidden = (s !== id); });
  }
  function status() {
    var online = navigator.onLine, waiting = load(QUEUE, []).length + load(TALLIES, []).length;
    // Offline, the banner itself says how much waits, so nobody has to look further down.
    $("net").textContent = online ? T.online : T.offline + " " + T.queued + " " + waiting;
    $("net").className = "net" + (online ? "" : " offline");
    $("queue-count").textContent = waiting;
    var others = othersWaiting();
    $("others-waiting").hidden = !others;
    $("others-waiting").textContent = others ? T.others_waiting + " " + others : "";
    $("tally-count").textContent = load(CLICKS, { count: 0 }).count;
  }
  // Readings and tallies other members left queued at this entrance on this device.
  function othersWaiting() {
    var count = 0, mine = [QUEUE, TALLIES];
    ["bastion.checkpoints.readings." + entrance + ".", "bastion.checkpoints.tallies." + entrance + "."].forEach(function (prefix) {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0 && mine.indexOf(key) < 0) { count += load(key, []).length; }
      }
    });
    return count;
  }
  function log(text) {
    var li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + " " + text;
    $("sent-log").prepend(li);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    });
  }

  // Send what waits in a queue; keep it on any network failure, drop only rows the server rejected.
  function flushQueue(key, field, url) {
    var queue = load(key, []);
    if (!queue.length || !navigator.onLine) { return Promise.resolve(); }
    var batch = queue.slice(0, 500), body = {};
    body[field] = batch;
    return post(url, body).then(function (response) {
      return response.json().then(function (data) {
        var done = {};
        if (response.ok) {
          batch.forEach(function (r) { done[r.uuid] = true; });
          log(T.sent + ": " + data.created + " / " + data.received);
        } else if (response.status === 400 && data.errors) {
          data.errors.forEach(function (e) {
            if (e.row !== null && batch[e.row]) { done[batch[e.row].uuid] = true; log(T.rejected + " " + e.message); }
          });
        } else {
          log(T.rejected + " " + (data.detail || response.status));
          return;
        }
        save(key, load(key, []).filter(function (r) { return !done[r.uuid]; }));
      });
    }).catch(function () { /* offline or server unreachable: keep everything for the next try */ });
  }
  function flush() {
    if (sending) { return; }
    sending = true;
    sealClicks(false);
    flushQueue(QUEUE, "readings", batchUrl)
      .then(function () { return flushQueue(TALLIES, "tallies", tallyUrl); })
      .then(function () { sending = false; status(); }, function () { sending = false; status(); });
  }

  // The clicker: counts normal passes, sealed into a tally (with its own UUID) every 20 or every 5 minutes.
  function sealClicks(force) {
    var clicks = load(CLICKS, { count: 0 });
    if (!clicks.count) { return; }
    var age = Date.now() - Date.parse(clicks.start);
    if (!force && clicks.count < 20 && age < 5 * 60 * 1000) { return; }
    var tallies = load(TALLIES, []);
    tallies.push({ uuid: uuid4(), entrance: entrance, start: clicks.start, end: new Date().toISOString(),
                   count: clicks.count });
    save(TALLIES, tallies);
    save(CLICKS, { count: 0 });
  }
  $("pass").addEventListener("click", function () {
    var clicks = load(CLICKS, { count: 0 });
    if (!clicks.count) { clicks.start = new Date().toISOString(); }
    clicks.count += 1;
    save(CLICKS, clicks);
    sealClicks(false);
    status();
    flush();
  });

  $("measure").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("temperature").value.trim().replace(",", ".");
    var t = Number(text);
    if (!/^\d{2}(\.\d)?$/.test(text) || t < 30 || t > 45) {
      $("input-error").textContent = T.range;
      return;
    }
    $("input-error").textContent = "";
    var reading = { uuid: uuid4(), entrance: entrance, temperature: Math.round(t * 10) / 10,
                    measured_at: new Date().toISOString() };
    if (stage === "remeasure") {
      reading.remeasure_of = first;
      if (t >= threshold) {
        $("confirmed-text").textContent = T.confirmed + " " + t.toFixed(1) + " °C";
        $("refer").href = referralUrl + "?reading=" + reading.uuid + "&t=" + t.toFixed(1);
        show("confirmed");
      } else {
        $("ok-text").textContent = T.normal_recheck + " · " + t.toFixed(1) + " °C";
        show("ok");
      }
      stage = "measure";
      first = null;
      $("prompt").textContent = T.measure;
    } else if (t >= threshold) {
      stage = "remeasure";
      first = reading.uuid;
      $("fever-text").textContent = T.fever + " " + t.toFixed(1) + " °C";
      $("prompt").textContent = T.remeasure;
      show("fever");
    } else {
      $("ok-text").textContent = T.normal + " · " + t.toFixed(1) + " °C";
      show("ok");
    }
    var queue = load(QUEUE, []);
    queue.push(reading);
    save(QUEUE, queue);
    $("temperature").value = "";
    $("temperature").focus();
    status();
    flush();
  });
  $("confirmed-done").addEventListener("click", function () { show(null); $("temperature").focus(); });
  $("refer").addEventListener("click", function () { flush(); });
  $("send-now").addEventListener("click", function () { sealClicks(true); flush(); });

  window.addEventListener("online", function () { status(); flush(); });
  window.addEventListener("offline", status);
  document.addEventListener("visibilitychange", function () { if (document.hidden) { sealClicks(true); } });
  setInterval(flush, 10000);
  status();
  flush();

  // The service worker keeps this page and its files so that a reload with no signal still opens it.
  // A page loaded before the worker took control was not kept on the way in: ask the worker to fetch it.
  function offlineReady() {
    root.dataset.offlineReady = "1";
    $("offline-ready").textContent = T.offline_ready;
    $("offline-ready").hidden = false;
  }
  if ("serviceWorker" in navigator && window.isSecureContext) {
    var sw = navigator.serviceWorker, servedByWorker = !!sw.controller;
    sw.addEventListener("message", function (event) {
      if (event.data && event.data.type === "console-kept" && event.data.ok) { offlineReady(); }
    });
    sw.register(root.dataset.workerUrl, { scope: root.dataset.workerScope }).then(function () {
      return sw.ready;
    }).then(function (registration) {
      if (servedByWorker) { offlineReady(); return; }
      // The language goes along so the kept copy reads like this one.
      registration.active.postMessage({ type: "keep-console", url: location.pathname,
                                        lang: document.documentElement.lang });
    }).catch(function () { /* no worker (private mode, old browser): the console still works online */ });
  }
}());
