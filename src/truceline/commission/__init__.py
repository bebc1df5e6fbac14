"""The commission's pure core: workflow, votes, remedies, evidence hashing, edit locks."""
