"""Offline understanding of public posts: complaint, category, emergency and building (no Flask, no database)."""

from workflows.social.classifier import PostAnalysis, PostClassifier
from workflows.social.rules import CATEGORIES
from workflows.social.stream import classify_line, classify_stream

__all__ = ["CATEGORIES", "PostAnalysis", "PostClassifier", "classify_line", "classify_stream"]
