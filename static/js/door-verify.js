// Offline ticket checks for the door: Ed25519 signatures (WebCrypto) and hashes of plain codes.
// A signed code is "M1.<event_id>.<rsvp_id>.<base64url signature of 'M1.<event_id>.<rsvp_id>'>"
// (meetup/events/signing.py). Loaded by the door page and by the tests under Node.
(function (root) {
  "use strict";
  var subtle = (root.crypto || {}).subtle;
  var CODE = /^M1\.([1-9][0-9]{0,11})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{86})$/;
  var keys = {};

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = root.atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function toB64url(bytes) {
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return root.btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function importKey(publicKey) {
    if (!keys[publicKey]) {
      keys[publicKey] = subtle.importKey("raw", fromB64url(publicKey), {name: "Ed25519"}, false, ["verify"]);
    }
    return keys[publicKey];
  }

  function isSigned(code) { return code.slice(0, 3) === "M1."; }

  // Resolves to {ok: true, rsvpId} or {ok: false, reason: "malformed" | "other_event" | "bad_signature"}.
  function verify(publicKey, eventId, code) {
    var match = CODE.exec(code);
    if (!match) return Promise.resolve({ok: false, reason: "malformed"});
    if (Number(match[1]) !== Number(eventId)) return Promise.resolve({ok: false, reason: "other_event"});
    var message = new TextEncoder().encode("M1." + match[1] + "." + match[2]);
    return importKey(publicKey).then(function (key) {
      return subtle.verify({name: "Ed25519"}, key, fromB64url(match[3]), message);
    }).then(function (good) {
      return good ? {ok: true, rsvpId: Number(match[2])} : {ok: false, reason: "bad_signature"};
    }, function () { return {ok: false, reason: "bad_signature"}; });
  }

  // The door-data `code_hash` of a plain ticket code: base64url of the first 16 bytes of its SHA-256.
  function codeHash(code) {
    return subtle.digest("SHA-256", new TextEncoder().encode(code)).then(function (digest) {
      return toB64url(new Uint8Array(digest).slice(0, 16));
    });
  }

  var api = {verify: verify, codeHash: codeHash, isSigned: isSigned};
  root.DoorVerify = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
