"""``kg serve``: the read-only SPARQL endpoint (a proxy in front of an Oxigraph server) and its query page."""
