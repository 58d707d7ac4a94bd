"""Shared rendering of office files: DOCX building blocks (python-docx), PDF from HTML
(WeasyPrint), and the download responses that carry them."""
