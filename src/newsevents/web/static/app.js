// newsevents pages: draws the Vega-Lite charts embedded as JSON, follows clicks on chart marks,
// and highlights an event's evidence on the article page.  The pages work without it (tables
// carry the same links; ?event= highlights on the server); it adds no content of its own.
(function () {
  "use strict";

  // Only same-site addresses from our own data are followed: "/path", "?query" or "#anchor".
  function safeHref(h) {
    return typeof h === "string" && /^(\/(?![\/\\])|[?#])/.test(h);
  }

  function focusTarget(hash) {
    var el = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!el) return;
    document.querySelectorAll(".period-group.focused").forEach(function (g) { g.classList.remove("focused"); });
    if (el.classList.contains("period-group")) el.classList.add("focused");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start" });
  }

  function follow(href) {
    if (!safeHref(href)) return;
    if (href.charAt(0) === "#") {
      if (location.hash === href) focusTarget(href); else location.hash = href;
    } else {
      location.assign(href);
    }
  }

  function drawCharts() {
    var boxes = document.querySelectorAll("[data-chart]");
    if (!boxes.length) return;
    if (typeof window.vegaEmbed !== "function") {
      boxes.forEach(function (el) { el.setAttribute("data-error", "vega-embed missing"); });
      return;
    }
    boxes.forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var spec;
      try { spec = JSON.parse(src.textContent); } catch (e) { el.setAttribute("data-error", String(e)); return; }
      window.vegaEmbed(el, spec, {
        mode: "vega-lite", renderer: "svg", ast: true,   // ast: the expression interpreter, no eval (our CSP forbids it)
        actions: { export: true, source: false, compiled: false, editor: false },
        tooltip: { theme: "light" }
      }).then(function (res) {
        el.setAttribute("data-rendered", "true");
        res.view.addEventListener("click", function (event, item) {
          var d = item && item.datum;
          if (d && d.href) follow(d.href);
        });
      }).catch(function (err) {
        el.setAttribute("data-error", String(err));
        el.textContent = "The chart could not be drawn (" + err + "); its data is in the table.";
      });
    });
  }

  // -- article page ------------------------------------------------------------------------------
  // Scroll the (sticky, scrollable) event list so that this item shows, if it does not already.
  function showInList(li) {
    var aside = li.closest(".article-events");
    if (!aside || aside.scrollHeight <= aside.clientHeight) return;
    var a = aside.getBoundingClientRect(), r = li.getBoundingClientRect();
    if (r.top >= a.top && r.bottom <= a.bottom) return;
    aside.scrollTop += r.top - a.top - 8;
  }

  function highlightEvent(id, scroll) {
    var text = document.getElementById("text");
    if (!text) return false;
    text.querySelectorAll(".ev-bracket").forEach(function (b) { b.remove(); });
    text.querySelectorAll(".hl, .hl-source, .hl-target, .hl-predicate").forEach(function (s) {
      s.classList.remove("hl", "hl-source", "hl-target", "hl-predicate");
    });
    document.querySelectorAll(".event-item.selected").forEach(function (li) {
      li.classList.remove("selected");
      var a = li.querySelector(".event-select"); if (a) a.removeAttribute("aria-current");
      var n = li.querySelector(".selected-note"); if (n) n.textContent = "";
    });
    if (!id) return false;
    var segs = [];
    text.querySelectorAll("[data-ev]").forEach(function (s) {
      var tokens = s.getAttribute("data-ev").split(" ");
      if (tokens.indexOf(id + ":e") >= 0) { s.classList.add("hl"); segs.push(s); }
      if (tokens.indexOf(id + ":s") >= 0) s.classList.add("hl-source");
      if (tokens.indexOf(id + ":t") >= 0) s.classList.add("hl-target");
      if (tokens.indexOf(id + ":p") >= 0) s.classList.add("hl-predicate");
    });
    var li = document.getElementById("ev-" + id);
    if (li) {
      showInList(li);
      li.classList.add("selected");
      var a = li.querySelector(".event-select"); if (a) a.setAttribute("aria-current", "true");
      var n = li.querySelector(".selected-note"); if (n) n.textContent = "(highlighted in the text)";
    }
    if (!segs.length) return false;
    var open = document.createElement("span"), close = document.createElement("span");
    open.className = close.className = "ev-bracket";
    open.id = "evidence";
    open.setAttribute("aria-hidden", "true"); close.setAttribute("aria-hidden", "true");
    open.textContent = "\u27E6"; close.textContent = "\u27E7";
    segs[0].parentNode.insertBefore(open, segs[0]);
    var last = segs[segs.length - 1];
    last.parentNode.insertBefore(close, last.nextSibling);
    if (scroll) segs[0].scrollIntoView({ block: "center" });
    return true;
  }

  function wireArticle() {
    var links = document.querySelectorAll(".event-select[data-event]");
    links.forEach(function (a) {
      a.addEventListener("click", function (ev) {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        var id = a.getAttribute("data-event");
        highlightEvent(id, true);
        try { history.replaceState(null, "", a.getAttribute("href")); } catch (e) { /* file: or sandbox */ }
      });
    });
    // a link to #evidence scrolls there by itself; bring it to the middle of the screen
    var first = document.querySelector("#text .hl");
    if (first && location.hash === "#evidence") {
      window.addEventListener("load", function () { first.scrollIntoView({ block: "center" }); });
    }
    var sel = document.querySelector(".event-item.selected");
    if (sel) showInList(sel);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    wireArticle();
    if (location.hash && document.querySelector(".period-group")) focusTarget(location.hash);
    window.addEventListener("hashchange", function () {
      if (location.hash) focusTarget(location.hash);
    });
  });
})();
