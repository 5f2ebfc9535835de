"""The sequencer's live dashboard: ``GET /dashboard`` (a page with bundled static assets) and its
bounded JSON routes ``/dashboard/rounds`` and ``/dashboard/stats`` (see dsn/sequencer/README.md)."""
