/* graph-positions.js: the Positions view: the network of actors and proposals (one edge per
 * position), its tooltips and details, and the search by any name in the header. */
var positionsView = (function (core, panel) {
  var el = core.el, $ = core.$, meta = core.meta, state = core.state, data = core.data;
  var nodeLabel = core.nodeLabel, kindLabel = core.kindLabel, speaksFor = core.speaksFor;
  var container = $("kg-network");

  /* ---- the network ------------------------------------------------------------------------ */
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  function fitVisible() {
    network.fit({ nodes: nodes.getIds({ filter: function (n) { return !n.hidden; } }), animation: false });
  }
  /* Settled: physics off, what is shown fitted, and the page says so (body[data-stable]); the
   * performance marks "kg:first-draw" and "kg:stable" time it from navigation start. */
  function markStable() {
    if (state.stable) return;
    network.setOptions({ physics: { enabled: false } });
    fitVisible();
    state.stable = true;
    performance.mark("kg:stable");
    document.body.setAttribute("data-stable", "true");
  }
  network.once("afterDrawing", function () {
    performance.mark("kg:first-draw");
    if (!data.physics) markStable();
  });
  if (data.physics) network.once("stabilizationIterationsDone", markStable);

  /* ---- tooltips and details --------------------------------------------------------------- */
  function edgeTooltip(id) {
    var p = meta.positions[id];
    if (!p) {
      var e = edges.get(id);
      return [el("div", null, nodeLabel(e.from) + " speaks for " + nodeLabel(e.to))];
    }
    var parts = [panel.positionSummary(p),
      el("div", "kg-when", "Stance: " + core.stanceLabel(p.stance) + " · " + (p.date || "undated") + " · " + p.method)];
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
  function showEdge(id) {
    var p = meta.positions[id];
    if (p) { panel.showPositions("Position", nodeLabel(p.holder) + " → " + nodeLabel(p.target), [p]); return; }
    var e = edges.get(id);
    panel.showPositions(nodeLabel(e.from) + " speaks for " + nodeLabel(e.to), "Membership or role", []);
  }
  function timelineButton(id) {  // the actor's own timeline, else that of the body it speaks for
    var party = [id].concat(speaksFor[id] || []).filter(function (a) { return state.analysis.timelines[a]; })[0];
    if (!party) return [];
    var button = el("button", "kg-timeline-link", "Timeline of " + core.partyLabel(party) + "'s positions");
    button.type = "button";
    button.addEventListener("click", function () { core.showView("timeline", party); });
    return [button];
  }
  function showNode(id) {
    var n = meta.nodes[id];
    var held = core.positions.filter(function (p) { return p.holder === id || p.target === id; });
    held.sort(function (a, b) { return (a.date || "").localeCompare(b.date || "") || a.id.localeCompare(b.id); });
    var sub = [kindLabel(n.kind)];
    if (n.aliases.length) sub.push("also " + n.aliases.join("; "));
    if (speaksFor[id]) sub.push("speaks for " + speaksFor[id].map(nodeLabel).join(", "));
    if (core.spokenForBy[id]) sub.push("spoken for by " + core.spokenForBy[id].map(nodeLabel).join(", "));
    var extras = timelineButton(id).concat(n.definition ? [el("p", null, n.definition)] : []);
    panel.showPositions(n.label, sub.join(" · ") + " · " + held.length + " position(s)", held, extras);
  }
  panel.bindNetwork(network, container,
    { edgeTooltip: edgeTooltip, nodeTooltip: nodeTooltip, showEdge: showEdge, showNode: showNode });
  $("kg-panel-close").addEventListener("click", function () { network.unselectAll(); });

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
    if (state.view !== "positions") core.showView("positions");
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

  core.registerView("positions", { activate: function () { network.redraw(); }, deactivate: function () {} });

  return { network: network, nodes: nodes, edges: edges, container: container, fitVisible: fitVisible };
})(core, panel);
