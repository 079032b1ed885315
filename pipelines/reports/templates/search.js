// The offline search of a paged ranking. index.js, beside this file, holds every
// department in rank order (a department's page follows from its position); it is
// read from a <script src> (a file: URL allows no fetch) when a search is first asked
// for, so a page opens without the index of a whole country. No network, no library;
// every word shown comes from the form's data-* attributes (the message catalog).
(function () {
  "use strict";
  var LIMIT = 100;
  var form = document.getElementById("ranking-search");
  if (!form) {
    return;
  }
  var input = form.querySelector("input");
  var status = form.querySelector("[data-role=status]");
  var results = form.querySelector("[data-role=results]");
  var pages = form.getAttribute("data-pages");
  var departments = form.getAttribute("data-departments");
  var asked = null;  // the latest text, searched once the index is there
  var loading = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function hit(index, i) {
    var code = index.code[i];
    var page = Math.floor(i / index.rows) + 1;
    var item = document.createElement("li");
    item.setAttribute("data-dept", code);
    var row = document.createElement("a");
    row.href = pages + fill(index.page, { n: page }) + "#" + encodeURIComponent("dept-" + code);
    row.textContent = fill(form.getAttribute("data-hit"), {
      rank: index.rank[i], name: index.name[i], page: page
    });
    var tag = document.createElement("span");
    tag.className = "code";
    tag.textContent = code;
    item.appendChild(row);
    item.appendChild(tag);
    var report = index.report[i];
    if (report) {
      var link = document.createElement("a");
      link.href = departments + (report === 1 ? fill(index.department, { code: code }) : report);
      link.textContent = form.getAttribute("data-report");
      item.appendChild(link);
    }
    return item;
  }

  function search(index, text) {
    var query = text.trim().toLowerCase();
    results.textContent = "";
    status.textContent = "";
    if (!query) {
      return;
    }
    var found = 0;
    var shown = document.createDocumentFragment();
    for (var i = 0; i < index.code.length; i++) {
      if (index.code[i].toLowerCase().indexOf(query) < 0 &&
          index.name[i].toLowerCase().indexOf(query) < 0) {
        continue;
      }
      found += 1;
      if (found <= LIMIT) {
        shown.appendChild(hit(index, i));
      }
    }
    results.appendChild(shown);
    var said = found === 0 ? "data-none" : found > LIMIT ? "data-more" : "data-found";
    status.textContent = fill(form.getAttribute(said), { n: found, shown: LIMIT });
  }

  function ask(text) {
    asked = text;
    if (window.jixiaoRanking) {
      search(window.jixiaoRanking, asked);
      return;
    }
    if (loading) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () {
      search(window.jixiaoRanking, asked);
    };
    document.head.appendChild(script);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
  });
  input.addEventListener("input", function () {
    ask(input.value);
  });
  // summary.html?q=… opens with the departments found (a link to a search, or the
  // form sent before this script ran)
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) {
    input.value = q;
    ask(q);
  }
})();
