"""``python -m dsn …`` runs the ``dsn`` command line."""

from dsn.cli import main

main()
