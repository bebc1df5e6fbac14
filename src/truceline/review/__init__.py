"""Analysts' review: the queue of what needs a human, claims, decisions, merge and split.

Pure modules (no storage, no web): ``items``, ``queue``, ``claims``, ``edits``,
``constraints``. The operations that read and write the store, one transaction each, are in
``work`` (queue, claims, decisions) and ``editing`` (merge, split, undo, re-runs).
"""
