"""API shapes (pydantic): ``XCreate`` in, ``XPublic`` out, ``XsPublic(data, count)`` lists.

They are separate from the domain dataclasses and from storage; routes convert.
"""
