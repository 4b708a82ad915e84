/* ssg pages: the reader's colour scheme (system, light or dark, remembered in this browser) and a link
   to each section's heading. Loaded in <head> before the stylesheet (not deferred), so a page never shows
   the wrong scheme first. Stores one entry, "ssg:color-scheme" (light or dark; "system" removes it).
   Without this script the switch stays hidden, pages follow the system's scheme, and headings keep their
   ids (the table of contents links to them) but show no link of their own. */
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

  /* After each heading of an essay, a link to it: shown on hover and focus, named for screen readers
     ("Link zu diesem Abschnitt: <heading>") and kept out of the heading's own name. */
  function addAnchors() {
    Array.prototype.forEach.call(document.querySelectorAll(".essay-body[data-anchor-label]"), function (body) {
      var label = body.getAttribute("data-anchor-label");
      Array.prototype.forEach.call(body.children, function (heading) {
        if (!/^H[234]$/.test(heading.tagName) || !heading.id) { return; }
        var wrap = document.createElement("div");
        wrap.className = "heading-wrap level-" + heading.tagName.charAt(1);
        body.insertBefore(wrap, heading);
        wrap.appendChild(heading);
        var link = document.createElement("a");
        link.className = "heading-anchor";
        link.href = "#" + heading.id;
        link.setAttribute("aria-label", label.replace("{heading}", heading.textContent.trim()));
        link.textContent = "#";
        wrap.appendChild(link);
      });
    });
  }

  function ready() {
    connect();
    addAnchors();
  }

  apply(stored());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
