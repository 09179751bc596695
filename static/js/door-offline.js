// The door, offline first: every scan is checked on this device (signature, revocations, already
// inside here), stored in IndexedDB and synced in order when the network allows, each with its own
// scan_id so a batch sent twice counts once. The ticket list refreshes in the background.
(function () {
  "use strict";
  var REFRESH_MS = 60000, SYNC_MS = 5000, BATCH = 500;
  var root = document.getElementById("door-app");
  // The words come from the page, in the reader's language (data-* on #door-words); English where missing.
  var wordsEl = document.getElementById("door-words");
  var WORDS = (wordsEl && wordsEl.dataset) || {};
  function word(key, fallback) { return WORDS[key] || fallback; }
  if (!root || !window.indexedDB || !window.DoorVerify) return;
  var slug = root.dataset.slug;
  var api = "/api/events/" + slug;
  var els = {
    net: document.getElementById("net-state"), queued: document.getElementById("queued"),
    lastSync: document.getElementById("last-sync"), dataAge: document.getElementById("data-age"),
    entrance: document.getElementById("entrance"), express: document.getElementById("express"),
    form: document.getElementById("code-form"), input: document.getElementById("code"),
    result: document.getElementById("door-result"), inside: document.getElementById("inside-here"),
    conflicts: document.getElementById("conflicts"),
  };
  var data = null, byId = {}, byHash = {}, revoked = {}, inside = {}, db = null, syncing = false;
  var device = localStorage.getItem("door-device");
  if (!device) {
    device = "dev-" + Math.random().toString(36).slice(2, 10);
    localStorage.setItem("door-device", device);
  }

  // --- IndexedDB: "meta" (door-data, last sync) and "scans" (the queue, in scan order) ---------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("door-" + slug, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore("meta");
        req.result.createObjectStore("scans", {keyPath: "seq", autoIncrement: true});
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, work) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode), out;
      Promise.resolve(work(t.objectStore(store))).then(function (v) { out = v; });
      t.oncomplete = function () { resolve(out); };
      t.onerror = function () { reject(t.error); };
    });
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function allScans() { return tx("scans", "readonly", function (s) { return request(s.getAll()); }); }

  function getMeta(key) { return tx("meta", "readonly", function (s) { return request(s.get(key)); }); }

  function setMeta(key, value) { return tx("meta", "readwrite", function (s) { s.put(value, key); }); }

  // --- The ticket list ------------------------------------------------------------------------------
  function useData(fresh, scans) {
    data = fresh; byId = {}; byHash = {}; revoked = {}; inside = {};
    fresh.tickets.forEach(function (t) { byId[t.id] = t; byHash[t.code_hash] = t; inside[t.id] = t.inside; });
    fresh.revocations.forEach(function (id) { revoked[id] = true; });
    // Scans made here that the server had not seen when the list was made still count here.
    scans.forEach(function (s) {
      if (!s.synced || new Date(s.scanned_at) > new Date(fresh.generated_at)) inside[s.rsvp] = s.direction === "entry";
    });
    var chosen = els.entrance.value || localStorage.getItem("door-entrance-" + slug) || "";
    els.entrance.replaceChildren(new Option(word("noEntrance", "No entrance"), ""));
    fresh.entrances.forEach(function (e) {
      var o = document.createElement("option");
      o.value = e.id; o.textContent = e.name; els.entrance.appendChild(o);
    });
    els.entrance.value = chosen;
    showStatus();
  }

  // A network that connects but carries nothing must not hang the door: give up after `ms`.
  function fetchWithin(url, options, ms) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, ms);
    options.signal = controller.signal;
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  // When the server last checked a scan typed here (before the ticket list had come): a list asked
  // for before that knows nothing of it, and using it would let this device admit the ticket again.
  var serverScanAt = 0;

  function refresh() {
    var asked = Date.now();
    if (!navigator.onLine) return Promise.resolve();
    return fetchWithin(api + "/door-data", {credentials: "same-origin", headers: {Accept: "application/json"}}, 20000)
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (fresh) {
        if (serverScanAt >= asked) return refresh();  // older than a scan the server made: ask again
        return setMeta("door-data", fresh).then(allScans).then(function (scans) { useData(fresh, scans); });
      })
      .catch(function () { setNet(navigator.onLine ? "unreachable" : "offline"); });
  }

  // --- Scanning -------------------------------------------------------------------------------------
  function findTicket(code) {
    if (window.DoorVerify.isSigned(code)) {
      return window.DoorVerify.verify(data.key.public_key, data.event.id, code).then(function (v) {
        if (!v.ok) return {verdict: v.reason === "other_event" ? "other_event" : "invalid"};
        return {id: v.rsvpId};
      });
    }
    return window.DoorVerify.codeHash(code).then(function (h) {
      return byHash[h] ? {id: byHash[h].id} : {verdict: "unknown"};
    });
  }

  function scan(code) {
    code = (code || "").trim();
    if (!code || !data) return Promise.resolve();
    var direction = (document.querySelector("input[name=direction]:checked") || {}).value || "entry";
    return findTicket(code).then(function (found) {
      if (found.verdict) return show(found.verdict, null);
      var ticket = byId[found.id] || {id: found.id, name: word("ticket", "Ticket #{id}").replace("{id}", found.id), answers: []};
      if (revoked[found.id]) return show("revoked", ticket);
      if (direction === "entry" && inside[found.id]) return show("already", ticket);
      if (direction === "exit" && !inside[found.id]) return show("not_inside", ticket);
      var entry = {code: code, rsvp: found.id, direction: direction, scanned_at: new Date().toISOString(),
                   entrance: els.entrance.value ? Number(els.entrance.value) : null,
                   scan_id: device + "-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8),
                   synced: false};
      inside[found.id] = direction === "entry";
      return tx("scans", "readwrite", function (s) { s.add(entry); }).then(function () {
        show(direction === "entry" ? "admitted" : "exited", ticket);
        showStatus();
        sync();
      });
    });
  }

  var TEXT = {
    admitted: ["ok", word("admitted", "Welcome, {name}!")], exited: ["ok", word("exited", "Goodbye, {name}.")],
    already: ["warn", word("already", "Already checked in: {name}")],
    not_inside: ["warn", word("notInside", "Not inside: {name}")],
    revoked: ["bad", word("revoked", "Revoked ticket: {name} cancelled")],
    invalid: ["bad", word("invalid", "Invalid ticket: the signature does not match")],
    other_event: ["bad", word("otherEvent", "Wrong event: this ticket is for another event")],
    unknown: ["bad", word("unknown", "Unknown ticket")],
  };

  function show(verdict, ticket) {
    var spec = TEXT[verdict], div = document.createElement("div");
    div.className = "door-result " + spec[0];
    div.setAttribute("role", "status");
    div.dataset.verdict = verdict;
    var strong = document.createElement("strong");
    strong.textContent = spec[1].replace("{name}", ticket ? ticket.name : "");
    div.appendChild(strong);
    if (ticket && ticket.answers && ticket.answers.length) {
      var dl = document.createElement("dl");
      ticket.answers.forEach(function (pair) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = pair[0]; dd.textContent = pair[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      div.appendChild(dl);
    }
    if (ticket && verdict === "admitted") {
      var a = document.createElement("a");
      a.href = api + "/badges.pdf?layout=a6&rsvp=" + ticket.id;
      a.target = "_blank"; a.className = "button small"; a.textContent = word("printBadge", "Print badge");
      div.appendChild(document.createTextNode(" ")); div.appendChild(a);
    }
    els.result.replaceChildren(div);
    if (els.express.checked) {
      beep(spec[0]);
      document.body.dataset.flash = spec[0];
      setTimeout(function () { delete document.body.dataset.flash; }, 600);
    }
  }

  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = kind === "ok" ? 880 : kind === "warn" ? 440 : 220;
      gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (kind === "ok" ? 0.12 : 0.4));
    } catch (e) { /* no audio: the colour still shows */ }
  }

  // --- Sync: queued scans in order, 500 at a time, until none is left --------------------------------
  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return allScans().then(function (scans) {
      var queue = scans.filter(function (s) { return !s.synced; }).slice(0, BATCH);
      if (!queue.length) return false;
      var body = {device: device, scans: queue.map(function (s) {
        return {code: s.code, scanned_at: s.scanned_at, entrance: s.entrance, direction: s.direction,
                scan_id: s.scan_id};
      })};
      return fetchWithin(api + "/checkins/sync", {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      }, 30000).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }).then(function (answer) {
        var outcome = {};
        answer.results.forEach(function (r) { outcome[r.scan_id] = r.outcome; });
        var now = new Date().toISOString();
        return tx("scans", "readwrite", function (store) {
          queue.forEach(function (s) { s.synced = true; s.outcome = outcome[s.scan_id]; store.put(s); });
        }).then(function () { return setMeta("last-sync", now); }).then(function () {
          els.lastSync.textContent = new Date(now).toLocaleTimeString();
          document.body.dispatchEvent(new Event("checkin"));
          showStatus();
          return queue.length === BATCH;
        });
      });
    }).then(function (more) {
      syncing = false;
      setNet("online");
      if (more) return sync();
    }, function () { syncing = false; setNet(navigator.onLine ? "unreachable" : "offline"); });
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Status line ----------------------------------------------------------------------------------
  function setNet(state) {
    els.net.textContent = word(state, {online: "Online", offline: "Offline", unreachable: "Server unreachable"}[state]);
    root.dataset.online = state === "online" ? "yes" : "no";
  }

  function showStatus() {
    allScans().then(function (scans) {
      var queued = scans.filter(function (s) { return !s.synced; }).length;
      els.queued.textContent = String(queued);
      var conflicts = scans.filter(function (s) { return s.outcome === "conflict"; }).length;
      els.conflicts.textContent = conflicts ? " · " + word(
        "conflicts", "{count} of this device's admissions were already made at another door").replace("{count}", conflicts) : "";
      els.inside.textContent = String(Object.keys(inside).filter(function (id) { return inside[id]; }).length);
      if (data) els.dataAge.textContent = new Date(data.generated_at).toLocaleTimeString();
      root.dataset.ready = "yes";
    });
  }

  // --- Wiring ---------------------------------------------------------------------------------------
  els.form.addEventListener("submit", function (event) {
    if (!data) { serverScanAt = Date.now(); return; }  // no ticket list yet: the server checks it (htmx or a plain POST)
    event.preventDefault();
    event.stopImmediatePropagation();
    var code = els.input.value;
    els.input.value = "";
    scan(code).then(function () { if (els.express.checked) els.input.focus(); });
  }, true);
  els.entrance.addEventListener("change", function () {
    localStorage.setItem("door-entrance-" + slug, els.entrance.value);
  });
  els.express.addEventListener("change", function () {
    localStorage.setItem("door-express", els.express.checked ? "1" : "");
    if (els.express.checked) els.input.focus();
  });
  els.express.checked = localStorage.getItem("door-express") === "1";
  window.addEventListener("online", function () { setNet("online"); sync().then(refresh); });
  window.addEventListener("offline", function () { setNet("offline"); });
  window.doorScan = scan;  // the camera loop (door.js) hands codes here when the list is loaded
  window.doorReady = function () { return !!data; };

  openDb().then(function (opened) {
    db = opened;
    return Promise.all([getMeta("door-data"), getMeta("last-sync"), allScans()]);
  }).then(function (stored) {
    if (stored[0]) useData(stored[0], stored[2]);
    if (stored[1]) els.lastSync.textContent = new Date(stored[1]).toLocaleTimeString();
    setNet(navigator.onLine ? "online" : "offline");
    return refresh();
  }).then(function () {
    showStatus();
    sync();
    setInterval(sync, SYNC_MS);
    setInterval(refresh, REFRESH_MS);
  });

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest]").forEach(function (el) {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "precached") root.dataset.cached = "yes";
      });
      registration.active.postMessage({type: "precache", urls: urls});
    }).catch(function () { /* no service worker: the page still scans while it stays open */ });
  }
})();
