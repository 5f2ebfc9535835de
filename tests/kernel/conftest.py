"""Kernel test setup: crypto test doubles only where the kernel_py crypto has not landed yet."""

import dsn.codec  # noqa: F401  (BLAKE2b shim until kernel_py.crypto.blake2b exists)
from tests.kernel import doubles

doubles.install_missing_crypto()
