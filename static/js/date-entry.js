/* The site's date box (base/forms.py DateEntryInput, workflow/_progress_form.html): people type the date
 * (২৫/০৯/২০২২, 25-9-22, 25092022 … read on the server by base/dates.py) or pick it from this small calendar.
 * Keyboard: Alt+↓ in the box opens it; arrows move a day or a week, PageUp/PageDown a month (with Shift a
 * year), Enter picks, Escape closes. Event delegation on the document, so boxes that htmx swaps in work too.
 * No inline code or style (the Content-Security-Policy allows neither). */
(function () {
  "use strict";
  if (window.apaDateEntry) return;
  window.apaDateEntry = true;
  document.documentElement.classList.add("js-date-entry");

  var BN = "০১২৩৪৫৬৭৮৯";
  var english = (document.documentElement.lang || "bn").slice(0, 2) === "en";
  var MONTHS = english
    ? ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    : ["জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"];
  var DAYS = english ? ["Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"] : ["শনি", "রবি", "সোম", "মঙ্গল", "বুধ", "বৃহ", "শুক্র"];
  var TEXT = english
    ? { dialog: "Choose a date", prev: "Previous month", next: "Next month", close: "Close" }
    : { dialog: "তারিখ বেছে নিন", prev: "আগের মাস", next: "পরের মাস", close: "বন্ধ করুন" };

  function toAscii(s) { return s.replace(/[০-৯]/g, function (d) { return String(BN.indexOf(d)); }); }
  function digits(s) { return english ? s : String(s).replace(/[0-9]/g, function (d) { return BN[+d]; }); }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }

  function make(y, m, d) {
    if (y < 100) y += 2000;
    var date = new Date(y, m - 1, d);
    return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
  }
  /* The same reading as base/dates.py, only to open the calendar at the date already typed. */
  function parse(text) {
    var t = toAscii(text || "").trim(), m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) return make(+m[1], +m[2], +m[3]);
    if ((m = /^(\d{1,2})\s*([\/.\- ])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})$/.exec(t))) return make(+m[4], +m[3], +m[1]);
    if ((m = /^(\d{2})(\d{2})(\d{2}|\d{4})$/.exec(t))) return make(+m[3], +m[2], +m[1]);
    return null;
  }
  function format(date) { return digits(pad(date.getDate(), 2) + "/" + pad(date.getMonth() + 1, 2) + "/" + date.getFullYear()); }
  function iso(date) { return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2); }
  function sameDay(a, b) { return a && b && iso(a) === iso(b); }
  function addMonths(date, n) {
    var first = new Date(date.getFullYear(), date.getMonth() + n, 1);
    var last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
    return new Date(first.getFullYear(), first.getMonth(), Math.min(date.getDate(), last));
  }

  var popup = null, input = null, toggle = null, focused = null, chosen = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render() {
    popup.textContent = "";
    var head = el("div", { "class": "date-picker-head" });
    head.appendChild(el("button", { type: "button", "data-move": "-1", "aria-label": TEXT.prev }, "‹"));
    head.appendChild(el("span", { "class": "date-picker-month", "aria-live": "polite" },
      MONTHS[focused.getMonth()] + " " + digits(focused.getFullYear())));
    head.appendChild(el("button", { type: "button", "data-move": "1", "aria-label": TEXT.next }, "›"));
    popup.appendChild(head);
    var table = el("table", { role: "grid", "class": "date-picker-grid" });
    var row = el("tr");
    DAYS.forEach(function (d) { row.appendChild(el("th", { scope: "col" }, d)); });
    table.appendChild(el("thead")).appendChild(row);
    var body = table.appendChild(el("tbody"));
    var first = new Date(focused.getFullYear(), focused.getMonth(), 1);
    var offset = (first.getDay() + 1) % 7; // the week starts on Saturday, as in Bangladesh
    var days = new Date(focused.getFullYear(), focused.getMonth() + 1, 0).getDate();
    row = body.appendChild(el("tr"));
    for (var i = 0; i < offset; i++) row.appendChild(el("td"));
    var target = null;
    for (var d = 1; d <= days; d++) {
      if ((offset + d - 1) % 7 === 0 && d > 1) row = body.appendChild(el("tr"));
      var date = new Date(focused.getFullYear(), focused.getMonth(), d);
      var attrs = { type: "button", "data-day": iso(date), tabindex: sameDay(date, focused) ? "0" : "-1",
        "aria-label": digits(d) + " " + MONTHS[date.getMonth()] + " " + digits(date.getFullYear()) };
      if (sameDay(date, chosen)) attrs["aria-pressed"] = "true";
      var button = el("button", attrs, digits(d));
      if (sameDay(date, focused)) target = button;
      row.appendChild(el("td")).appendChild(button);
    }
    popup.appendChild(table);
    popup.appendChild(el("button", { type: "button", "class": "date-picker-close", "data-close": "1" }, TEXT.close));
    if (target) target.focus();
  }

  function open(box, button) {
    close(false);
    input = box;
    toggle = button;
    chosen = parse(box.value);
    var start = chosen || new Date();
    focused = new Date(start.getFullYear(), start.getMonth(), start.getDate());
    popup = el("div", { "class": "date-picker", role: "dialog", "aria-label": TEXT.dialog });
    box.parentNode.appendChild(popup);
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    render();
  }

  function close(returnFocus) {
    if (!popup) return;
    popup.remove();
    popup = null;
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    if (returnFocus && input) input.focus();
  }

  function choose(date) {
    input.value = format(date);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    close(true);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".date-picker-toggle");
    if (button) {
      event.preventDefault();
      var box = document.getElementById(button.getAttribute("data-date-picker-for"));
      if (popup && input === box) close(true);
      else if (box) open(box, button);
      return;
    }
    if (!popup) return;
    if (!popup.contains(event.target)) { close(false); return; }
    var day = event.target.closest("[data-day]");
    var move = event.target.closest("[data-move]");
    if (day) {
      var p = day.getAttribute("data-day").split("-");
      choose(new Date(+p[0], +p[1] - 1, +p[2]));
    } else if (move) {
      focused = addMonths(focused, +move.getAttribute("data-move"));
      render();
    } else if (event.target.closest("[data-close]")) {
      close(true);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("date-entry") && event.altKey && event.key === "ArrowDown") {
      event.preventDefault();
      open(target, target.parentNode.querySelector(".date-picker-toggle"));
      return;
    }
    if (!popup || !popup.contains(target)) return;
    var steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (steps[event.key] && target.hasAttribute("data-day")) {
      event.preventDefault();
      focused = new Date(focused.getFullYear(), focused.getMonth(), focused.getDate() + steps[event.key]);
      render();
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      focused = addMonths(focused, (event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1));
      render();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (popup && !popup.contains(event.target) && event.target !== toggle) close(false);
  });
})();
