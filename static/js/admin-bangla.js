// The admin's "0 of 12 selected" counter, which Django's actions.js rewrites on every click, in Bangla digits on a
// Bangla page (templates/admin/base_site.html). No inline script: the Content-Security-Policy allows none.
(function () {
  if (document.documentElement.lang !== "bn") return;
  var bangla = "০১২৩৪৫৬৭৮৯";
  function convert(el) {
    var text = el.textContent.replace(/\d/g, function (d) { return bangla[+d]; });
    if (text !== el.textContent) el.textContent = text;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".action-counter, .actions .all").forEach(function (el) {
      convert(el);
      new MutationObserver(function () { convert(el); }).observe(el, { childList: true, characterData: true, subtree: true });
    });
  });
})();
