"""Bytes for people: the report as Markdown, Word and Excel, tables and charts."""
