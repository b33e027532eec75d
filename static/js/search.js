/* Search box: suggestions as a WAI-ARIA combobox, and voice input where the browser has it.
   Progressive enhancement: without this file the form is a plain GET form. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function text(zh, en) {
    return (document.documentElement.lang || "").indexOf("en") === 0 ? en : zh;
  }

  function setupCombobox(form, input) {
    var url = form.getAttribute("data-suggest-url");
    if (!url) { return; }
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", text("搜索建议", "Suggestions"));
    list.hidden = true;
    form.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function choose(index) {
      if (index < 0 || index >= items.length) { return; }
      input.value = items[index].getAttribute("data-label");
      close();
      form.submit();
    }

    function render(suggestions) {
      list.innerHTML = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-label", s.label);
        li.textContent = s.label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
        return li;
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = text("有 " + items.length + " 条建议，按上下键选择", items.length + " suggestions, use the arrow keys");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var value = input.value.trim();
      if (!value) { render([]); return; }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) { render(data.suggestions || []); } })
        .catch(function () { render([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (list.hidden) { fetchSuggestions(); return; }
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function setupVoice(form, input) {
    var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    if (!Recognition) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "voice-search";
    button.textContent = text("说话搜索", "Speak");
    button.setAttribute("aria-pressed", "false");
    form.appendChild(button);
    var recognition = new Recognition();
    recognition.lang = text("zh-CN", "en-US");
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    var listening = false;

    function stop() {
      listening = false;
      button.setAttribute("aria-pressed", "false");
      button.textContent = text("说话搜索", "Speak");
    }

    button.addEventListener("click", function () {
      if (listening) { recognition.stop(); stop(); return; }
      listening = true;
      button.setAttribute("aria-pressed", "true");
      button.textContent = text("正在听，请说…", "Listening…");
      recognition.start();
    });
    recognition.addEventListener("result", function (event) {
      var said = event.results[0][0].transcript.replace(/[。，！？.,!?]+$/, "");
      input.value = said;
      stop();
      if (said) { form.submit(); }
    });
    recognition.addEventListener("error", stop);
    recognition.addEventListener("end", stop);
  }

  ready(function () {
    var forms = document.querySelectorAll("form.site-search");
    Array.prototype.forEach.call(forms, function (form) {
      var input = form.querySelector("input[name=q]");
      if (!input) { return; }
      setupCombobox(form, input);
      setupVoice(form, input);
    });
  });
})();
