"""Reviewer's rules: the defects finance reviewers find, as coded lint rules."""
