"""``python -m dsn …`` runs the ``dsn`` command line."""

from dsn.cli import main
from dsn.launcher import exit_with_parent_from_env

exit_with_parent_from_env()
main()
