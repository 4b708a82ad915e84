/* ssg colour scheme: the reader's choice of system, light or dark, remembered in this browser.
   Loaded in <head> before the stylesheet (not deferred), so a page never shows the wrong scheme first.
   Stores one entry, "ssg:color-scheme" (light or dark; "system" removes it). Without this script the
   switch stays hidden and pages follow the system's scheme. */
(function () {
  "use strict";

  var KEY = "ssg:color-scheme";
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "system";
    } catch (e) {
      return "system";
    }
  }

  function remember(choice) {
    try {
      if (choice === "system") {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, choice);
      }
    } catch (e) {
      /* storage refused: the choice holds for this page only */
    }
  }

  function apply(choice) {
    if (choice === "system") {
      root.removeAttribute("data-theme");
    } else {
      root.setAttribute("data-theme", choice);
    }
  }

  function current() {
    return root.getAttribute("data-theme") || "system";
  }

  function connect() {
    var group = document.querySelector(".scheme-switch");
    if (!group) { return; }
    var buttons = Array.prototype.slice.call(group.querySelectorAll("button[data-scheme]"));
    function show() {
      var choice = current();
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-scheme") === choice)); });
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var choice = b.getAttribute("data-scheme");
        apply(choice);
        remember(choice);
        show();
      });
    });
    /* Another tab chose: follow it. */
    window.addEventListener("storage", function (event) {
      if (event.key === KEY || event.key === null) {
        apply(stored());
        show();
      }
    });
    show();
    group.hidden = false;
  }

  apply(stored());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
