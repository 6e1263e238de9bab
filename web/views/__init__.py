"""Server-rendered screens, one blueprint per module."""
