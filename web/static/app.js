// procreg: results as you type on the search page (progressive enhancement; the form works without it).
// A form with data-live="#target" fetches the same URL with partial=1 and puts the answer in #target.
(function () {
  "use strict";
  function live(form) {
    var target = document.querySelector(form.getAttribute("data-live"));
    if (!target) { return; }
    var timer = null, serial = 0;
    function run() {
      var params = new URLSearchParams(new FormData(form));
      var query = params.toString();
      params.set("partial", "1");
      var mine = ++serial;
      fetch(form.getAttribute("action") + "?" + params.toString(), {headers: {"Accept": "text/html"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null || mine !== serial) { return; }
          target.innerHTML = html;  // server-rendered, autoescaped fragment of this site
          history.replaceState(null, "", form.getAttribute("action") + "?" + query);
        })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(run, 200); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-live]"), live);
  });
})();
