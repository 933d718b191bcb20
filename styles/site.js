// archiver's HTML site: the index's search box filters the list of articles as one types, in the
// page itself (no request, no index file). Every word typed must appear in an article's title,
// outlet, authors, dates, tags, state, description or highlights.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var shown = document.getElementById("shown");
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  if (!box || !shown) {
    return;
  }
  function filter() {
    var words = box.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    entries.forEach(function (entry) {
      var text = entry.getAttribute("data-search") || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      entry.hidden = !match;
      if (match) {
        count += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("li.entry:not([hidden])");
    });
    shown.textContent = words.length
      ? count + " of " + entries.length + " articles"
      : entries.length + " articles";
  }
  box.hidden = false;
  box.addEventListener("input", filter);
  filter();
})();
