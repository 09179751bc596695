// Door scanner: the browser's BarcodeDetector where present, else jsQR (from npm) on video frames.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("start-camera");
    var video = document.getElementById("camera");
    var canvas = document.getElementById("frame");
    var status = document.getElementById("camera-status");
    var form = document.getElementById("code-form");
    var input = document.getElementById("code");
    var lastCode = null, lastAt = 0;
    // The page gives the words in the reader's language (data-* on the status line); English otherwise.
    function say(name, fallback) { return (status.dataset && status.dataset[name]) || fallback; }

    function submit(code) {
      var now = Date.now();
      if (code === lastCode && now - lastAt < 3000) return;  // the same ticket held in front of the camera
      lastCode = code; lastAt = now;
      if (window.doorReady && window.doorReady()) { window.doorScan(code); return; }  // checked on this device
      input.value = code;
      if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
    }

    function detector() {
      if ("BarcodeDetector" in window) {
        var native = new window.BarcodeDetector({formats: ["qr_code"]});
        return function (source) {
          return native.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }
      if (window.jsQR) {
        var ctx = canvas.getContext("2d", {willReadFrequently: true});
        return function (source) {
          canvas.width = source.videoWidth; canvas.height = source.videoHeight;
          ctx.drawImage(source, 0, 0);
          var found = window.jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
          return Promise.resolve(found ? found.data : null);
        };
      }
      return null;
    }

    button.addEventListener("click", function () {
      var detect = detector();
      if (!detect) { status.textContent = say("noScanner", "This browser cannot read QR codes; type the code instead."); return; }
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream; video.hidden = false; button.hidden = true;
        status.textContent = say("pointCamera", "Point the camera at a ticket.");
        return video.play();
      }).then(function loop() {
        if (video.readyState >= 2) {
          detect(video).then(function (code) { if (code) submit(code); }).finally(function () {
            requestAnimationFrame(loop);
          });
        } else {
          requestAnimationFrame(loop);
        }
      }).catch(function (err) {
        status.textContent = say("noCamera", "Camera unavailable; type the code instead.") + " (" + err.name + ")";
      });
    });

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id === "door-result") { document.body.dispatchEvent(new Event("checkin")); }
    });
  });
})();

// Forms marked data-reset-after-request empty themselves once htmx has sent them (no inline
// handlers: the Content-Security-Policy allows scripts from files only).
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (form && form.matches && form.matches("form[data-reset-after-request]")) { form.reset(); }
});
