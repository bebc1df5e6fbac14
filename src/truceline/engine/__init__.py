"""The analysis engine: associate, locate, crlb, fuse, pair, attribute, rules (pure numpy)."""
