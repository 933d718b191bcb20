// archiver's full-text search of a package's site, opened from the disk: no request, no server.
// A page from file:// may not fetch a file but may load a script, so the index is scripts under
// search/ (written by archiver/package/site_search.py), each calling archiverSearch.add, loaded
// as a query needs them. It answers as `archiver search` does, by the same rules: the words
// folded and split the same way, stemmed by the stems the index lists, misspelt words corrected
// to the nearest ones the package holds, and the articles ranked by SQLite FTS5's own BM25
// (the formula of fts5_aux.c, computed here from the same counts). Every text shown is set as
// text, never as markup.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}]+/gu;
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var TOKEN = /(-?)"([^"]*)"?|(\S+)/g;
  var MAX_WORDS = 64;
  var FUZZY = 8;
  var SNIPPET_WORDS = 30;
  var SNIPPET_LEAD = 4;
  var K1 = 1.2;
  var B = 0.75;
  var SHOWN = 20;

  // Loading: each shard is a script that hands its data to add()
  var store = {};
  var waiting = {};
  window.archiverSearch = {
    add: function (name, data) {
      store[name] = data;
      (waiting[name] || []).forEach(function (done) { done(); });
      delete waiting[name];
    }
  };
  function load(name) {
    if (Object.prototype.hasOwnProperty.call(store, name)) {
      return Promise.resolve(store[name]);
    }
    return new Promise(function (resolve, reject) {
      if (!waiting[name]) {
        waiting[name] = [];
        var script = document.createElement("script");
        script.src = "search/" + name + ".js";
        script.onerror = function () { reject(new Error("the search index lacks " + name + ".js")); };
        document.head.appendChild(script);
      }
      waiting[name].push(function () { resolve(store[name]); });
    });
  }
  function loadAll(names) {
    return Promise.all(names.map(load));
  }

  // Analysis (archiver/search/analysis.py)
  function fold(word) {
    return word.normalize("NFKD").toLowerCase().replace(MARKS, "").normalize("NFC").replace(/ß/g, "ss");
  }
  function bucket(text) {
    var first = text[0];
    return (first >= "a" && first <= "z") || (first >= "0" && first <= "9")
      ? first : "u" + (text.codePointAt(0) % 64);
  }
  function pieces(word) {
    // [text, isCjk] of each run of a folded word, in order
    var found = [];
    (fold(word).match(WORD) || []).forEach(function (piece) {
      var end = 0;
      var run;
      var runs = new RegExp(CJK.source, "gu");
      while ((run = runs.exec(piece))) {
        if (run.index > end) {
          found.push([piece.slice(end, run.index), false]);
        }
        found.push([run[0], true]);
        end = run.index + run[0].length;
      }
      if (end < piece.length) {
        found.push([piece.slice(end), false]);
      }
    });
    return found;
  }
  function stemOf(folded, key) {
    if (!key) {
      return folded;
    }
    var shard = store["w-" + bucket(folded)];
    var stems = shard && shard[key];
    if (!stems || !Object.prototype.hasOwnProperty.call(stems, folded)) {
      return folded;
    }
    return uncut(folded, stems[folded]);
  }
  function uncut(word, cut) {
    // site_search.py's _cut: "4" is the word less its last 4 letters, "1i" less 1, then "i"
    if (cut.charAt(0) === "=") {
      return cut.slice(1);
    }
    var chars = Array.from(word);
    return chars.slice(0, chars.length - parseInt(cut.charAt(0), 36)).join("") + cut.slice(1);
  }
  var analysed = {};  // key + NUL + word: its terms, once its stems were there to look up
  function termsOfWord(word, key) {
    var id = key + "\u0000" + word;
    if (Object.prototype.hasOwnProperty.call(analysed, id)) {
      return analysed[id];
    }
    var terms = [];
    var complete = true;
    pieces(word).forEach(function (piece) {
      if (!piece[1]) {
        var shard = "w-" + bucket(piece[0]);
        complete = complete && (!key || shard in store || meta.stems.indexOf(shard.slice(2)) === -1);
        terms.push(stemOf(piece[0], key));
        return;
      }
      var chars = Array.from(piece[0]);
      if (chars.length === 1) {
        terms.push(chars[0]);
      }
      for (var i = 0; i + 1 < chars.length; i++) {
        terms.push(chars[i] + chars[i + 1]);
      }
    });
    if (complete) {
      analysed[id] = terms;
    }
    return terms;
  }
  function stemShards(words) {
    // the stem shards the words' analysis looks in, those the index has
    var wanted = {};
    words.forEach(function (word) {
      pieces(word).forEach(function (piece) {
        if (!piece[1]) {
          wanted["w-" + bucket(piece[0])] = true;
        }
      });
    });
    return Object.keys(wanted).filter(function (name) { return meta.stems.indexOf(name.slice(2)) !== -1; });
  }

  // Queries (archiver/search/query.py)
  function QueryError(message) {
    this.message = message;
  }
  function parse(text) {
    var groups = [];
    var excluded = [];
    var joining = false;
    var count = 0;
    var match;
    var tokens = new RegExp(TOKEN.source, "g");
    while ((match = tokens.exec(text))) {
      var minus = match[1];
      var phrase = match[2];
      var bare = match[3];
      if (bare === "OR") {
        joining = groups.length > 0;
        continue;
      }
      var negated = Boolean(minus) || (bare !== undefined && bare.charAt(0) === "-");
      var found = (bare === undefined ? phrase : bare).match(WORD) || [];
      count += found.length;
      if (count > MAX_WORDS) {
        var words = (text.match(WORD) || []).length;
        throw new QueryError("a query of at most " + MAX_WORDS + " words, please (this one has " + words + ")");
      }
      // a phrase only in quotes: "d'information" or "birch-tar" are words side by side, each one
      // to find, as if typed apart
      var parts = bare !== undefined
        ? found.map(function (word) { return { words: [word], quoted: false }; })
        : found.length ? [{ words: found, quoted: true }] : [];
      parts.forEach(function (part, number) {
        if (negated) {
          excluded.push(part);
        } else if (joining && number === 0) {
          groups[groups.length - 1].push(part);
        } else {
          groups.push([part]);
        }
      });
      if (parts.length) {
        joining = false;
      }
    }
    if (!groups.length) {
      throw new QueryError(excluded.length
        ? "say what to look for: a query of only words to leave out finds nothing"
        : "the query has no words to look for");
    }
    return { groups: groups, excluded: excluded };
  }

  // The index's postings: term -> [[position, title, byline, body], ...], from every segment
  var meta = null;
  var postings = {};
  function postingShards(terms) {
    var wanted = {};
    terms.forEach(function (term) {
      var name = bucket(term);
      Object.keys(meta.postings).forEach(function (segment) {
        if (meta.postings[segment].indexOf(name) !== -1) {
          wanted["p" + segment + "-" + name] = true;
        }
      });
    });
    return Object.keys(wanted);
  }
  function postingsOf(term) {
    if (Object.prototype.hasOwnProperty.call(postings, term)) {
      return postings[term];
    }
    var found = [];
    var name = bucket(term);
    var complete = true;  // every shard that may hold it was there: kept for the next time
    Object.keys(meta.postings).map(Number).sort(function (a, b) { return a - b; }).forEach(function (segment) {
      var shard = store["p" + segment + "-" + name];
      complete = complete && (shard !== undefined || meta.postings[segment].indexOf(name) === -1);
      if (!shard || !Object.prototype.hasOwnProperty.call(shard, term)) {
        return;
      }
      var position = 0;
      shard[term].split(",").forEach(function (entry) {
        var fields = entry.split(".").map(function (n) { return parseInt(n, 36); });
        position += fields[0];
        found.push([position, fields[2] || 0, fields[3] || 0, fields.length > 1 ? fields[1] : 1]);
      });
    });
    if (complete) {
      postings[term] = found;
    }
    return found;
  }
  function count(term) {
    return postingsOf(term).length;
  }
  function near(prefix) {
    // [word, term] of every word the package holds that begins with prefix
    var found = {};
    var stems = store["w-" + bucket(prefix)] || {};
    Object.keys(stems).forEach(function (key) {
      Object.keys(stems[key]).forEach(function (word) {
        if (word.slice(0, prefix.length) === prefix) {
          var stem = uncut(word, stems[key][word]);
          found[word + "\u0000" + stem] = [word, stem];
        }
      });
    });
    Object.keys(meta.postings).forEach(function (segment) {
      var shard = store["p" + segment + "-" + bucket(prefix)] || {};
      Object.keys(shard).forEach(function (term) {
        if (term.slice(0, prefix.length) === prefix) {
          found[term + "\u0000" + term] = [term, term];
        }
      });
    });
    return Object.keys(found).map(function (k) { return found[k]; });
  }
  function edits(a, b, limit) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var before = [];
    var row = [];
    for (var j = 0; j <= b.length; j++) {
      row.push(j);
    }
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] !== b[j - 1] ? 1 : 0;
        current[j] = Math.min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          current[j] = Math.min(current[j], before[j - 2] + 1);
        }
      }
      if (Math.min.apply(null, current) > limit) {
        return limit + 1;
      }
      before = row;
      row = current;
    }
    return row[b.length];
  }
  function nearest(word) {
    var length = Array.from(word).length;
    var limit = length >= 8 ? 2 : length >= 4 ? 1 : 0;
    var best = {};
    var least = limit + 1;
    near(Array.from(word).slice(0, 2).join("")).forEach(function (pair) {
      var distance = edits(word, pair[0], limit);
      if (distance < least) {
        best = {};
        least = distance;
      }
      if (distance === least && distance <= limit) {
        (best[pair[1]] = best[pair[1]] || {})[pair[0]] = true;
      }
    });
    var ranked = Object.keys(best).sort(function (a, b) {
      return count(b) - count(a) || (a < b ? -1 : a > b ? 1 : 0);
    }).slice(0, FUZZY);
    var instead = {};
    ranked.forEach(function (term) { Object.keys(best[term]).forEach(function (w) { instead[w] = true; }); });
    return [ranked, Object.keys(instead).sort()];
  }
  function same(a, b) {
    return a.length === b.length && a.every(function (t, i) { return t === b[i]; });
  }
  function unique(list) {
    var kept = [];
    list.forEach(function (item) {
      if (!kept.some(function (k) { return same(k, item); })) {
        kept.push(item);
      }
    });
    return kept;
  }
  function compile(query) {
    var keys = meta.languages.length ? meta.languages : [""];
    var corrected = [];
    var marked = {};
    function alternatives(part, fix) {
      var found = [];
      keys.forEach(function (key) {
        var terms = [];
        part.words.forEach(function (w) { terms = terms.concat(termsOfWord(w, key)); });
        if (!found.some(function (f) { return same(f, terms); })) {
          found.push(terms);
        }
      });
      if (part.quoted || !fix) {
        return found;
      }
      if (new RegExp(CJK.source, "u").test(part.words[0])) {  // any of its pairs: a slip breaks two
        var pairs = [];
        found.forEach(function (terms) { terms.forEach(function (t) { pairs.push([t]); }); });
        found = unique(pairs);
      } else if (found.every(function (f) { return f.length === 1; }) &&
                 !found.some(function (f) { return count(f[0]) > 0; })) {
        var fixed = nearest(fold(part.words[0]));
        if (fixed[0].length) {
          corrected.push([part.words[0], fixed[1].join(" OR ")]);
          return fixed[0].map(function (t) { return [t]; });
        }
      }
      return found;
    }
    var groups = query.groups.map(function (group) {
      var all = [];
      group.forEach(function (part) { all = all.concat(alternatives(part, true)); });
      var kept = unique(all);
      kept.forEach(function (terms) { terms.forEach(function (t) { marked[t] = true; }); });
      return kept;
    });
    var excluded = [];
    query.excluded.forEach(function (part) { excluded = excluded.concat(alternatives(part, false)); });
    excluded = unique(excluded);
    var phrases = [];
    groups.forEach(function (g) { phrases = phrases.concat(g); });
    phrases = phrases.concat(excluded);
    return { groups: groups, excluded: excluded, phrases: phrases, marked: marked, corrected: corrected };
  }

  // Text: a segment's articles' [title, byline, body], deflated (site_search.py)
  var unpacking = {};
  function texts(segment, index) {
    // the [title, byline, body] of the articles of one text file of a segment, unpacked once
    var name = "t" + segment + "-" + Math.floor(index / meta.text);
    if (!unpacking[name]) {
      unpacking[name] = unpack(name);
    }
    return unpacking[name];
  }
  function unpack(name) {
    return load(name).then(function (packed) {
      var raw = atob(packed);
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) {
        bytes[i] = raw.charCodeAt(i);
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).text();
    }).then(function (json) {
      store["text:" + name] = JSON.parse(json);
      return store["text:" + name];
    });
  }
  function textOf(position) {
    var segment = segmentOf(position);
    var index = store["docs:" + segment][position].index;
    return store["text:t" + segment + "-" + Math.floor(index / meta.text)][index % meta.text];
  }
  function segmentOf(position) {
    return Math.floor((position - 1) / meta.segment);
  }
  function docs(segment) {
    // [position, length in terms, language], in the order of the segment's d and t files
    return load("l" + segment).then(function (list) {
      var by = {};
      list.forEach(function (doc, index) { by[doc[0]] = { length: doc[1], key: doc[2], index: index }; });
      return by;
    });
  }
  function termsOfText(text, key) {
    var terms = [];
    (text.match(WORD) || []).forEach(function (word) { Array.prototype.push.apply(terms, termsOfWord(word, key)); });
    return terms;
  }
  function phraseHits(columns, phrase) {
    return columns.map(function (terms) {
      var hits = 0;
      for (var i = 0; i + phrase.length <= terms.length; i++) {
        var all = true;
        for (var j = 0; j < phrase.length && all; j++) {
          all = terms[i + j] === phrase[j];
        }
        hits += all ? 1 : 0;
      }
      return hits;
    });
  }

  // The hits of each phrase: position -> [title, byline, body] counts; the terms of the articles
  // a phrase was looked for in, kept for the next query
  var analyzed = {};
  function hitsOf(phrase, info) {
    var found = {};
    if (phrase.length === 1) {
      postingsOf(phrase[0]).forEach(function (p) { found[p[0]] = [p[1], p[2], p[3]]; });
      return Promise.resolve(found);
    }
    var candidates = null;
    phrase.forEach(function (term) {
      var holding = {};
      postingsOf(term).forEach(function (p) {
        if (candidates === null || candidates[p[0]]) {
          holding[p[0]] = true;
        }
      });
      candidates = holding;
    });
    var positions = Object.keys(candidates).map(Number);
    var segments = {};
    positions.forEach(function (p) { segments[segmentOf(p)] = true; });
    return Promise.all(Object.keys(segments).map(info)).then(function () {
      return Promise.all(positions.map(function (p) {
        return texts(segmentOf(p), store["docs:" + segmentOf(p)][p].index);
      }));
    }).then(function () {
      positions.forEach(function (position) {
        var key = meta.languages[store["docs:" + segmentOf(position)][position].key];
        var columns = analyzed[position] || (analyzed[position] =
          textOf(position).map(function (t) { return termsOfText(t, key); }));
        var hits = phraseHits(columns, phrase);
        if (hits[0] + hits[1] + hits[2]) {
          found[position] = hits;
        }
      });
      return found;
    });
  }
  function info(segment) {
    if (store["docs:" + segment]) {
      return Promise.resolve(store["docs:" + segment]);
    }
    return docs(segment).then(function (by) {
      store["docs:" + segment] = by;
      return by;
    });
  }

  function search(text) {
    var query = parse(text);
    var words = [];
    query.groups.concat([query.excluded]).forEach(function (group) {
      group.forEach(function (part) { words = words.concat(part.words); });
    });
    var allStems = meta.stems.map(function (b) { return "w-" + b; });
    return loadAll(stemShards(words)).then(function () {
      var terms = [];
      var keys = meta.languages.length ? meta.languages : [""];
      words.forEach(function (word) {
        keys.forEach(function (key) { terms = terms.concat(termsOfWord(word, key)); });
        pieces(word).forEach(function (piece) { terms.push(piece[0]); });
      });
      return loadAll(postingShards(terms));
    }).then(function () {
      var compiled = compile(query);
      var multiTerm = compiled.phrases.some(function (p) { return p.length > 1; });
      return loadAll(multiTerm ? allStems : []).then(function () {
        return Promise.all(compiled.phrases.map(function (p) { return hitsOf(p, info); }));
      }).then(function (hits) {
        return rank(compiled, hits);
      });
    });
  }
  function rank(compiled, hits) {
    // hits[i]: the counts of compiled.phrases[i]; the groups' phrases come first, in order
    var matched = null;
    var at = 0;
    compiled.groups.forEach(function (group) {
      var any = {};
      group.forEach(function () {
        Object.keys(hits[at]).forEach(function (p) { any[p] = true; });
        at += 1;
      });
      if (matched === null) {
        matched = any;
      } else {
        Object.keys(matched).forEach(function (p) {
          if (!any[p]) {
            delete matched[p];
          }
        });
      }
    });
    for (; at < hits.length; at++) {
      Object.keys(hits[at]).forEach(function (p) { delete matched[p]; });
    }
    var positions = Object.keys(matched).map(Number);
    var segments = {};
    positions.forEach(function (p) { segments[segmentOf(p)] = true; });
    return Promise.all(Object.keys(segments).map(info)).then(function () {
      var n = meta.articles;
      var avgdl = meta.terms / n;
      var idf = hits.map(function (h) {
        var held = Object.keys(h).length;
        var value = Math.log((n - held + 0.5) / (held + 0.5));
        return value <= 0 ? 1e-6 : value;
      });
      var w = meta.weights;
      var scored = positions.map(function (position) {
        var place = store["docs:" + segmentOf(position)][position];
        var length = place.length;
        var score = 0.0;
        hits.forEach(function (h, i) {
          var c = h[position];
          var f = c ? c[0] * w[0] + c[1] * w[1] + c[2] * w[2] : 0;
          score += idf[i] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * length / avgdl)));
        });
        return { position: position, score: -1.0 * score, place: place };
      });
      scored.sort(function (a, b) { return a.score - b.score || a.position - b.position; });
      return { compiled: compiled, hits: scored };
    });
  }

  // Snippets (archiver/search/find.py)
  function snippet(text, marked, key) {
    var spans = [];
    var words = new RegExp(WORD.source, "gu");  // its own: termsOfWord uses WORD
    var m;
    var isHit = function (word) {
      return termsOfWord(word, key).some(function (t) { return marked[t]; });
    };
    while ((m = words.exec(text))) {
      spans.push([m.index, m.index + m[0].length, isHit(m[0])]);
    }
    if (!spans.length) {
      return ["", []];
    }
    var first = 0;
    var best = [0, 0];
    spans.forEach(function (span, index) {
      if (!span[2]) {
        return;
      }
      var start = Math.max(0, index - SNIPPET_LEAD);
      var window = spans.slice(start, start + SNIPPET_WORDS);
      var found = {};
      var hitCount = 0;
      window.forEach(function (s) {
        if (s[2]) {
          found[termsOfWord(text.slice(s[0], s[1]), key).join("\u0000")] = true;
          hitCount += 1;
        }
      });
      var score = [Object.keys(found).length, hitCount];
      if (score[0] > best[0] || (score[0] === best[0] && score[1] > best[1])) {
        first = start;
        best = score;
      }
    });
    var last = Math.min(spans.length, first + SNIPPET_WORDS) - 1;
    var lead = first ? "… " : "";
    var shown = lead + text.slice(spans[first][0], spans[last][1]).split(/\s+/).filter(Boolean).join(" ") +
      (last < spans.length - 1 ? " …" : "");
    var marks = [];
    var rest = shown.slice(lead.length);
    words.lastIndex = 0;
    while ((m = words.exec(rest))) {
      if (isHit(m[0])) {
        marks.push([m.index + lead.length, m.index + lead.length + m[0].length]);
      }
    }
    return [shown, marks];
  }

  function ready() {
    return meta ? Promise.resolve(meta) : load("meta").then(function (m) { meta = m; return m; });
  }
  // For scripts that drive the page (the tests): the places of the articles a query finds, best
  // first, and the words corrected
  window.archiverSearch.find = function (text) {
    return ready().then(function () { return search(text); }).then(function (found) {
      return {
        positions: found.hits.map(function (hit) { return hit.position; }),
        corrected: found.compiled.corrected
      };
    });
  };

  // The page
  var box = document.getElementById("q");
  var list = document.getElementById("hits");
  var said = document.getElementById("said");
  if (!box || !list || !said) {
    return;
  }
  function element(parent, tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text) {
      made.textContent = text;
    }
    parent.appendChild(made);
    return made;
  }
  var asked = 0;
  function show(text) {
    var mine = ++asked;
    var started = performance.now();
    if (!text.trim()) {
      list.textContent = "";
      said.textContent = "";
      return;
    }
    // The results as soon as their titles are there; their snippets once their text is
    var top = [];
    var lines = [];
    var found = null;
    ready().then(function () { return search(text); }).then(function (answer) {
      found = answer;
      top = found.hits.slice(0, SHOWN);
      var segments = {};
      top.forEach(function (hit) { segments[segmentOf(hit.position)] = true; });
      return Promise.all(Object.keys(segments).map(function (s) { return load("d" + s); }));
    }).then(function () {
      if (mine !== asked) {
        return null;
      }
      list.textContent = "";
      lines = top.map(function (hit) {
        var doc = store["d" + segmentOf(hit.position)][hit.place.index];  // title, page, facts
        var item = element(list, "li", "entry");
        element(item, "a", "title", doc[0] || "Untitled").setAttribute("href", doc[1]);
        if (doc[2]) {
          element(item, "p", "facts", doc[2]);
        }
        item.setAttribute("data-position", String(hit.position));
        return element(item, "p", "snippet");
      });
      var notes = found.compiled.corrected.map(function (pair) {
        return "no article has \u201c" + pair[0] + "\u201d; searched for \u201c" + pair[1] + "\u201d instead. ";
      }).join("");
      var total = found.hits.length;
      said.textContent = notes + (total ? total + " article" + (total === 1 ? "" : "s") + " found" +
        (total > SHOWN ? ", the first " + SHOWN + " shown" : "") : "nothing found");
      said.setAttribute("data-ms", String(Math.round(performance.now() - started)));
      list.setAttribute("data-first", String(Math.round(performance.now())));  // since the page was asked for
      // the stems the snippets' words are looked up in: those of the letters the words found
      // begin with (a stem begins as its word does)
      var stems = {};
      Object.keys(found.compiled.marked).forEach(function (term) { stems[bucket(term)] = true; });
      var shards = Object.keys(stems).filter(function (b) { return meta.stems.indexOf(b) !== -1; });
      var wanted = top.map(function (hit) { return texts(segmentOf(hit.position), hit.place.index); });
      return Promise.all(wanted.concat([loadAll(shards.map(function (b) { return "w-" + b; }))]));
    }).then(function (loaded) {
      if (loaded === null || mine !== asked) {
        return;
      }
      top.forEach(function (hit, number) {
        var cut = snippet(textOf(hit.position)[2], found.compiled.marked, meta.languages[hit.place.key]);
        var end = 0;
        cut[1].forEach(function (mark) {
          lines[number].appendChild(document.createTextNode(cut[0].slice(end, mark[0])));
          element(lines[number], "mark", "", cut[0].slice(mark[0], mark[1]));
          end = mark[1];
        });
        lines[number].appendChild(document.createTextNode(cut[0].slice(end)));
      });
      list.setAttribute("data-at", String(Math.round(performance.now())));
      list.setAttribute("data-query", text);
    }).catch(function (problem) {
      if (mine !== asked) {
        return;
      }
      list.textContent = "";
      said.textContent = problem instanceof QueryError ? problem.message : "the search failed: " + problem.message;
      list.setAttribute("data-query", text);
    });
  }
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      history.replaceState(null, "", "?q=" + encodeURIComponent(box.value));
      show(box.value);
    }, 150);
  });
  var given = new URLSearchParams(location.search).get("q");
  if (given) {
    box.value = given;
    show(given);
  }
  box.hidden = false;
  box.focus();
})();
