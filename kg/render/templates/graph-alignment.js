/* graph-alignment.js: the Alignment view: actors only, an edge per pair with a shared proposal,
 * drawn from the analysis of the Source choice (state.analysis) with the options of
 * style.alignment.options; redrawn on "kg:sourcechange". */
var alignmentView = (function (core, panel) {
  var el = core.el, $ = core.$, meta = core.meta, style = core.style, state = core.state;
  var partyLabel = core.partyLabel, alignStyle = style.alignment, container = $("kg-alignment");
  var drawn = null;              // {network, nodes, edges} once the view was first shown
  var edgeById = {}, nodeById = {};  // of the alignment of state.analysis (index())

  function align() { return state.analysis.alignment; }
  function index() {
    edgeById = {};
    nodeById = {};
    align().edges.forEach(function (e) { edgeById[e.source + " " + e.target] = e; });
    align().nodes.forEach(function (n) { nodeById[n.id] = n; });
  }
  function coalitionColor(i) {
    return i === null || i === undefined ? "#dddddd" : alignStyle.coalitions[i % alignStyle.coalitions.length];
  }
  function signStyle(sign) { return sign > 0 ? alignStyle.agree : sign < 0 ? alignStyle.disagree : alignStyle.even; }
  function alignItems() {
    var ordered = align().nodes.slice().sort(function (a, b) {
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
    var edgeItems = align().edges.map(function (e) {
      var s = signStyle(e.sign), net = Math.abs(e.agreements - e.disagreements);
      return { id: e.source + " " + e.target, from: e.source, to: e.target, dashes: s.dashes || false,
        width: Math.min(width.max, width.base + width.perProposal * net),
        color: { color: s.color, highlight: s.color, hover: s.color, opacity: 0.85 } };
    });
    return { nodes: new vis.DataSet(nodeItems), edges: new vis.DataSet(edgeItems) };
  }

  /* ---- tooltips and details --------------------------------------------------------------- */
  function proposalList(ids) { return ids.map(partyLabel).join("; "); }
  function edgeTooltip(id) {
    var e = edgeById[id];
    var parts = [el("div", null, el("b", null, partyLabel(e.source)), " and ", el("b", null, partyLabel(e.target))),
      el("div", "kg-when", e.agreements + " agreement(s) \u00b7 " + e.disagreements + " disagreement(s) \u00b7 score " + e.score)];
    if (e.agreeOn.length) parts.push(el("div", null, "Agree on: " + proposalList(e.agreeOn)));
    if (e.disagreeOn.length) parts.push(el("div", null, "Disagree on: " + proposalList(e.disagreeOn)));
    return parts;
  }
  function side(kind, title, proposals, e) {
    var box = el("div", kind, el("h3", "kg-align-head", title + " (" + proposals.length + ")"));
    proposals.forEach(function (proposal) {
      var item = el("div", "kg-align-proposal", el("h4", null, partyLabel(proposal)));
      item.setAttribute("data-proposal", proposal);
      [e.source, e.target].forEach(function (party) {  // each party's latest position on it
        var id = align().current[party][proposal];
        if (meta.positions[id]) item.append(panel.positionCard(meta.positions[id]));
      });
      box.append(item);
    });
    return box;
  }
  function showEdge(id) {
    var e = edgeById[id];
    panel.openPanel([el("h2", null, partyLabel(e.source) + " \u2014 " + partyLabel(e.target)),
      el("p", "kg-sub", e.agreements + " agreement(s) \u00b7 " + e.disagreements + " disagreement(s) \u00b7 score " +
        e.score + " (agreements \u2212 disagreements over shared proposals)"),
      side("kg-align-agree", "Agree on", e.agreeOn, e),
      side("kg-align-disagree", "Disagree on", e.disagreeOn, e)]);
  }
  function showNode(id) {
    var node = nodeById[id], sub = [];
    sub.push(node.coalition === null ? "in no coalition" : "coalition " + (node.coalition + 1));
    if (node.bridge) sub.push("bridge between coalitions " + node.bridge.coalitions.map(function (i) { return i + 1; }).join(", ") +
      " (betweenness " + node.bridge.betweenness + ")");
    var partners = align().edges.filter(function (e) { return e.source === id || e.target === id; })
      .sort(function (a, b) { return b.score - a.score || (b.agreements + b.disagreements) - (a.agreements + a.disagreements); });
    var list = el("ul");
    partners.forEach(function (e) {
      var other = e.source === id ? e.target : e.source;
      list.append(el("li", null, partyLabel(other) + ": score " + e.score + " (" + e.agreements + " agree, " + e.disagreements + " disagree)"));
    });
    var button = el("button", null, "Timeline of its positions");
    button.type = "button";
    button.id = "kg-show-timeline";
    button.addEventListener("click", function () { core.showView("timeline", id); });
    panel.openPanel([el("h2", null, node.label), el("p", "kg-sub", sub.join(" \u00b7 ")), button, list]);
  }

  /* ---- drawing ---------------------------------------------------------------------------- */
  function fillCoalitions() {
    $("kg-coalitions").replaceChildren();
    align().coalitions.forEach(function (members, i) {
      var swatch = el("span", "kg-swatch");
      swatch.style.background = coalitionColor(i);
      $("kg-coalitions").append(el("li", null, swatch, (i + 1) + ": " + members.map(partyLabel).join(", ")));
    });
  }
  function create() {
    var items = alignItems();
    drawn = { network: new vis.Network(container, items, alignStyle.options), nodes: items.nodes, edges: items.edges };
    panel.bindNetwork(drawn.network, container, { edgeTooltip: edgeTooltip, showEdge: showEdge, showNode: showNode });
    drawn.network.fit({ animation: false });
  }
  function redraw() {  // the data of another Source choice
    var items = alignItems();
    drawn.network.setData(items);
    drawn.network.fit({ animation: false });
    drawn.nodes = items.nodes;
    drawn.edges = items.edges;
    if (state.view === "alignment") panel.closePanel();  // details of a pair that may be gone
  }

  core.registerView("alignment", {
    activate: function () { if (!drawn) create(); else drawn.network.redraw(); },
    deactivate: function () {}
  });
  core.onSourceChange(function () {
    index();
    if (drawn) redraw();
    fillCoalitions();
  });
  index();
  fillCoalitions();

  return { drawn: function () { return drawn; } };
})(core, panel);
