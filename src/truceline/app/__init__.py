"""Use cases that join the pure core to files and the store (the CLI and API call these)."""
