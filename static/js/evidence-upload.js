// Several evidence files at once: drop them on the upload form's zone, or choose several in the file
// dialog; the chosen files are listed before the upload. Each file is checked by the server on its own.
// Delegated from the document, so that it keeps working after htmx swaps the evidence panel in again.
(function () {
  "use strict";

  function zoneOf(target) {
    return target instanceof Element ? target.closest("[data-drop-zone]") : null;
  }

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function list(zone) {
    var input = zone.querySelector("input[type=file]");
    var out = zone.querySelector(".chosen-files");
    if (!input || !out) return;
    out.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + sizeText(file.size) + ")";
      out.appendChild(item);
    });
  }

  document.addEventListener("change", function (event) {
    var zone = zoneOf(event.target);
    if (zone) list(zone);
  });
  document.addEventListener("dragover", function (event) {
    var zone = zoneOf(event.target);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event.target);
    if (zone) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event.target);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    var input = zone.querySelector("input[type=file]");
    if (input && event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      list(zone);
    }
  });
})();
