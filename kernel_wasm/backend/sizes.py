"""Where a module's bytes go: section sizes and the code size of every function (by its name)."""

from __future__ import annotations

from dataclasses import dataclass

from pvm_spec.wasm_binary import WasmReader


@dataclass
class SizeReport:
    """Bytes per section id (0 custom, 1 type, 2 import, 3 function, 10 code, 11 data, ...) and per function."""

    total: int
    sections: dict[int, int]
    functions: dict[str, int]  # function name -> bytes of its code-section entry (body and size prefix)

    def by_group(self, depth: int = 2) -> dict[str, int]:
        """Function bytes summed by the first ``depth`` dotted parts of their names (``kernel_py.crypto``
        counts one part deeper); runtime helpers and shared check routines form the group ``runtime``."""
        out: dict[str, int] = {}
        for name, n in self.functions.items():
            parts = name.lstrip("%").split(".")
            if len(parts) < 3:
                group = "runtime"
            else:
                d = depth + 1 if parts[1] == "crypto" else depth
                group = ".".join(parts[:d])
            out[group] = out.get(group, 0) + n
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def size_report(wasm: bytes) -> SizeReport:
    """Sizes of a module that still has its name section (``names=True``): names come from it."""
    r = WasmReader(wasm, 8)
    sections: dict[int, int] = {}
    imported = 0
    bodies: list[int] = []
    names: dict[int, str] = {}
    while r.pos < len(wasm):
        start = r.pos
        sid = r.byte()
        n = r.uleb()
        body = WasmReader(wasm, r.pos, r.pos + n)
        r.skip(n)
        sections[sid] = sections.get(sid, 0) + (r.pos - start)
        if sid == 2:
            for _ in range(body.uleb()):
                body.name()  # module and field names
                body.name()
                if body.byte() != 0:  # table/memory/global imports are not produced by this compiler
                    raise ValueError("only function imports are supported")
                body.uleb()
                imported += 1
        elif sid == 10:
            for _ in range(body.uleb()):
                entry = body.pos
                body.skip(body.uleb())
                bodies.append(body.pos - entry)
        elif sid == 0 and body.name() == "name":
            names = _function_names(body)
    funcs = {names.get(imported + i, f"func{imported + i}"): size for i, size in enumerate(bodies)}
    return SizeReport(len(wasm), sections, funcs)


def _function_names(r: WasmReader) -> dict[int, str]:
    names: dict[int, str] = {}
    while r.pos < r.end:
        sub = r.byte()
        end = r.uleb() + r.pos
        if sub == 1:
            for _ in range(r.uleb()):
                idx = r.uleb()
                names[idx] = r.name()
        r.pos = end
    return names
