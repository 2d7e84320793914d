// The admin's own few scripts (templates/admin/base_site.html; no inline script: the Content-Security-Policy
// allows none).
(function () {
  "use strict";
  var bangla = "০১২৩৪৫৬৭৮৯";

  // "0 of 12 selected", which Django's actions.js rewrites on every click, in Bangla digits on a Bangla page.
  function banglaDigits(el) {
    var text = el.textContent.replace(/\d/g, function (d) { return bangla[+d]; });
    if (text !== el.textContent) el.textContent = text;
  }

  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim().replace(/:$/, "") : ""; }

  function labelled(el) {
    return el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") ||
      (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest("label");
  }

  // Names for the controls Django's admin widgets leave without a label (axe-core: "label", "select-name",
  // "aria-input-field-name"): a tabular inline's fields (their label is the column's heading), the date and
  // time halves of a date-time field, and select2's autocomplete box.
  function nameControls() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), text);
      table.querySelectorAll("tbody tr").forEach(function (row, index) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (labelled(control)) return;
            var name = heads[column] || (control.name.slice(-7) === "-DELETE" ? heads[heads.length - 1] : "");
            if (name) control.setAttribute("aria-label", name + " (" + (index + 1) + ")");
          });
        });
      });
    });
    document.querySelectorAll("p.datetime").forEach(function (p) {
      var row = p.closest(".form-row, .fieldBox, div");
      var field = text(row && row.querySelector("label"));
      var part = "";
      p.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) part = node.textContent.trim().replace(/:$/, "");
        if (node.nodeName === "INPUT" && !labelled(node)) node.setAttribute("aria-label", (field + " " + part).trim());
      });
    });
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var select = box.closest(".related-widget-wrapper, .form-row, div");
      var label = select && select.querySelector("label");
      var original = box.closest(".select2-container") && box.closest(".select2-container").previousElementSibling;
      var name = text(label) || (original && original.id && text(document.querySelector('label[for="' + original.id + '"]')));
      if (!name) return;
      box.setAttribute("aria-label", name);
      var shown = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (shown && !shown.getAttribute("aria-label")) shown.setAttribute("aria-label", name);
    });
    // The filter_horizontal widget's magnifier: a title on a bare span is not allowed an accessible name.
    document.querySelectorAll(".help-tooltip.search-label-icon").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.documentElement.lang === "bn") {
      document.querySelectorAll(".action-counter, .actions .all").forEach(function (el) {
        banglaDigits(el);
        new MutationObserver(function () { banglaDigits(el); }).observe(el, { childList: true, characterData: true, subtree: true });
      });
    }
    nameControls();
  });
  // select2 and the filter widgets are built by scripts of their own, after the page is parsed.
  window.addEventListener("load", function () { nameControls(); setTimeout(nameControls, 0); });
  document.addEventListener("formset:added", nameControls);
})();
