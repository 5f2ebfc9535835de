"""Generate the ``*_pb2.py`` / ``*_pb2_grpc.py`` modules of :mod:`dsn.proto` (needs grpcio-tools, a dev
dependency). Run from the repository root as ``scripts/gen_proto``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

PROTO_DIR = Path(__file__).resolve().parent
ROOT = PROTO_DIR.parents[1]


def protos() -> list[Path]:
    return sorted(PROTO_DIR.glob("*.proto"))


def generate(out: Path) -> list[Path]:
    """Compile every ``.proto`` of this folder into ``out/dsn/proto/``; returns the generated files.

    Imports in the generated code are absolute (``dsn.proto.…``) because protoc runs from the
    repository root."""
    from grpc_tools import protoc  # dev dependency: imported only when generating

    args = ["protoc", f"-I{ROOT}", f"--python_out={out}", f"--grpc_python_out={out}",
            *(str(p.relative_to(ROOT)) for p in protos())]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed: {' '.join(args)}")
    return sorted((out / "dsn" / "proto").glob("*_pb2*.py"))


def regenerate() -> list[Path]:
    """Write the generated modules next to the ``.proto`` files; returns their paths."""
    with tempfile.TemporaryDirectory() as tmp:
        written = []
        for f in generate(Path(tmp)):
            shutil.copyfile(f, PROTO_DIR / f.name)
            written.append(PROTO_DIR / f.name)
        return written
