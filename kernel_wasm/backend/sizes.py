"""Where a module's bytes go: section sizes and the code size of every function (by its name)."""

from __future__ import annotations

from dataclasses import dataclass


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


def _uleb(b: bytes, p: int) -> tuple[int, int]:
    r = s = 0
    while True:
        x = b[p]
        p += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, p


def size_report(wasm: bytes) -> SizeReport:
    """Sizes of a module that still has its name section (``names=True``): names come from it."""
    p = 8
    sections: dict[int, int] = {}
    imported = 0
    bodies: list[int] = []
    names: dict[int, str] = {}
    while p < len(wasm):
        sid = wasm[p]
        n, q = _uleb(wasm, p + 1)
        body = wasm[q:q + n]
        sections[sid] = sections.get(sid, 0) + (q + n - p)
        if sid == 2:
            count, r = _uleb(body, 0)
            for _ in range(count):
                for _ in range(2):  # module and field names
                    ln, r = _uleb(body, r)
                    r += ln
                kind = body[r]
                r += 1
                if kind == 0:
                    _, r = _uleb(body, r)
                    imported += 1
                else:  # table/memory/global imports are not produced by this compiler
                    raise ValueError("only function imports are supported")
        elif sid == 10:
            count, r = _uleb(body, 0)
            for _ in range(count):
                ln, r2 = _uleb(body, r)
                bodies.append(r2 - r + ln)
                r = r2 + ln
        elif sid == 0:
            ln, r = _uleb(body, 0)
            if body[r:r + ln] == b"name":
                names = _function_names(body, r + ln)
        p = q + n
    funcs = {names.get(imported + i, f"func{imported + i}"): size for i, size in enumerate(bodies)}
    return SizeReport(len(wasm), sections, funcs)


def _function_names(body: bytes, r: int) -> dict[int, str]:
    names: dict[int, str] = {}
    while r < len(body):
        sub = body[r]
        ln, r = _uleb(body, r + 1)
        end = r + ln
        if sub == 1:
            count, r = _uleb(body, r)
            for _ in range(count):
                idx, r = _uleb(body, r)
                ln, r = _uleb(body, r)
                names[idx] = body[r:r + ln].decode()
                r += ln
        r = end
    return names
