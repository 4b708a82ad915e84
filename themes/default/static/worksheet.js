/* ssg worksheets: save answers in this browser, compute values and scores, save/load a
   Markdown journal entry, print filled in or blank. No network requests, no dependencies.
   Without this script the worksheet is still a complete form that can be filled in and printed. */
(function () {
  "use strict";

  var MARK = /^<!-- ssg:([a-z0-9_-]+) -->$/;

  function storage() {
    try {
      var probe = "ssg:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function Sheet(article, store) {
    var payload = JSON.parse(article.querySelector("script.ws-data").textContent);
    this.data = payload.sheet;
    this.strings = payload.strings;
    this.form = article.querySelector("form.worksheet");
    this.article = article;
    this.store = store;
    this.lang = document.documentElement.lang || "de";
    this.fields = {};
    var self = this;
    this.data.fields.forEach(function (f) { self.fields[f.id] = f; });
  }

  Sheet.prototype.controls = function (name) {
    return Array.prototype.slice.call(this.form.elements).filter(function (el) {
      return el.name === name;
    });
  };

  Sheet.prototype.names = function () {
    var names = this.data.prompts.map(function (p) { return p.name; });
    this.data.fields.forEach(function (f) {
      if (f.type !== "computed") { names.push(f.id); }
    });
    return names;
  };

  Sheet.prototype.read = function () {
    var values = {};
    var self = this;
    this.names().forEach(function (name) {
      var els = self.controls(name);
      if (!els.length) { return; }
      if (els[0].type === "radio") {
        var hit = els.filter(function (el) { return el.checked; })[0];
        if (hit) { values[name] = hit.value; }
      } else if (els[0].type === "checkbox") {
        var picked = els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
        if (picked.length) { values[name] = picked; }
      } else if (els[0].value !== "") {
        values[name] = els[0].value;
      }
    });
    return values;
  };

  Sheet.prototype.write = function (values, keep) {
    var self = this;
    this.names().forEach(function (name) {
      var value = values[name];
      self.controls(name).forEach(function (el) {
        if (el === keep) {
          return;  // the control the reader is typing in right now
        } else if (el.type === "radio") {
          el.checked = value !== undefined && String(value) === el.value;
        } else if (el.type === "checkbox") {
          el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
        } else {
          el.value = value === undefined ? "" : String(value);
        }
      });
    });
    this.update();
  };

  /* Returns whether answers were written to the browser's storage. */
  Sheet.prototype.save = function () {
    if (!this.store) { return false; }
    var values = this.read();
    if (Object.keys(values).length) {
      this.store.setItem(this.data.key, JSON.stringify({ version: 1, values: values }));
      return true;
    }
    this.store.removeItem(this.data.key);
    return false;
  };

  /* After the reader's own edit: save, and say so politely in the status line (once, not per key). */
  Sheet.prototype.saveEdit = function () {
    this.status(this.save() ? this.strings.saved_locally : "");
  };

  Sheet.prototype.restore = function () {
    if (!this.store) { return; }
    try {
      var saved = JSON.parse(this.store.getItem(this.data.key) || "null");
      if (saved && saved.values) { this.write(saved.values); }
    } catch (e) { /* a damaged entry is ignored, never fatal */ }
  };

  // A number as typed ("3,5" or "3.5"), or null; a number outside the field's min and max counts as not
  // given, and the field says so (aria-invalid), so that no formula goes on with it.
  Sheet.prototype.number = function (id, text) {
    var input = this.controls(id)[0];
    var trimmed = String(text).trim();
    var result = /^[-+]?\d+(?:[.,]\d+)?$/.test(trimmed) ? parseFloat(trimmed.replace(",", ".")) : NaN;
    if (!isNaN(result) && input) {
      var low = input.getAttribute("data-min"), high = input.getAttribute("data-max");
      if ((low !== null && result < Number(low)) || (high !== null && result > Number(high))) { result = NaN; }
    }
    if (input) {
      if (trimmed && isNaN(result)) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }
    return isNaN(result) ? null : result;
  };

  Sheet.prototype.numbers = function () {
    var values = this.read();
    var self = this;
    var memo = {};
    function value(id) {
      if (id in memo) { return memo[id]; }
      var field = self.fields[id];
      var result = null;
      if (field && field.type === "number" && values[id] !== undefined) {
        result = self.number(id, values[id]);
      } else if (field && field.type === "computed") {
        result = evaluate(field.formula, value);
      }
      memo[id] = result;
      return result;
    }
    return value;
  };

  function evaluate(node, value) {
    if (typeof node === "number") { return node; }
    if (node.ref) { return value(node.ref); }
    var a = evaluate(node.a, value);
    if (a === null) { return null; }
    if (node.op === "neg") { return -a; }
    var b = evaluate(node.b, value);
    if (b === null) { return null; }
    if (node.op === "+") { return a + b; }
    if (node.op === "-") { return a - b; }
    if (node.op === "*") { return a * b; }
    return b === 0 ? null : a / b;
  }

  Sheet.prototype.format = function (number, decimals) {
    return new Intl.NumberFormat(this.lang, {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals
    }).format(number);
  };

  Sheet.prototype.update = function () {
    var value = this.numbers();
    var self = this;
    this.data.fields.forEach(function (f) {
      if (f.type === "number") { value(f.id); }  // marks a number out of range, used in a formula or not
      if (f.type !== "computed") { return; }
      var out = self.form.querySelector('output[data-computed="' + f.id + '"]');
      var result = value(f.id);
      var empty = result === null || !isFinite(result);
      if (empty) {
        self.pending(out);
      } else {
        out.value = self.format(result, f.decimals);
      }
      out.toggleAttribute("data-empty", empty);  // paper shows an empty box, not a line
    });
    this.updateScore();
  };

  Sheet.prototype.total = function () {
    var score = this.data.score;
    var values = this.read();
    var total = 0;
    for (var i = 0; i < score.sum.length; i++) {
      var field = this.fields[score.sum[i]];
      var raw = values[field.id];
      if (raw === undefined) { return null; }
      var n = parseInt(raw, 10);
      total += field.reverse ? field.min + field.max - n : n;
    }
    return total;
  };

  Sheet.prototype.band = function (total) {
    return this.data.score.bands.filter(function (b) { return b.low <= total && total <= b.high; })[0];
  };

  Sheet.prototype.updateScore = function () {
    if (!this.data.score) { return; }
    var live = this.form.querySelector(".score-live");
    var totalOut = live.querySelector("[data-score-total]");
    var bandOut = live.querySelector("[data-score-band]");
    live.hidden = false;
    var total = this.total();
    var band = total === null ? null : this.band(total);
    live.classList.toggle("has-total", total !== null);  // printed only then
    totalOut.textContent = total === null ? "" : total + " " + this.strings.score_points;
    bandOut.textContent = total === null ? this.strings.score_open : (band ? "– " + band.title : "");
    Array.prototype.forEach.call(this.form.querySelectorAll(".bands .band"), function (el) {
      var on = band && Number(el.getAttribute("data-low")) === band.low;
      el.classList.toggle("current", Boolean(on));
    });
  };

  /* Not computable yet: a quiet "not computed yet" on screen, a blank line to write on paper. */
  Sheet.prototype.pending = function (out) {
    if (out.querySelector(".pending")) { return; }
    var quiet = document.createElement("span");
    quiet.className = "pending";
    quiet.textContent = this.strings.not_computed;
    var blank = document.createElement("span");
    blank.className = "blank";
    blank.setAttribute("aria-hidden", "true");
    blank.textContent = "_____";
    out.textContent = "";
    out.appendChild(quiet);
    out.appendChild(blank);
  };

  Sheet.prototype.status = function (text) {
    var el = this.form.querySelector(".ws-status");
    if (el && el.textContent !== text) { el.textContent = text; }  // the same words again are not news
  };

  /* --- Markdown journal entry ------------------------------------------------------- */

  function escapeLines(text) {
    return text.split("\n").map(function (line) {
      return /^(#|<!--|\\)/.test(line) ? "\\" + line : line;
    }).join("\n");
  }

  function unescapeLines(text) {
    return text.split("\n").map(function (line) {
      return /^\\(#|<!--|\\)/.test(line) ? line.slice(1) : line;
    }).join("\n");
  }

  Sheet.prototype.answerText = function (name, values) {
    var field = this.fields[name];
    var value = values[name];
    var none = this.strings.no_answer;
    if (field && field.type === "computed") {
      var result = this.numbers()(name);
      return result === null ? none : this.format(result, field.decimals) + (field.unit ? " " + field.unit : "");
    }
    if (value === undefined) { return none; }
    if (!field) { return escapeLines(value); }
    if (field.type === "choice") {
      return [].concat(value).map(function (v) { return "- " + v; }).join("\n");
    }
    if (field.type === "number") { return value + (field.unit ? " " + field.unit : ""); }
    if (field.type === "scale") { return value + " (" + field.min + "–" + field.max + ")"; }
    return escapeLines(value);
  };

  Sheet.prototype.toMarkdown = function (today) {
    var values = this.read();
    var s = this.strings;
    var self = this;
    var out = ["# " + this.data.title, "",
      "- " + s.journal_date + ": " + today,
      "- " + s.journal_essay + ": " + this.data.essay,
      "- " + s.journal_source + ": " + this.data.url, ""];
    if (this.data.prompts.length) {
      out.push("## " + s.reflection_questions, "");
      this.data.prompts.forEach(function (p, i) {
        out.push("### " + (i + 1) + ". " + p.text, "<!-- ssg:" + p.name + " -->", "", self.answerText(p.name, values), "");
      });
    }
    if (this.data.fields.length) {
      out.push("## " + this.data.title, "");
      this.data.fields.forEach(function (f) {
        out.push("### " + f.label, "<!-- ssg:" + f.id + " -->", "", self.answerText(f.id, values), "");
      });
    }
    if (this.data.score) {
      var total = this.total();
      var band = total === null ? null : this.band(total);
      out.push("## " + s.journal_score, "", total === null ? s.score_open :
        total + " " + s.score_points + (band ? " – " + band.title : ""), "");
    }
    return out.join("\n");
  };

  Sheet.prototype.fromMarkdown = function (text) {
    var blocks = {};
    var current = null;
    text.replace(/\r\n?/g, "\n").split("\n").forEach(function (line) {
      var mark = MARK.exec(line.replace(/\s+$/, ""));  // as written: at the line's start (an answer may indent one)
      if (mark) { current = mark[1]; blocks[current] = []; return; }
      if (/^#{1,3} /.test(line)) { current = null; return; }
      if (current) { blocks[current].push(line); }
    });
    var values = {};
    var self = this;
    var found = 0;
    Object.keys(blocks).forEach(function (name) {
      var content = blocks[name].join("\n").trim();
      var field = self.fields[name];
      var isPrompt = self.data.prompts.some(function (p) { return p.name === name; });
      if (!isPrompt && !field) { return; }
      found += 1;
      if (content === self.strings.no_answer || content === "") { return; }
      if (!field || field.type === "text") {
        values[name] = unescapeLines(content);
      } else if (field.type === "choice") {
        var picked = content.split("\n").map(function (l) { return l.replace(/^- /, "").trim(); })
          .filter(function (v) { return field.options.indexOf(v) !== -1; });
        if (picked.length) { values[name] = field.multiple ? picked : picked[0]; }
      } else if (field.type === "number" || field.type === "scale") {
        var match = /-?\d+(?:[.,]\d+)?/.exec(content);
        if (match) { values[name] = match[0].replace(",", "."); }
      }
    });
    return found ? values : null;
  };

  Sheet.prototype.download = function () {
    var today = new Date().toISOString().slice(0, 10);
    var blob = new Blob([this.toMarkdown(today)], { type: "text/markdown;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = this.data.slug + "-" + today + ".md";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  };

  // The worksheet a saved file came from: its "- Source: URL" line (questions are numbered alike on every sheet).
  Sheet.prototype.sourceOf = function (text) {
    var prefix = "- " + this.strings.journal_source + ": ";
    var line = text.replace(/\r\n?/g, "\n").split("\n").filter(function (l) { return l.indexOf(prefix) === 0; })[0];
    return line ? line.slice(prefix.length).trim() : null;
  };

  Sheet.prototype.load = function (input) {
    var file = input.files && input.files[0];
    var self = this;
    if (!file) { return; }
    file.text().then(function (text) {
      input.value = "";  // choosing the same file again must be noticed, too
      var source = self.sourceOf(text);
      if (source && source !== self.data.url) {
        self.status(self.strings.load_other.replace("{url}", source));
        return;
      }
      var values = self.fromMarkdown(text);
      if (!values) { self.status(self.strings.load_error); return; }
      if (Object.keys(self.read()).length && !window.confirm(self.strings.load_confirm)) { return; }
      self.write(values);
      self.save();
      self.status(self.strings.saved_locally);
    });
  };

  // Another tab with the same sheet (its page, or the booklet) saved: show its answers here, too, so that
  // this tab's next save does not write its older answers over them.
  Sheet.prototype.follow = function (event) {
    if (event.key !== this.data.key || event.storageArea !== this.store) { return; }
    var saved = null;
    try { saved = JSON.parse(event.newValue || "null"); } catch (e) { return; }
    this.write(saved && saved.values ? saved.values : {}, document.activeElement);
  };

  /* --- Printing ------------------------------------------------------------------------- */

  function fitLines() {
    Array.prototype.forEach.call(document.querySelectorAll("form.worksheet textarea"), function (el) {
      if (!el.dataset.lines) { el.dataset.lines = el.style.getPropertyValue("--lines") || "3"; }
      var needed = el.value.split("\n").reduce(function (n, line) {
        return n + Math.max(1, Math.ceil(line.length / 70));
      }, 0);
      el.style.setProperty("--lines", String(Math.max(Number(el.dataset.lines), el.value ? needed : 0)));
    });
  }

  // A sheet's own print buttons print that sheet alone, also in the booklet (the browser's menu prints all).
  Sheet.prototype.print = function () {
    var body = document.body;
    body.classList.add("print-one");
    this.article.classList.add("print-target");
    try {
      window.print();
    } finally {
      body.classList.remove("print-one");
      this.article.classList.remove("print-target");
    }
  };

  Sheet.prototype.printBlank = function () {
    var values = this.read();
    this.write({});
    try {
      this.print();
    } finally {
      this.write(values);
    }
  };

  /* The toolbar's other actions: a disclosure on narrow screens (the same width as style.css's), always open
     on wider ones, where its summary is hidden. Escape or a click elsewhere closes it; so does an action. */
  var NARROW = "(max-width: 48rem)";

  Sheet.prototype.fold = function (tools) {
    var details = tools && tools.querySelector("details.ws-more");
    if (!details || !window.matchMedia) { return null; }
    var narrow = window.matchMedia(NARROW);
    var summary = details.querySelector("summary");
    function fit() { details.open = !narrow.matches; }
    function close(refocus) {
      if (!narrow.matches || !details.open) { return; }
      // Focus on an action that is folded away would be lost: it goes back to the menu's button.
      var within = details.contains(document.activeElement) && document.activeElement !== summary;
      details.open = false;
      if (refocus || within) { summary.focus(); }
    }
    fit();
    if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && details.open) { event.preventDefault(); close(true); }
    });
    document.addEventListener("click", function (event) {
      if (!details.contains(event.target)) { close(false); }
    });
    return { close: function () { close(false); } };
  };

  Sheet.prototype.bind = function () {
    var self = this;
    var tools = this.form.querySelector(".ws-tools");
    if (tools) { tools.hidden = false; }
    var more = this.fold(tools);
    this.form.addEventListener("input", function () { self.update(); self.saveEdit(); });
    this.form.addEventListener("change", function (event) {
      if (event.target.type === "file") { if (more) { more.close(); } self.load(event.target); return; }
      self.update();
      self.saveEdit();
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("storage", function (event) { self.follow(event); });
    this.form.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (more && action && action !== "load") { more.close(); }
      if (action === "print") { self.print(); }
      if (action === "print-blank") { self.printBlank(); }
      if (action === "save") { self.download(); }
      if (action === "clear" && window.confirm(self.strings.clear_confirm)) {
        self.write({});
        if (self.store) { self.store.removeItem(self.data.key); }
        self.status("");
      }
    });
  };

  var store = storage();
  Array.prototype.forEach.call(document.querySelectorAll("article.sheet"), function (article) {
    var sheet = new Sheet(article, store);
    sheet.bind();
    sheet.restore();
    sheet.update();
  });
  window.addEventListener("beforeprint", fitLines);
})();
