"""Renderers: a render context in, DOCX or PDF bytes out. They know nothing of Flask or of the models."""
