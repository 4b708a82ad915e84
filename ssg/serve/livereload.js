// Live reload for `ssg serve`: injected by the preview server only, never part of a built site.
(function () {
  "use strict";
  var OVERLAY_ID = "ssg-build-errors";
  var state = JSON.parse(document.getElementById("ssg-serve-state").textContent);
  var epoch = state.epoch;
  var source = null;

  function hideProblems() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) {
      old.remove();
    }
  }

  // Error text goes in through textContent only: it comes from files and must never become markup.
  function showProblems(problems) {
    hideProblems();
    if (!problems.length) {
      return;
    }
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1rem 1.25rem;background:#fff0f0;color:#5c0000;border-bottom:3px solid #b00020;" +
      "font:14px/1.5 ui-monospace,monospace;box-shadow:0 2px 12px rgba(0,0,0,.3);text-align:left";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText = "float:right;font:inherit;font-size:20px;line-height:1;background:none;border:0;" +
      "color:inherit;cursor:pointer";
    close.addEventListener("click", hideProblems);
    var title = document.createElement("strong");
    title.textContent = "Build failed \u2013 showing the last good build. Fix the file and save:";
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem;white-space:pre-wrap";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
    });
    box.append(close, title, list);
    document.body.appendChild(box);
  }

  function refreshStylesheets(newEpoch) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("v", String(newEpoch));
      link.href = url.toString();
    });
  }

  function connect() {
    if (source) {
      return;
    }
    source = new EventSource(state.events + "?epoch=" + encodeURIComponent(epoch) +
      "&page=" + encodeURIComponent(location.pathname));
    source.addEventListener("reload", function () {
      disconnect();
      location.reload();
    });
    // Other pages changed, this one did not: nothing to reload.
    source.addEventListener("epoch", function (event) {
      epoch = JSON.parse(event.data).epoch;
      hideProblems();
    });
    source.addEventListener("css", function (event) {
      epoch = JSON.parse(event.data).epoch;
      hideProblems();
      refreshStylesheets(epoch);
    });
    source.addEventListener("problems", function (event) {
      showProblems(JSON.parse(event.data).problems);
    });
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  // Hidden tabs let go of their connection (browsers allow only a few per server) and catch up when shown.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      disconnect();
    } else {
      connect();
    }
  });
  if (document.body) {
    showProblems(state.problems);
  } else {
    document.addEventListener("DOMContentLoaded", function () { showProblems(state.problems); });
  }
  if (!document.hidden) {
    connect();
  }
})();
