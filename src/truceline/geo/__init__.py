"""Projections, theatre building and loading, distances to the line, zones."""
