"""Shared fixtures of the DSN tests."""

import dsn.codec  # noqa: F401  (makes kernel_py.formats.dsn importable; see dsn/codec.py)
