"""PDF from HTML with WeasyPrint.

WeasyPrint needs Pango (>= 1.44) and fonts that carry Vietnamese: on Debian
`libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core`
(Liberation Serif 2 is metric-compatible with Times New Roman and has every
Vietnamese letter; the older `fonts-liberation` 1.07 lacks the letters with two
marks, which Pango would then take from another font, letter by letter).
"""


def _data_only_fetcher():
    """Print templates are self-contained: nothing but inline data may be fetched (no
    network, no files), whatever the rendered text holds."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 66
    except ImportError:  # pragma: no cover - older WeasyPrint takes a function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    """Render a full, self-contained HTML page (styles inline) to PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs time at start-up

    return HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf()
