"""Negotiation analysis over the positions.

Alignment, coalitions and bridges, timelines, reports, and the RDF analysis graph.
"""
