"""Run kernel_py source natively in CPython against the PVM host semantics.

:class:`NativeEngine` is the CPython counterpart of the wasm engine: each boot installs the
:class:`pvm_host.pvm.PvmState` as the intrinsics host (``kernel_py.intrinsics.install_host``) and calls
the module's ``kernel_run()``. The PVM lifecycle around it (reboots, flags, inbox, outbox) is the
same code as for wasm (:func:`pvm_host.lifecycle.run_level`).

Mapping of Python outcomes to PVM outcomes:

- ``kernel_run`` returns → ``OK``.
- ``KernelFailure`` (checked arithmetic, ``assert``, ``abort``) or any other exception except the
  ones below → ``TRAP`` (stuck flag, no rollback). For ``abort(msg)`` the message is first written
  as debug output, like the compiled ``abort``.
- ``RecursionError`` → ``EVAL_ERROR`` (call-stack exhaustion is a permanent stuck in the PVM).
- :class:`pvm_host.pvm.MissingPreimage` propagates: the level cannot complete.

Not modelled natively: ticks (reported as 0), kernel upgrades (the Python module is the kernel; a
``/kernel/boot.wasm`` present in durable storage is still saved as fallback like the wasm host does,
so durable states stay comparable), memory reset between boots (kernel_py modules keep only
read-only module constants, so this is unobservable for conforming code).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from kernel_py import intrinsics
from pvm_host.lifecycle import BootResult, Outcome, save_fallback_kernel
from pvm_host.pvm import MissingPreimage, PvmState


def load_kernel_module(module_or_path: str) -> ModuleType:
    """Import a kernel module by dotted name (``kernel_py.kernel``) or by ``.py`` file path."""
    path = Path(module_or_path)
    if module_or_path.endswith(".py") or path.is_file():
        name = "_native_kernel_" + path.stem
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load kernel from {module_or_path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(module_or_path)
    if not callable(getattr(module, "kernel_run", None)):
        raise ImportError(f"{module_or_path} has no kernel_run() function")
    return module


class NativeEngine:
    """Boots a kernel_py module (``kernel_run``) in CPython; see the module docstring."""

    def __init__(self, module: ModuleType | str) -> None:
        self.module = load_kernel_module(module) if isinstance(module, str) else module

    def boot(self, pvm: PvmState) -> BootResult:
        save_fallback_kernel(pvm)
        intrinsics.install_host(pvm)
        try:
            self.module.kernel_run()
        except MissingPreimage:
            raise
        except RecursionError as exc:
            return BootResult(Outcome.EVAL_ERROR, detail=f"call stack exhausted: {exc}")
        except intrinsics.KernelFailure as exc:
            if exc.kind == "abort":
                pvm.write_debug(exc.message.encode("utf-8", errors="replace"))
            return BootResult(Outcome.TRAP, detail=str(exc))
        except Exception as exc:  # any other failure of kernel code is a trap
            return BootResult(Outcome.TRAP, detail=f"{type(exc).__name__}: {exc}")
        finally:
            intrinsics.install_host(None)
        return BootResult(Outcome.OK)
