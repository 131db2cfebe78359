"""The interactive page ``out/graph.html``: its data, layout, HTML and screenshot."""
