/* Shows the session notice (templates/silver/partials/session_notice.html) shortly before a
   signed-in session ends for lack of activity. Without this file the 「继续使用」 form still works;
   with it, the form renews the session in place and the notice hides again. */
(function () {
  "use strict";
  var region = document.querySelector(".session-notice-region");
  if (!region) { return; }
  var notice = document.getElementById("session-notice");
  var form = region.querySelector("form");
  var warnAfter = parseInt(region.getAttribute("data-warn-after"), 10) * 1000;
  var timer = null;

  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { notice.hidden = false; }, Math.max(0, ms));
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch) { return; }
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (answer) {
        notice.hidden = true;
        schedule(answer.warn_after * 1000);
      })
      .catch(function () { form.submit(); });
  });
  schedule(warnAfter);
}());
