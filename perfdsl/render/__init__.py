"""Turning an evaluation into documents: Markdown built here, converted by pandoc (DOCX,
HTML, Typst) and typst (PDF)."""
