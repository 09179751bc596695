// Also show a start time in the viewer's own time zone when it differs from the event's
// (<time data-local-time data-zone="Europe/Paris" datetime="...">).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      if (zone && zone !== el.getAttribute("data-zone")) {
        var span = document.createElement("span");
        span.className = "muted";
        span.textContent = " · " + (el.getAttribute("data-your-time") || "your time:") + " " +
          new Date(el.getAttribute("datetime")).toLocaleString(
            document.documentElement.lang || [], {dateStyle: "full", timeStyle: "short"});
        el.after(span);
      }
    });
  });
})();
