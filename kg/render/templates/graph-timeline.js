/* graph-timeline.js: the Timeline view: one actor's positions in date order, each change from its
 * previous stance on the same proposal flagged, from the analysis of the Source choice. */
(function (core, panel) {
  var el = core.el, $ = core.$, meta = core.meta, style = core.style, state = core.state;
  var stanceLabel = core.stanceLabel, partyLabel = core.partyLabel, select = $("kg-timeline-actor");

  function fillParties() {
    var timelines = state.analysis.timelines, chosen = select.value;
    select.replaceChildren();
    Object.keys(timelines).sort(function (a, b) {
      return partyLabel(a).localeCompare(partyLabel(b)) || a.localeCompare(b);
    }).forEach(function (id) {
      var option = el("option", null, partyLabel(id) + " (" + timelines[id].length + ")");
      option.value = id;
      select.append(option);
    });
    if (timelines[chosen]) select.value = chosen;
  }
  function entryItem(entry, previous) {
    var p = meta.positions[entry.position];
    var head = el("h3", null, (entry.date || "undated") + " \u00b7 " + stanceLabel(entry.stance) + " ", el("b", null, entry.proposalLabel));
    var item = el("li", "kg-timeline-entry", head);
    item.setAttribute("data-position", entry.position);
    item.setAttribute("data-proposal", entry.proposal);
    item.style.borderLeftColor = core.polarityColor(p ? p.polarity : entry.category === "oppose" ? "oppose" : "support");
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
    if (p) p.evidence.forEach(function (ev) { item.append(panel.evidenceBlock(ev)); });
    else entry.sources.forEach(function (a) { item.append(el("div", "kg-source", (meta.articles[a] || { title: a }).title)); });
    return item;
  }
  function render(party) {
    var entries = state.analysis.timelines[party] || [], last = {}, changes = 0;
    var items = entries.map(function (entry) {
      var item = entryItem(entry, last[entry.proposal]);
      last[entry.proposal] = entry;
      if (entry.change) changes++;
      return item;
    });
    $("kg-timeline-title").textContent = party ? partyLabel(party) : "No positions to show";
    $("kg-timeline-sub").textContent = party ? entries.length + " position(s) in date order \u00b7 " + changes + " change(s)" : "";
    $("kg-timeline-list").replaceChildren.apply($("kg-timeline-list"), items);
  }

  select.addEventListener("change", function () { render(select.value); });
  core.registerView("timeline", {
    activate: function (party) {  // showView("timeline", party) opens that actor's timeline
      if (party !== undefined) select.value = party;
      render(select.value);
    },
    deactivate: function () {}
  });
  core.onSourceChange(function () {
    fillParties();
    if (state.view === "timeline") render(select.value);
  });
  fillParties();
})(core, panel);
