/* graph-filter.js: the Positions view's filters (actor, proposal, stance, Source, dates): they
 * hide and show the network's edges and nodes; the Source boxes are also the page's Source choice. */
(function (core, positionsView) {
  var el = core.el, $ = core.$, meta = core.meta, style = core.style, state = core.state;
  var positions = core.positions, speaksFor = core.speaksFor;
  var nodes = positionsView.nodes, edges = positionsView.edges;

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
  function checkedValues(name) {
    return Array.prototype.map.call(document.querySelectorAll("input[name=" + name + "]:checked"),
      function (box) { return box.value; });
  }
  function sourceKey(methods) { return methods.slice().sort().join(" "); }  // the Source choice of these methods
  function readFilters() {
    state.filter = {
      actor: $("kg-filter-actor").value,
      proposal: $("kg-filter-proposal").value,
      stances: checkedValues("stance"),
      methods: checkedValues("method"),
      polarities: Array.prototype.filter.call(document.querySelectorAll("input[data-polarity]:not([name])"),
        function (box) { return box.checked || box.indeterminate; }).map(function (box) { return box.dataset.polarity; }),
      from: $("kg-filter-from").value,
      to: $("kg-filter-to").value
    };
    return state.filter;
  }
  function filtersActive(filter) {
    return Boolean(filter.actor || filter.proposal || filter.from || filter.to ||
      filter.stances.length < Object.keys(style.stances).length ||
      filter.methods.length < Object.keys(style.methods).length);
  }
  function positionVisible(p, filter) {
    if (filter.actor && p.holder !== filter.actor && (speaksFor[p.holder] || []).indexOf(filter.actor) < 0) return false;
    if (filter.proposal && p.target !== filter.proposal) return false;
    if (style.stances[p.stance] ? filter.stances.indexOf(p.stance) < 0 : filter.polarities.indexOf(p.polarity) < 0) return false;
    if (style.methods[p.method] && filter.methods.indexOf(p.method) < 0) return false;
    if (filter.from && (!p.date || p.date < filter.from)) return false;
    if (filter.to && (!p.date || p.date > filter.to)) return false;
    return true;
  }
  function applyFilters() {
    var filter = readFilters(), shownNodes = {}, shownEdges = {}, count = 0;
    positions.forEach(function (p) {
      if (!positionVisible(p, filter)) return;
      shownEdges[p.id] = true; shownNodes[p.holder] = true; shownNodes[p.target] = true; count++;
    });
    if (!filtersActive(filter)) Object.keys(meta.nodes).forEach(function (id) { shownNodes[id] = true; });
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
    core.setSource(sourceKey(filter.methods));
  }
  function syncPolarity(polarity) {
    var boxes = document.querySelectorAll("input[name=stance][data-polarity=" + polarity + "]");
    var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    var parent = document.querySelector("input[data-polarity=" + polarity + "]:not([name])");
    parent.checked = on === boxes.length;
    parent.indeterminate = on > 0 && on < boxes.length;
  }
  function reset() {
    $("kg-filter-actor").value = ""; $("kg-filter-proposal").value = "";
    $("kg-filter-from").value = ""; $("kg-filter-to").value = "";
    document.querySelectorAll("#kg-sidebar input[type=checkbox]").forEach(function (b) { b.checked = true; b.indeterminate = false; });
    positionsView.fitVisible();
    applyFilters();
  }

  fillSelect($("kg-filter-actor"), ["person", "country", "institution", "group"]);
  fillSelect($("kg-filter-proposal"), ["proposal"]);
  var dates = positions.map(function (p) { return p.date; }).filter(Boolean).sort();
  if (dates.length) {
    ["kg-filter-from", "kg-filter-to"].forEach(function (id) {
      $(id).min = dates[0]; $(id).max = dates[dates.length - 1];
    });
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
  $("kg-filter-reset").addEventListener("click", reset);
  core.onSourceChange(function () {  // a choice made elsewhere (a Positions select) sets the Source boxes
    if (sourceKey(checkedValues("method")) === state.source) return;  // made here
    var methods = state.source.split(" ");
    document.querySelectorAll("input[name=method]").forEach(function (box) { box.checked = methods.indexOf(box.value) >= 0; });
    applyFilters();
  });
  applyFilters();
})(core, positionsView);
