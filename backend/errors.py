"""Errors raised by the backend, all named after what the user did wrong."""


class GraphError(ValueError):
    """A graph cannot be built: shapes, dtypes or attributes do not fit an op."""


class FeedError(ValueError):
    """A placeholder is missing from a feed, or is fed a value of the wrong shape or dtype."""
