"""The web app: server-rendered pages (Jinja2 + htmx) and a JSON API under /api/v1, both thin
shells over the same services. `create_app(settings)` in app.py is the composition root."""
