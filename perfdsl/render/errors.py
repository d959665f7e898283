"""Errors raised while producing DOCX, PDF, HTML or XLSX output."""

from __future__ import annotations


class RenderError(Exception):
    """A document could not be produced.

    ``hint`` says what the user can do about it (install a font, a tool…); the message says
    what went wrong.  Both are plain text meant to be shown as they are.
    """

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}\n{self.hint}" if self.hint else base
