"""Widgets of the main window (pages, strips, icons)."""
