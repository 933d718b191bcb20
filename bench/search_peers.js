// The peers of the site's search, on the same articles: MiniSearch and lunr, each index built
// here (node) and written as a script a page opened from the disk can load (window.peerIndex),
// with a page that loads the library and the index and answers the query in its address.
// usage: node search_peers.js NODE_MODULES DOCS.json OUT_FOLDER
"use strict";
const fs = require("fs");
const path = require("path");
const [modules, docsFile, out] = process.argv.slice(2);
const loaded = require(path.join(modules, "minisearch/dist/cjs/index.cjs"));
const MiniSearch = loaded.default || loaded;
const lunr = require(path.join(modules, "lunr"));
const docs = JSON.parse(fs.readFileSync(docsFile, "utf8"));

function page(name, library, answer) {
  fs.writeFileSync(path.join(out, name + ".html"), `<!DOCTYPE html><meta charset="utf-8">
<ol id="hits"></ol>
<script src="${library}"></script>
<script src="${name}-index.js"></script>
<script>
const query = new URLSearchParams(location.search).get("q");
const found = (${answer})(window.peerIndex, query);
const list = document.getElementById("hits");
for (const id of found.slice(0, 20)) { const li = document.createElement("li"); li.textContent = id; list.appendChild(li); }
list.dataset.at = String(performance.now());
list.dataset.query = query;
</script>`);
}

const sizes = {};
const mini = new MiniSearch({ fields: ["title", "text"], storeFields: [], searchOptions: { boost: { title: 10 } } });
mini.addAll(docs);
fs.writeFileSync(path.join(out, "minisearch-index.js"), "window.peerIndex = " + JSON.stringify(JSON.stringify(mini)) + ";\n");
fs.copyFileSync(path.join(modules, "minisearch/dist/umd/index.js"), path.join(out, "minisearch.js"));
page("minisearch", "minisearch.js", `(index, q) => MiniSearch.loadJSON(index, { fields: ["title", "text"] }).search(q).map(r => r.id)`);
sizes.minisearch = fs.statSync(path.join(out, "minisearch-index.js")).size;

const built = lunr(function () {
  this.ref("id");
  this.field("title", { boost: 10 });
  this.field("text");
  for (const doc of docs) { this.add(doc); }
});
fs.writeFileSync(path.join(out, "lunr-index.js"), "window.peerIndex = " + JSON.stringify(built) + ";\n");
fs.copyFileSync(path.join(modules, "lunr/lunr.min.js"), path.join(out, "lunr.js"));
page("lunr", "lunr.js", `(index, q) => lunr.Index.load(index).search(q.replace(/[:~^*+-]/g, " ")).map(r => r.ref)`);
sizes.lunr = fs.statSync(path.join(out, "lunr-index.js")).size;
process.stdout.write(JSON.stringify(sizes) + "\n");
