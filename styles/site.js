// archiver's HTML site: the index's search box filters the articles as one types, with no
// request. Every word typed must appear in an article's title, outlet, authors, dates, tags,
// state, description or highlights. A site of one page filters the list in the page itself; a
// site of several pages (a large package) loads listing.js, every article, the first time one
// types, and shows what matches from every page.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var shown = document.getElementById("shown");
  if (!box || !shown) {
    return;
  }
  var entries = Array.prototype.slice.call(document.querySelectorAll("main li.entry"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  var source = box.getAttribute("data-listing");
  var main = document.querySelector("main");
  var found = document.getElementById("found");
  var listing = null;
  var loading = false;
  var SHOWN_AT_MOST = 500;

  function words() {
    return box.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }
  function matches(text, wanted) {
    return wanted.every(function (word) { return text.indexOf(word) !== -1; });
  }
  function filterPage() {
    var wanted = words();
    var count = 0;
    entries.forEach(function (entry) {
      var match = matches(entry.getAttribute("data-search") || "", wanted);
      entry.hidden = !match;
      if (match) {
        count += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("li.entry:not([hidden])");
    });
    shown.textContent = wanted.length
      ? count + " of " + entries.length + " articles"
      : entries.length + " articles";
  }
  function line(parent, tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }
  function filterAll() {
    var wanted = words();
    if (!wanted.length) {
      found.hidden = true;
      main.hidden = false;
      shown.textContent = listing.length + " articles in all";
      return;
    }
    var hits = listing.filter(function (entry) { return matches(entry.s, wanted); });
    found.textContent = "";
    hits.slice(0, SHOWN_AT_MOST).forEach(function (entry) {
      var item = line(found, "li", "entry", "");
      line(item, "a", "title", entry.t).setAttribute("href", entry.h);
      if (entry.f) {
        line(item, "p", "facts", entry.f);
      }
      if (entry.g.length) {
        var tags = line(item, "p", "tags", "");
        entry.g.forEach(function (tag) { line(tags, "span", "tag", tag); });
      }
    });
    found.hidden = false;
    main.hidden = true;
    shown.textContent = hits.length + " of " + listing.length + " articles" +
      (hits.length > SHOWN_AT_MOST ? " (the first " + SHOWN_AT_MOST + " shown)" : "");
  }
  function filter() {
    if (!source || !found) {
      filterPage();
    } else if (listing) {
      filterAll();
    } else if (!loading) {
      loading = true;
      var script = document.createElement("script");
      script.src = source;
      script.onload = function () {
        listing = window.archiverListing || [];
        filterAll();
      };
      document.body.appendChild(script);
    }
  }
  box.hidden = false;
  box.addEventListener("input", filter);
  if (source) {
    shown.textContent = entries.length + " articles on this page";
  } else {
    filterPage();
  }
})();
