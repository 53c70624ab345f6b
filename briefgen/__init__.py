"""briefgen: a folder of news articles in, an editor-ready cited briefing out."""

__version__ = "0.1.0"
