/* graph-hook.js: the one read-out hook, window.kgTestHook, for the browser tests
 * (tests/test_render_browser.py); nothing in the page uses it. */
window.kgTestHook = (function (core, positionsView, alignmentView) {
  var network = positionsView.network;
  function visibleIds(items) {
    return items.get({ filter: function (item) { return !item.hidden; } }).map(function (item) { return item.id; }).sort();
  }
  function domPoint(canvasPoint) {  // a point of the Positions network, in page coordinates
    var dom = network.canvasToDOM(canvasPoint), rect = positionsView.container.getBoundingClientRect();
    return { x: rect.left + dom.x, y: rect.top + dom.y };
  }
  return {
    network: network,
    alignment: alignmentView.drawn,  // {network, nodes, edges} of the Alignment view once shown, else null
    source: function () { return core.state.source; },
    visibleEdgeIds: function () { return visibleIds(positionsView.edges); },
    visibleNodeIds: function () { return visibleIds(positionsView.nodes); },
    counts: function () { return { nodes: positionsView.nodes.length, edges: positionsView.edges.length }; },
    edgeDomPoint: function (id) { return domPoint(network.body.edges[id].edgeType.getPoint(0.5)); },
    nodeDomPoint: function (id) { return domPoint(network.getPositions([id])[id]); }
  };
})(core, positionsView, alignmentView);
