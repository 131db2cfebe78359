/* graph-panel.js: what the views show of a position: the tooltip, the side panel of details
 * (position cards with their quotes) and the article reader with the quote highlighted. */
var panel = (function (core) {
  var el = core.el, $ = core.$, meta = core.meta, nodeLabel = core.nodeLabel, stanceLabel = core.stanceLabel;
  var tooltip = $("kg-tooltip"), box = $("kg-panel"), body = $("kg-panel-body"), reader = $("kg-article");

  /* ---- tooltip on hover ------------------------------------------------------------------- */
  function showTooltip(parts, event) {
    tooltip.replaceChildren.apply(tooltip, parts);
    tooltip.hidden = false;
    var x = (event && event.clientX) || 0, y = (event && event.clientY) || 0;
    var rect = tooltip.getBoundingClientRect();
    tooltip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - rect.width - 8)) + "px";
    tooltip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - rect.height - 8)) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }
  function pointerEvent(params, container) {
    var e = params.event && (params.event.srcEvent || params.event);
    if (e && e.clientX !== undefined) return e;
    var rect = container.getBoundingClientRect();
    return { clientX: rect.left + params.pointer.DOM.x, clientY: rect.top + params.pointer.DOM.y };
  }

  /* ---- article reader --------------------------------------------------------------------- */
  function openArticle(ev) {
    var article = meta.articles[ev.article];
    if (!article) return;
    var text = article.text, mark = el("mark", null, text.slice(ev.start, ev.end));
    $("kg-article-title").textContent = article.title;
    $("kg-article-meta").textContent = [article.publisher, article.date].filter(Boolean).join(" — ");
    $("kg-article-text").replaceChildren(text.slice(0, ev.start), mark, text.slice(ev.end));
    reader.hidden = false;
    var scroller = $("kg-article-box");
    scroller.scrollTop = Math.max(0, mark.offsetTop - scroller.clientHeight / 2);
    $("kg-article-close").focus({ preventScroll: true });
  }
  function closeArticle() { reader.hidden = true; }

  /* ---- side panel ------------------------------------------------------------------------- */
  function positionSummary(p) {
    return el("div", null,
      el("b", null, nodeLabel(p.holder)), " " + stanceLabel(p.stance) + " ", el("b", null, nodeLabel(p.target)));
  }
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
    card.style.borderLeftColor = core.polarityColor(p.polarity);
    card.setAttribute("data-position", p.id);
    if (p.condition) card.append(el("div", null, "Condition: " + p.condition));
    p.evidence.forEach(function (ev) { card.append(evidenceBlock(ev)); });
    return card;
  }
  function openPanel(children) {
    body.replaceChildren.apply(body, children);
    box.hidden = false;
  }
  function closePanel() { box.hidden = true; }
  /* A title, a subtitle, any extra elements, then a card per position. */
  function showPositions(title, subtitle, list, extras) {
    var children = [el("h2", null, title), el("p", "kg-sub", subtitle)].concat(extras || []);
    if (!list.length) children.push(el("p", null, "No positions."));
    openPanel(children.concat(list.map(positionCard)));
  }

  /* Tooltips and details for a network's edges and nodes: on.edgeTooltip(id) and on.nodeTooltip(id)
   * (optional) give the tooltip's parts; on.showEdge(id) and on.showNode(id) open the details. */
  function bindNetwork(network, container, on) {
    [["Edge", "edge"], ["Node", "node"]].forEach(function (kind) {
      var parts = on[kind[1] + "Tooltip"];
      if (!parts) return;
      network.on("hover" + kind[0], function (params) { showTooltip(parts(params[kind[1]]), pointerEvent(params, container)); });
      network.on("blur" + kind[0], hideTooltip);
    });
    network.on("dragStart", hideTooltip);
    network.on("click", function (params) {
      hideTooltip();
      if (params.nodes.length) on.showNode(params.nodes[0]);
      else if (params.edges.length) on.showEdge(params.edges[0]);
    });
  }

  $("kg-panel-close").addEventListener("click", closePanel);
  $("kg-article-close").addEventListener("click", closeArticle);
  reader.addEventListener("click", function (event) { if (event.target === reader) closeArticle(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { if (!reader.hidden) closeArticle(); else closePanel(); }
  });

  return {
    bindNetwork: bindNetwork,
    positionSummary: positionSummary, evidenceBlock: evidenceBlock, positionCard: positionCard,
    openPanel: openPanel, closePanel: closePanel, showPositions: showPositions
  };
})(core);
