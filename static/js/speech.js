/* 朗读: reads a page's main content aloud with the browser's own speech synthesis (zh-CN, or
   English under /en/). Progressive enhancement: the buttons stay hidden where it is missing. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") { return; }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function readableText(target) {
    var copy = target.cloneNode(true);
    var skip = copy.querySelectorAll("script, style, form, button, nav, [hidden], [aria-hidden='true'], [data-read-skip]");
    Array.prototype.forEach.call(skip, function (node) { node.parentNode.removeChild(node); });
    Array.prototype.forEach.call(copy.querySelectorAll("h1, h2, h3, p, li, tr, dt, dd"), function (node) {
      node.appendChild(document.createTextNode("。"));
    });
    return copy.textContent.replace(/\s+/g, " ").replace(/([。！？；])\s*。/g, "$1").trim();
  }

  /* Chromium stops long utterances part-way; speak sentence-sized pieces instead. */
  function pieces(text) {
    var parts = text.match(/[^。！？!?；;]+[。！？!?；;]?/g) || [];
    var out = [];
    var current = "";
    parts.forEach(function (part) {
      if ((current + part).length > 160 && current) { out.push(current); current = ""; }
      current += part;
    });
    if (current.trim()) { out.push(current); }
    return out;
  }

  ready(function () {
    var english = (document.documentElement.lang || "").indexOf("en") === 0;
    Array.prototype.forEach.call(document.querySelectorAll("button.read-aloud"), function (button) {
      var targets = document.querySelectorAll(button.getAttribute("data-read") || "main");
      if (!targets.length) { return; }
      var startLabel = button.textContent;
      var stopLabel = button.getAttribute("data-stop-label") || startLabel;
      var speaking = false;

      function reset() {
        speaking = false;
        button.textContent = startLabel;
        button.setAttribute("aria-pressed", "false");
      }

      button.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        if (speaking) { reset(); return; }
        var queue = pieces(Array.prototype.map.call(targets, readableText).join("。"));
        if (!queue.length) { return; }
        speaking = true;
        button.textContent = stopLabel;
        button.setAttribute("aria-pressed", "true");
        queue.forEach(function (piece, index) {
          var utterance = new window.SpeechSynthesisUtterance(piece);
          utterance.lang = english ? "en-US" : "zh-CN";
          utterance.rate = 0.9;
          if (index === queue.length - 1) { utterance.onend = reset; }
          utterance.onerror = reset;
          window.speechSynthesis.speak(utterance);
        });
      });
    });
  });
})();
