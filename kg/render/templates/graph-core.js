/* graph-core.js: what the views of out/graph.html share: the page data, the one state object,
 * text-only DOM helpers and labels, the Source choice and the switch between views.
 * kg/render/page.py inlines the page's script files in a fixed order (its PAGE_SCRIPTS) into one
 * function scope: each file defines one module that the files after it may use.
 * Every piece of text that came from the graph or an article is untrusted: it reaches the DOM
 * only through textContent / Text nodes (el() below), never through innerHTML. */
var core = (function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta, style = data.style;
  // one analysis per choice of the Source boxes: curated (as kg analyze), curated and extracted, extracted
  var analyses = Object.assign({ curated: data.analysis }, data.analysis.variants || {});
  var noAnalysis = { alignment: { nodes: [], edges: [], coalitions: [], current: {} }, timelines: {}, labels: {} };

  /* Everything on the page that changes, in one place. */
  var state = {
    view: "positions",           // the tab shown (a data-view of #kg-views)
    source: "curated",           // the Source choice: the checked methods, sorted, joined by " "
    analysis: analyses.curated,  // the analysis of that choice, behind the Alignment and Timeline views
    filter: {},                  // the Positions view's filters, as graph-filter.js last read them
    stable: false                // the Positions layout has settled (physics off)
  };

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
  function partyLabel(id) { return state.analysis.labels[id] || nodeLabel(id); }

  var positions = Object.keys(meta.positions).sort().map(function (id) { return meta.positions[id]; });
  var speaksFor = {}, spokenForBy = {};
  meta.speaksFor.forEach(function (link) {
    (speaksFor[link[0]] = speaksFor[link[0]] || []).push(link[1]);
    (spokenForBy[link[1]] = spokenForBy[link[1]] || []).push(link[0]);
  });

  /* ---- the Source choice -------------------------------------------------------------------- */
  /* Set by the Source boxes (graph-filter.js) and by the Positions select of the Alignment and
   * Timeline tabs; each change is announced once, as the event "kg:sourcechange" on document. */
  var SOURCE_CHANGE = "kg:sourcechange";
  function setSource(key) {
    if (key === state.source) return;
    state.source = key;
    state.analysis = analyses[key] || noAnalysis;
    document.dispatchEvent(new CustomEvent(SOURCE_CHANGE, { detail: { source: key } }));
  }
  function onSourceChange(listener) { document.addEventListener(SOURCE_CHANGE, listener); }
  var sourceSelects = document.querySelectorAll(".kg-analysis-source");
  sourceSelects.forEach(function (select) {
    select.addEventListener("change", function () { setSource(select.value); });
  });
  onSourceChange(function () { sourceSelects.forEach(function (select) { select.value = state.source; }); });

  /* ---- views -------------------------------------------------------------------------------- */
  /* Each tab in #kg-views shows the <section class="kg-view"> with the same data-view; a view
   * registers itself with registerView(id, {activate(arg), deactivate()}), where arg is what
   * showView was given besides the id (the Timeline view: the actor to show). */
  var views = {};
  function registerView(id, view) { views[id] = view; }
  function showView(id, arg) {
    if (id !== state.view) { $("kg-panel").hidden = true; $("kg-tooltip").hidden = true; }
    state.view = id;
    document.querySelectorAll(".kg-view").forEach(function (section) {
      section.hidden = section.getAttribute("data-view") !== id;
    });
    document.querySelectorAll(".kg-view-tab").forEach(function (tab) {
      var on = tab.getAttribute("data-view") === id;
      tab.setAttribute("aria-pressed", on ? "true" : "false");
      var view = views[tab.getAttribute("data-view")];
      if (view) { if (on) view.activate(arg); else view.deactivate(); }
    });
  }
  document.querySelectorAll(".kg-view-tab").forEach(function (tab) {
    tab.addEventListener("click", function () { showView(tab.getAttribute("data-view")); });
  });

  return {
    data: data, meta: meta, style: style, state: state, positions: positions,
    speaksFor: speaksFor, spokenForBy: spokenForBy,
    el: el, $: $, nodeLabel: nodeLabel, stanceLabel: stanceLabel, kindLabel: kindLabel,
    polarityColor: polarityColor, partyLabel: partyLabel,
    setSource: setSource, onSourceChange: onSourceChange, registerView: registerView, showView: showView
  };
})();
