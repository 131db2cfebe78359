/* The page script of out/graph.html: draws the network, filters it, shows the quotes.
 * Every piece of text that came from the graph or an article is untrusted: it reaches the DOM
 * only through textContent / Text nodes (el() below), never through innerHTML.
 * Views: each tab in #kg-views shows the <section class="kg-view"> with the same data-view;
 * a later view registers itself with kgView.registerView(id, {activate, deactivate}). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta, style = data.style;
  // firstDrawMs, stableMs: milliseconds since navigation start (performance.now())
  var kgView = window.kgView = { firstDrawMs: null, stableMs: null, stable: false, views: {} };

  /* ---- small DOM helpers (text only) ---------------------------------------------------- */
  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child !== null && child !== undefined && child !== "") node.append(child);  // strings become Text nodes
    }
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function nodeLabel(id) { return meta.nodes[id] ? meta.nodes[id].label : id; }
  function stanceLabel(stance) { return style.stances[stance] ? style.stances[stance].label : stance; }
  function kindLabel(kind) { return style.nodes[kind] ? style.nodes[kind].label : kind; }
  function polarityColor(polarity) { return style.polarities[polarity] ? style.polarities[polarity].color : "#555"; }

  var positions = Object.keys(meta.positions).sort().map(function (id) { return meta.positions[id]; });
  var speaksFor = {}, spokenForBy = {};
  meta.speaksFor.forEach(function (link) {
    (speaksFor[link[0]] = speaksFor[link[0]] || []).push(link[1]);
    (spokenForBy[link[1]] = spokenForBy[link[1]] || []).push(link[0]);
  });

  /* ---- the network ------------------------------------------------------------------------ */
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network($("kg-network"), { nodes: nodes, edges: edges }, data.options);
  kgView.network = network;
  function fitVisible() {
    network.fit({ nodes: nodes.getIds({ filter: function (n) { return !n.hidden; } }), animation: false });
  }
  function markStable() {
    if (kgView.stable) return;
    network.setOptions({ physics: { enabled: false } });
    fitVisible();
    kgView.stable = true;
    kgView.stableMs = performance.now();
    document.body.setAttribute("data-stable", "true");
  }
  network.once("afterDrawing", function () {
    kgView.firstDrawMs = performance.now();
    if (!data.physics) markStable();
  });
  if (data.physics) network.once("stabilizationIterationsDone", markStable);

  /* ---- filters ------------------------------------------------------------------------------ */
  var filter = {};
  function fillSelect(select, kinds) {
    Object.keys(meta.nodes).map(function (id) { return meta.nodes[id]; })
      .filter(function (n) { return kinds.indexOf(n.kind) >= 0; })
      .sort(function (a, b) { return a.label.localeCompare(b.label); })
      .forEach(function (n) {
        var option = el("option", null, n.label);
        option.value = n.id;
        select.append(option);
      });
  }
  fillSelect($("kg-filter-actor"), ["person", "country", "institution", "group"]);
  fillSelect($("kg-filter-proposal"), ["proposal"]);
  var dates = positions.map(function (p) { return p.date; }).filter(Boolean).sort();
  if (dates.length) {
    ["kg-filter-from", "kg-filter-to"].forEach(function (id) {
      $(id).min = dates[0]; $(id).max = dates[dates.length - 1];
    });
  }

  function checkedValues(name) {
    return Array.prototype.map.call(document.querySelectorAll("input[name=" + name + "]:checked"),
      function (box) { return box.value; });
  }
  function readFilters() {
    filter = {
      actor: $("kg-filter-actor").value,
      proposal: $("kg-filter-proposal").value,
      stances: checkedValues("stance"),
      methods: checkedValues("method"),
      polarities: Array.prototype.filter.call(document.querySelectorAll("input[data-polarity]:not([name])"),
        function (box) { return box.checked || box.indeterminate; }).map(function (box) { return box.dataset.polarity; }),
      from: $("kg-filter-from").value,
      to: $("kg-filter-to").value
    };
  }
  function filtersActive() {
    return Boolean(filter.actor || filter.proposal || filter.from || filter.to ||
      filter.stances.length < Object.keys(style.stances).length ||
      filter.methods.length < Object.keys(style.methods).length);
  }
  function positionVisible(p) {
    if (filter.actor && p.holder !== filter.actor && (speaksFor[p.holder] || []).indexOf(filter.actor) < 0) return false;
    if (filter.proposal && p.target !== filter.proposal) return false;
    if (style.stances[p.stance] ? filter.stances.indexOf(p.stance) < 0 : filter.polarities.indexOf(p.polarity) < 0) return false;
    if (style.methods[p.method] && filter.methods.indexOf(p.method) < 0) return false;
    if (filter.from && (!p.date || p.date < filter.from)) return false;
    if (filter.to && (!p.date || p.date > filter.to)) return false;
    return true;
  }
  function applyFilters() {
    readFilters();
    var active = filtersActive(), shownNodes = {}, shownEdges = {}, count = 0;
    positions.forEach(function (p) {
      if (!positionVisible(p)) return;
      shownEdges[p.id] = true; shownNodes[p.holder] = true; shownNodes[p.target] = true; count++;
    });
    if (!active) Object.keys(meta.nodes).forEach(function (id) { shownNodes[id] = true; });
    if (filter.actor) shownNodes[filter.actor] = true;
    if (filter.proposal) shownNodes[filter.proposal] = true;
    var nodeUpdates = [], edgeUpdates = [];
    nodes.forEach(function (n) {
      var hidden = !shownNodes[n.id];
      if (Boolean(n.hidden) !== hidden) nodeUpdates.push({ id: n.id, hidden: hidden });
    });
    edges.forEach(function (e) {
      var hidden = e.kind === "position" ? !shownEdges[e.id] : !(shownNodes[e.from] && shownNodes[e.to]);
      if (Boolean(e.hidden) !== hidden) edgeUpdates.push({ id: e.id, hidden: hidden });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    $("kg-filter-status").textContent = "Showing " + count + " of " + positions.length + " positions";
    syncAnalysis();
  }
  function syncPolarity(polarity) {
    var boxes = document.querySelectorAll("input[name=stance][data-polarity=" + polarity + "]");
    var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    var parent = document.querySelector("input[data-polarity=" + polarity + "]:not([name])");
    parent.checked = on === boxes.length;
    parent.indeterminate = on > 0 && on < boxes.length;
  }
  document.querySelectorAll("input[data-polarity]:not([name])").forEach(function (parent) {
    parent.addEventListener("change", function () {
      document.querySelectorAll("input[name=stance][data-polarity=" + parent.dataset.polarity + "]")
        .forEach(function (box) { box.checked = parent.checked; });
      applyFilters();
    });
  });
  document.querySelectorAll("input[name=stance]").forEach(function (box) {
    box.addEventListener("change", function () { syncPolarity(box.dataset.polarity); applyFilters(); });
  });
  ["kg-filter-actor", "kg-filter-proposal", "kg-filter-from", "kg-filter-to"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  document.querySelectorAll("input[name=method]").forEach(function (box) { box.addEventListener("change", applyFilters); });
  $("kg-filter-reset").addEventListener("click", function () {
    $("kg-filter-actor").value = ""; $("kg-filter-proposal").value = "";
    $("kg-filter-from").value = ""; $("kg-filter-to").value = "";
    document.querySelectorAll("#kg-sidebar input[type=checkbox]").forEach(function (b) { b.checked = true; b.indeterminate = false; });
    fitVisible();
    applyFilters();
  });

  /* ---- tooltip on hover ------------------------------------------------------------------- */
  var tooltip = $("kg-tooltip");
  function positionSummary(p) {
    return el("div", null,
      el("b", null, nodeLabel(p.holder)), " " + stanceLabel(p.stance) + " ", el("b", null, nodeLabel(p.target)));
  }
  function edgeTooltip(id) {
    var p = meta.positions[id];
    if (!p) {
      var e = edges.get(id);
      return [el("div", null, nodeLabel(e.from) + " speaks for " + nodeLabel(e.to))];
    }
    var parts = [positionSummary(p),
      el("div", "kg-when", "Stance: " + stanceLabel(p.stance) + " · " + (p.date || "undated") + " · " + p.method)];
    if (p.condition) parts.push(el("div", null, "Condition: " + p.condition));
    if (p.evidence.length) parts.push(el("div", "kg-quote", "\u201c" + p.evidence[0].quote + "\u201d"));
    if (p.evidence.length > 1) parts.push(el("div", "kg-when", p.evidence.length + " sources"));
    return parts;
  }
  function nodeTooltip(id) {
    var n = meta.nodes[id];
    var parts = [el("div", null, el("b", null, n.label), " (" + kindLabel(n.kind) + ")")];
    if (n.aliases.length) parts.push(el("div", "kg-when", "Also: " + n.aliases.join("; ")));
    if (speaksFor[id]) parts.push(el("div", "kg-when", "Speaks for " + speaksFor[id].map(nodeLabel).join(", ")));
    return parts;
  }
  function showTooltip(parts, event) {
    tooltip.replaceChildren.apply(tooltip, parts);
    tooltip.hidden = false;
    var x = (event && event.clientX) || 0, y = (event && event.clientY) || 0;
    var box = tooltip.getBoundingClientRect();
    tooltip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 8)) + "px";
    tooltip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - box.height - 8)) + "px";
  }
  function pointerEvent(params) {
    var e = params.event && (params.event.srcEvent || params.event);
    if (e && e.clientX !== undefined) return e;
    var rect = $("kg-network").getBoundingClientRect();
    return { clientX: rect.left + params.pointer.DOM.x, clientY: rect.top + params.pointer.DOM.y };
  }
  network.on("hoverEdge", function (params) { showTooltip(edgeTooltip(params.edge), pointerEvent(params)); });
  network.on("hoverNode", function (params) { showTooltip(nodeTooltip(params.node), pointerEvent(params)); });
  network.on("blurEdge", function () { tooltip.hidden = true; });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  /* ---- side panel ------------------------------------------------------------------------- */
  var panel = $("kg-panel"), panelBody = $("kg-panel-body");
  function articleLink(ev) {
    var link = el("a", null, "Read the article, quote highlighted");
    link.href = "#";
    link.className = "kg-open-article";
    link.addEventListener("click", function (event) { event.preventDefault(); openArticle(ev); });
    return link;
  }
  function evidenceBlock(ev) {
    var article = meta.articles[ev.article] || { title: ev.article };
    var source = [article.title, article.publisher, article.date].filter(Boolean).join(" — ");
    return el("div", "kg-evidence", el("blockquote", null, ev.quote), el("div", "kg-source", source), articleLink(ev));
  }
  function positionCard(p) {
    var card = el("div", "kg-position", el("h3", null, positionSummary(p)),
      el("div", "kg-when", (p.date || "undated") + " · " + p.method +
        (p.confidence !== null && p.confidence !== undefined ? " (confidence " + p.confidence + ")" : "")));
    card.style.borderLeftColor = polarityColor(p.polarity);
    card.setAttribute("data-position", p.id);
    if (p.condition) card.append(el("div", null, "Condition: " + p.condition));
    p.evidence.forEach(function (ev) { card.append(evidenceBlock(ev)); });
    return card;
  }
  function showPanel(title, subtitle, list) {
    panelBody.replaceChildren(el("h2", null, title), el("p", "kg-sub", subtitle));
    if (!list.length) panelBody.append(el("p", null, "No positions."));
    list.forEach(function (p) { panelBody.append(positionCard(p)); });
    panel.hidden = false;
  }
  function showEdge(id) {
    var p = meta.positions[id];
    if (p) { showPanel("Position", nodeLabel(p.holder) + " → " + nodeLabel(p.target), [p]); return; }
    var e = edges.get(id);
    showPanel(nodeLabel(e.from) + " speaks for " + nodeLabel(e.to), "Membership or role", []);
  }
  function showNode(id) {
    var n = meta.nodes[id];
    var held = positions.filter(function (p) { return p.holder === id || p.target === id; });
    held.sort(function (a, b) { return (a.date || "").localeCompare(b.date || "") || a.id.localeCompare(b.id); });
    var sub = [kindLabel(n.kind)];
    if (n.aliases.length) sub.push("also " + n.aliases.join("; "));
    if (speaksFor[id]) sub.push("speaks for " + speaksFor[id].map(nodeLabel).join(", "));
    if (spokenForBy[id]) sub.push("spoken for by " + spokenForBy[id].map(nodeLabel).join(", "));
    showPanel(n.label, sub.join(" · ") + " · " + held.length + " position(s)", held);
    if (n.definition) panelBody.insertBefore(el("p", null, n.definition), panelBody.children[2] || null);
    [id].concat(speaksFor[id] || []).filter(function (party) { return analysis.timelines[party]; }).slice(0, 1)
      .forEach(function (party) {  // the actor's own timeline, else that of the body it speaks for
        var button = el("button", "kg-timeline-link", "Timeline of " + partyLabel(party) + "'s positions");
        button.type = "button";
        button.addEventListener("click", function () { showTimeline(party); });
        panelBody.insertBefore(button, panelBody.children[2] || null);
      });
  }
  network.on("click", function (params) {
    tooltip.hidden = true;
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  $("kg-panel-close").addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });

  /* ---- article reader --------------------------------------------------------------------- */
  var reader = $("kg-article");
  function openArticle(ev) {
    var article = meta.articles[ev.article];
    if (!article) return;
    var text = article.text, mark = el("mark", null, text.slice(ev.start, ev.end));
    $("kg-article-title").textContent = article.title;
    $("kg-article-meta").textContent = [article.publisher, article.date].filter(Boolean).join(" — ");
    $("kg-article-text").replaceChildren(text.slice(0, ev.start), mark, text.slice(ev.end));
    reader.hidden = false;
    var box = $("kg-article-box");
    box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 2);
    $("kg-article-close").focus({ preventScroll: true });
  }
  function closeArticle() { reader.hidden = true; }
  $("kg-article-close").addEventListener("click", closeArticle);
  reader.addEventListener("click", function (event) { if (event.target === reader) closeArticle(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { if (!reader.hidden) closeArticle(); else panel.hidden = true; }
  });

  /* ---- search by any name ----------------------------------------------------------------- */
  var names = [];
  Object.keys(meta.nodes).sort().forEach(function (id) {
    var n = meta.nodes[id];
    [n.label].concat(n.aliases).forEach(function (name) { names.push({ name: name, id: id }); });
  });
  names.forEach(function (entry) {
    var option = document.createElement("option");
    option.value = entry.name;
    $("kg-names").append(option);
  });
  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var exact = names.filter(function (e) { return e.name.toLowerCase() === q; });
    if (exact.length) return exact[0].id;
    var partial = names.filter(function (e) { return e.name.toLowerCase().indexOf(q) >= 0; });
    return partial.length ? partial[0].id : null;
  }
  function focusNode(id) {
    if (kgView.current !== "positions") showView("positions");
    if (nodes.get(id).hidden) $("kg-filter-reset").click();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
  }
  $("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = findNode($("kg-search").value);
    $("kg-search-status").textContent = id ? "" : "no match";
    if (id) focusNode(id);
  });
  $("kg-search").addEventListener("change", function () {
    var id = findNode($("kg-search").value);
    if (id) { $("kg-search-status").textContent = ""; focusNode(id); }
  });

  /* ---- views ------------------------------------------------------------------------------ */
  kgView.registerView = function (id, view) { kgView.views[id] = view; };
  kgView.registerView("positions", { activate: function () { network.redraw(); }, deactivate: function () {} });
  kgView.current = "positions";
  function showView(id) {
    if (id !== kgView.current) { panel.hidden = true; tooltip.hidden = true; }
    kgView.current = id;
    document.querySelectorAll(".kg-view").forEach(function (section) {
      section.hidden = section.getAttribute("data-view") !== id;
    });
    document.querySelectorAll(".kg-view-tab").forEach(function (tab) {
      var on = tab.getAttribute("data-view") === id;
      tab.setAttribute("aria-pressed", on ? "true" : "false");
      var view = kgView.views[tab.getAttribute("data-view")];
      if (view) (on ? view.activate : view.deactivate)();
    });
  }
  document.querySelectorAll(".kg-view-tab").forEach(function (tab) {
    tab.addEventListener("click", function () { showView(tab.getAttribute("data-view")); });
  });

  /* ---- alignment view: actors only, an edge per pair with a shared proposal ----------------- */
  // one analysis per choice of the Source boxes: curated (as kg analyze), curated and extracted, extracted
  var analyses = Object.assign({ curated: data.analysis }, data.analysis.variants || {});
  var noAnalysis = { alignment: { nodes: [], edges: [], coalitions: [] }, timelines: {}, labels: {} };
  var analysisKey = null, analysis, align, alignEdgeById, alignNodeById, alignNetwork = null;
  var alignStyle = style.alignment;
  function useAnalysis(key) {
    analysisKey = key;
    analysis = analyses[key] || noAnalysis;
    align = analysis.alignment;
    alignEdgeById = {};
    alignNodeById = {};
    align.edges.forEach(function (e) { alignEdgeById[e.source + " " + e.target] = e; });
    align.nodes.forEach(function (n) { alignNodeById[n.id] = n; });
  }
  useAnalysis("curated");
  function partyLabel(id) { return analysis.labels[id] || nodeLabel(id); }
  function coalitionColor(i) {
    return i === null || i === undefined ? "#dddddd" : alignStyle.coalitions[i % alignStyle.coalitions.length];
  }
  function signStyle(sign) { return sign > 0 ? alignStyle.agree : sign < 0 ? alignStyle.disagree : alignStyle.even; }
  function alignItems() {
    var ordered = align.nodes.slice().sort(function (a, b) {
      var ca = a.coalition === null ? 1e9 : a.coalition, cb = b.coalition === null ? 1e9 : b.coalition;
      return ca - cb || a.label.localeCompare(b.label) || a.id.localeCompare(b.id);
    });
    var n = ordered.length, radius = Math.max(180, n * 30), bridge = alignStyle.bridge, width = alignStyle.width;
    var nodeItems = ordered.map(function (node, i) {  // a circle, coalition by coalition
      var angle = 2 * Math.PI * i / Math.max(n, 1) - Math.PI / 2, fill = coalitionColor(node.coalition);
      var kind = meta.nodes[node.id] && style.nodes[meta.nodes[node.id].kind];
      var border = node.bridge ? bridge.border : fill;
      return { id: node.id, label: node.label + (node.bridge ? " \u25c6" : ""), shape: kind ? kind.shape : "dot",
        size: 16, x: Math.round(radius * Math.cos(angle)), y: Math.round(radius * Math.sin(angle)),
        borderWidth: node.bridge ? bridge.borderWidth : 1,
        color: { background: fill, border: border, highlight: { background: fill, border: "#000" },
                 hover: { background: fill, border: border } } };
    });
    var edgeItems = align.edges.map(function (e) {
      var s = signStyle(e.sign), net = Math.abs(e.agreements - e.disagreements);
      return { id: e.source + " " + e.target, from: e.source, to: e.target, dashes: s.dashes || false,
        width: Math.min(width.max, width.base + width.perProposal * net),
        color: { color: s.color, highlight: s.color, hover: s.color, opacity: 0.85 } };
    });
    return { nodes: new vis.DataSet(nodeItems), edges: new vis.DataSet(edgeItems) };
  }
  function proposalList(ids) { return ids.map(partyLabel).join("; "); }
  function alignTooltip(e) {
    var parts = [el("div", null, el("b", null, partyLabel(e.source)), " and ", el("b", null, partyLabel(e.target))),
      el("div", "kg-when", e.agreements + " agreement(s) \u00b7 " + e.disagreements + " disagreement(s) \u00b7 score " + e.score)];
    if (e.agreeOn.length) parts.push(el("div", null, "Agree on: " + proposalList(e.agreeOn)));
    if (e.disagreeOn.length) parts.push(el("div", null, "Disagree on: " + proposalList(e.disagreeOn)));
    return parts;
  }
  function alignSide(kind, title, proposals, e) {
    var box = el("div", kind, el("h3", "kg-align-head", title + " (" + proposals.length + ")"));
    proposals.forEach(function (proposal) {
      var item = el("div", "kg-align-proposal", el("h4", null, partyLabel(proposal)));
      item.setAttribute("data-proposal", proposal);
      e.positions[proposal].forEach(function (id) { if (meta.positions[id]) item.append(positionCard(meta.positions[id])); });
      box.append(item);
    });
    return box;
  }
  function showAlignEdge(id) {
    var e = alignEdgeById[id];
    panelBody.replaceChildren(el("h2", null, partyLabel(e.source) + " \u2014 " + partyLabel(e.target)),
      el("p", "kg-sub", e.agreements + " agreement(s) \u00b7 " + e.disagreements + " disagreement(s) \u00b7 score " +
        e.score + " (agreements \u2212 disagreements over shared proposals)"),
      alignSide("kg-align-agree", "Agree on", e.agreeOn, e),
      alignSide("kg-align-disagree", "Disagree on", e.disagreeOn, e));
    panel.hidden = false;
  }
  function showAlignNode(id) {
    var node = alignNodeById[id], sub = [];
    sub.push(node.coalition === null ? "in no coalition" : "coalition " + (node.coalition + 1));
    if (node.bridge) sub.push("bridge between coalitions " + node.bridge.coalitions.map(function (i) { return i + 1; }).join(", ") +
      " (betweenness " + node.bridge.betweenness + ")");
    var partners = align.edges.filter(function (e) { return e.source === id || e.target === id; })
      .sort(function (a, b) { return b.score - a.score || (b.agreements + b.disagreements) - (a.agreements + a.disagreements); });
    var list = el("ul");
    partners.forEach(function (e) {
      var other = e.source === id ? e.target : e.source;
      list.append(el("li", null, partyLabel(other) + ": score " + e.score + " (" + e.agreements + " agree, " + e.disagreements + " disagree)"));
    });
    var button = el("button", null, "Timeline of its positions");
    button.type = "button";
    button.id = "kg-show-timeline";
    button.addEventListener("click", function () { showTimeline(id); });
    panelBody.replaceChildren(el("h2", null, node.label), el("p", "kg-sub", sub.join(" \u00b7 ")), button, list);
    panel.hidden = false;
  }
  function fillCoalitions() {
    $("kg-coalitions").replaceChildren();
    align.coalitions.forEach(function (members, i) {
      var swatch = el("span", "kg-swatch");
      swatch.style.background = coalitionColor(i);
      $("kg-coalitions").append(el("li", null, swatch, (i + 1) + ": " + members.map(partyLabel).join(", ")));
    });
  }
  function createAlignment() {
    var items = alignItems();
    alignNetwork = new vis.Network($("kg-alignment"), items, alignStyle.options);
    kgView.alignment.network = alignNetwork;
    kgView.alignment.nodes = items.nodes;
    kgView.alignment.edges = items.edges;
    alignNetwork.on("hoverEdge", function (params) { showTooltip(alignTooltip(alignEdgeById[params.edge]), pointerEvent(params)); });
    alignNetwork.on("blurEdge", function () { tooltip.hidden = true; });
    alignNetwork.on("dragStart", function () { tooltip.hidden = true; });
    alignNetwork.on("click", function (params) {
      tooltip.hidden = true;
      if (params.nodes.length) showAlignNode(params.nodes[0]);
      else if (params.edges.length) showAlignEdge(params.edges[0]);
    });
    alignNetwork.fit({ animation: false });
  }
  kgView.alignment = { network: null, edgeIds: function () { return Object.keys(alignEdgeById).sort(); } };
  kgView.registerView("alignment", {
    activate: function () { if (!alignNetwork) createAlignment(); else alignNetwork.redraw(); },
    deactivate: function () {}
  });
  fillCoalitions();

  /* ---- timeline view: one actor's positions in date order, changes flagged ---------------- */
  function fillTimelineParties() {
    var select = $("kg-timeline-actor"), chosen = select.value;
    select.replaceChildren();
    Object.keys(analysis.timelines).sort(function (a, b) {
      return partyLabel(a).localeCompare(partyLabel(b)) || a.localeCompare(b);
    }).forEach(function (id) {
      var option = el("option", null, partyLabel(id) + " (" + analysis.timelines[id].length + ")");
      option.value = id;
      select.append(option);
    });
    if (analysis.timelines[chosen]) select.value = chosen;
  }
  fillTimelineParties();
  function timelineEntry(entry, previous) {
    var p = meta.positions[entry.position];
    var head = el("h3", null, (entry.date || "undated") + " \u00b7 " + stanceLabel(entry.stance) + " ", el("b", null, entry.proposalLabel));
    var item = el("li", "kg-timeline-entry", head);
    item.setAttribute("data-position", entry.position);
    item.setAttribute("data-proposal", entry.proposal);
    item.style.borderLeftColor = polarityColor(p ? p.polarity : entry.category === "oppose" ? "oppose" : "support");
    if (entry.change) {
      var change = style.changes[entry.change] || { color: "#999" };
      var badge = el("span", "kg-change", entry.change);
      badge.style.borderColor = change.color;
      item.setAttribute("data-change", entry.change);
      head.prepend(badge);
      item.append(el("div", "kg-when", "Changed from \u201c" + stanceLabel(previous.stance) + "\u201d (" +
        (previous.date || "undated") + ") to \u201c" + stanceLabel(entry.stance) + "\u201d"));
    }
    var who = "Stated by " + entry.holderLabel;
    if (entry.onBehalfOf && entry.onBehalfOf !== entry.holder) who += " on behalf of " + partyLabel(entry.onBehalfOf);
    item.append(el("div", "kg-when", who + " \u00b7 " + entry.method + (entry.modality ? " \u00b7 " + entry.modality : "")));
    if (p && p.condition) item.append(el("div", null, "Condition: " + p.condition));
    if (p) p.evidence.forEach(function (ev) { item.append(evidenceBlock(ev)); });
    else entry.sources.forEach(function (a) { item.append(el("div", "kg-source", (meta.articles[a] || { title: a }).title)); });
    return item;
  }
  function renderTimeline(party) {
    var entries = analysis.timelines[party] || [], last = {}, changes = 0;
    var items = entries.map(function (entry) {
      var item = timelineEntry(entry, last[entry.proposal]);
      last[entry.proposal] = entry;
      if (entry.change) changes++;
      return item;
    });
    $("kg-timeline-title").textContent = party ? partyLabel(party) : "No positions to show";
    $("kg-timeline-sub").textContent = party ? entries.length + " position(s) in date order \u00b7 " + changes + " change(s)" : "";
    $("kg-timeline-list").replaceChildren.apply($("kg-timeline-list"), items);
  }
  function showTimeline(party) {
    $("kg-timeline-actor").value = party;
    showView("timeline");
  }
  $("kg-timeline-actor").addEventListener("change", function () { renderTimeline($("kg-timeline-actor").value); });
  kgView.registerView("timeline", {
    activate: function () { renderTimeline($("kg-timeline-actor").value); }, deactivate: function () {}
  });
  kgView.showTimeline = showTimeline;
  kgView.showView = showView;

  /* The Source boxes choose the analysis behind the alignment and timeline views too. */
  function syncAnalysis() {
    var key = filter.methods.slice().sort().join(" ");
    document.querySelectorAll(".kg-analysis-source").forEach(function (select) { select.value = key; });
    if (key === analysisKey) return;
    useAnalysis(key);
    if (alignNetwork) {
      var items = alignItems();
      alignNetwork.setData(items);
      alignNetwork.fit({ animation: false });
      kgView.alignment.nodes = items.nodes;
      kgView.alignment.edges = items.edges;
      if (kgView.current === "alignment") panel.hidden = true;  // details of a pair that may be gone
    }
    fillCoalitions();
    fillTimelineParties();
    if (kgView.current === "timeline") renderTimeline($("kg-timeline-actor").value);
  }
  kgView.analysisKey = function () { return analysisKey; };
  document.querySelectorAll(".kg-analysis-source").forEach(function (select) {
    select.addEventListener("change", function () {  // sets the Source boxes, which choose the analysis
      var methods = select.value.split(" ");
      document.querySelectorAll("input[name=method]").forEach(function (box) { box.checked = methods.indexOf(box.value) >= 0; });
      applyFilters();
    });
  });

  /* ---- read-outs for tests and benchmarks ------------------------------------------------- */
  kgView.visibleEdgeIds = function () {
    return edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; }).sort();
  };
  kgView.visibleNodeIds = function () {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }).sort();
  };
  kgView.counts = function () { return { nodes: nodes.length, edges: edges.length }; };
  kgView.edgeDomPoint = function (id) {
    var point = network.body.edges[id].edgeType.getPoint(0.5);
    var dom = network.canvasToDOM(point), rect = $("kg-network").getBoundingClientRect();
    return { x: rect.left + dom.x, y: rect.top + dom.y };
  };
  kgView.nodeDomPoint = function (id) {
    var dom = network.canvasToDOM(network.getPositions([id])[id]), rect = $("kg-network").getBoundingClientRect();
    return { x: rect.left + dom.x, y: rect.top + dom.y };
  };
  applyFilters();
})();
