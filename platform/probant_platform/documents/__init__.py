"""Documents: HTML templates rendered to PDF by WeasyPrint, signed (PAdES) with pyHanko.

- `render`: templates (Jinja2, autoescaped) and `render_pdf`, with a URL fetcher that only
  serves our own assets (never the network);
- `pki`: the platform certificate authority and signing certificates (generated at first run
  in the data folder in development, loaded from settings in production), office certificates;
- `signing`: `sign_pdf` and `validate_pdf`.
"""
