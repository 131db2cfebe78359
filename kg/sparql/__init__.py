"""SPARQL over the built graph: named queries and parameters, engines, results.

The engines are rdflib, Oxigraph and a remote endpoint.
"""
