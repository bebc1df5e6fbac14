"""The web dashboard: HTML pages, static assets (MapLibre GL JS vendored) and the data only
the dashboard needs (the offline base layer, an event with the reasoning of its attribution).

The assets are plain files committed under ``static/`` and ``pages/``; ``build.sh`` documents
how the vendored MapLibre build was fetched from the npm registry (see docs/dashboard.md).
"""
