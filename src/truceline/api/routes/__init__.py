"""One router per resource; each route converts, calls the core and converts back."""
