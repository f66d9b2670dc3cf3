"""newsevents: political event data from news articles, with evidence on every row."""

__version__ = "0.1.0"
