"""Authoring in git: formatting, watching, previewing and diffing evaluations."""
