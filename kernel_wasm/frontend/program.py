"""Whole-program front end: module symbols, constants, annotations, call graph; drives body checks."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, TypeVar

from kernel_wasm.errors import CompileError, CompileErrors, InternalError
from kernel_wasm.frontend import intrinsics as intr
from kernel_wasm.frontend.loader import Loader, SourceModule, find_kernel_py_root
from kernel_wasm.frontend.symbols import (
    DATACLASS,
    ConstSym,
    FuncSym,
    ImportRef,
    IntrinsicSym,
    ModuleSym,
    RecordSym,
)
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL,
    BYTEARRAY,
    BYTES,
    INT_TYPES,
    NONE,
    BytesType,
    IntType,
    ListType,
    RecordType,
    TupleType,
    Type,
)

T = TypeVar("T")

FAIL_SITE_ADDR = 8  # i32: id of the failing check
INPUT_INFO_ADDR = 16  # 8 bytes written by read_input (level, id)
DATA_BASE = 32


class DataBuilder:
    """Lays out constant bytes (unaligned) and tables (8-aligned) in the data segment, deduplicated."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.buf = bytearray()
        self.cache: dict[bytes, int] = {}

    def add(self, blob: bytes, align: int = 8) -> int:
        if blob in self.cache:
            return self.cache[blob]
        while len(self.buf) % align:
            self.buf.append(0)
        addr = self.base + len(self.buf)
        self.buf += blob
        self.cache[blob] = addr
        return addr

    def bytes_value(self, value: bytes) -> int:
        return self.add(len(value).to_bytes(4, "little") + value, 1)

    def list_value(self, elem: Type, items: list[int]) -> int:
        width = elem.size
        body = b"".join((v & ((1 << (8 * width)) - 1)).to_bytes(width, "little") for v in items)
        data_addr = self.add(body) if body else 0
        n = len(items).to_bytes(4, "little")
        return self.add(n + n + data_addr.to_bytes(4, "little") + b"\0\0\0\0")

    @property
    def end(self) -> int:
        return self.base + len(self.buf)


class ProgramBuilder:
    """Resolves symbols across modules and collects checked functions into an IR program."""

    def __init__(self, entry: Path, kernel_py_root: Path | None = None) -> None:
        self.loader = Loader(kernel_py_root or find_kernel_py_root(entry))
        self.entry = self.loader.load_path(entry)
        self.sites: list[ir.Site] = [ir.Site(0, "<runtime>", 0, 0, "memory", "out of memory")]  # site 0: $alloc
        self.data = DataBuilder(DATA_BASE)
        self.funcs: dict[str, ir.Func] = {}
        self.func_syms: dict[str, FuncSym] = {}
        self.queue: list[FuncSym] = []
        self.calls: dict[str, list[tuple[str, SourceModule, ast.AST]]] = {}
        self.host_imports: set[str] = set()
        self.notes: dict[int, tuple] = {}  # id(ast node) -> what the checker decided (for native execution)
        self.errors: list[CompileError] = []  # user errors found so far (reported together)
        self._error_keys: set[tuple[str, int, int, str]] = set()

    def note(self, node: ast.AST, info: tuple) -> None:
        self.notes[id(node)] = info

    def check_all(self) -> None:
        """Check every function of every module reached so far (and of the modules they import)."""
        from kernel_wasm.frontend.check import FunctionChecker

        done: set[str] = set()
        while True:
            todo = [s for m in list(self.loader.modules.values()) for s in self.symbols(m).values()
                    if isinstance(s, FuncSym) and s.qualname not in done]
            if not todo:
                break
            for sym in todo:
                done.add(sym.qualname)
                self.attempt(lambda: FunctionChecker(self, sym).check())
            for m in list(self.loader.modules.values()):
                for v in self.symbols(m).values():
                    if isinstance(v, ImportRef):
                        self.attempt(lambda: self.resolve_import(v))
        self.attempt(self.check_cycles)
        self.raise_errors()

    # ------------------------------------------------------------------------------ diagnostics

    def record(self, exc: CompileError) -> None:
        """Keep a user error for the final report (once per location and message)."""
        for e in exc.errors if isinstance(exc, CompileErrors) else [exc]:
            if e.key not in self._error_keys:
                self._error_keys.add(e.key)
                self.errors.append(e)

    def attempt(self, step: Callable[[], T]) -> T | None:
        """Run one independent step; a user error is recorded (None returned) so checking goes on. Any
        other exception is a compiler bug, unless user errors came first (then it is their consequence)."""
        try:
            return step()
        except CompileError as exc:
            self.record(exc)
        except Exception as exc:
            if self.errors:
                self.raise_errors()
            raise InternalError(f"{type(exc).__name__}: {exc}") from exc
        return None

    def raise_errors(self) -> None:
        """Raise every recorded error at once, in source order."""
        if self.errors:
            raise CompileErrors(sorted(self.errors, key=lambda e: (e.file, e.line, e.col)))

    def err(self, mod: SourceModule, node: ast.AST | None, what: str, hint: str = "") -> CompileError:
        line = getattr(node, "lineno", 1) or 1
        col = (getattr(node, "col_offset", 0) or 0) + 1
        return CompileError(mod.display, line, col, what, hint)

    def site(self, mod: SourceModule, node: ast.AST, kind: str, message: str = "") -> int:
        sid = len(self.sites)
        self.sites.append(ir.Site(sid, mod.display, getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1,
                                  kind, message))
        return sid

    # ------------------------------------------------------------------------------ symbols

    def symbols(self, mod: SourceModule) -> dict[str, object]:
        if mod.symbols:
            return mod.symbols
        syms: dict[str, object] = {"__builtins__": None}
        for i, stmt in enumerate(mod.tree.body):
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
                    and isinstance(stmt.value.value, str):
                continue
            try:
                self._module_stmt(mod, stmt, syms)
            except CompileError as exc:
                self.record(exc)
        mod.symbols = syms
        return syms

    def _module_stmt(self, mod: SourceModule, stmt: ast.stmt, syms: dict[str, object]) -> None:
        if isinstance(stmt, ast.ImportFrom):
            src = stmt.module or ""
            if stmt.level:
                raise self.err(mod, stmt, "relative import", f"write `from kernel_py.<module> import {stmt.names[0].name}`")
            for alias in stmt.names:
                local = alias.asname or alias.name
                if alias.name == "*":
                    raise self.err(mod, stmt, "`import *`", "import each name explicitly")
                if src == "__future__":
                    continue
                if src == "dataclasses" and alias.name == "dataclass":
                    syms[local] = DATACLASS
                elif src == "kernel_py.intrinsics":
                    if alias.name not in intr.ALL_NAMES:
                        raise self.err(mod, stmt, f"`{alias.name}` is not an intrinsic",
                                       "see docs/LANGUAGE.md for the intrinsic list")
                    syms[local] = IntrinsicSym(alias.name)
                elif src == "kernel_py" or src.startswith("kernel_py."):
                    syms[local] = ImportRef(mod, src, alias.name, stmt)
                else:
                    raise self.err(mod, stmt, f"import from `{src}` is outside the subset",
                                   "import only from kernel_py modules, kernel_py.intrinsics and dataclasses")
            return
        if isinstance(stmt, ast.Import):
            raise self.err(mod, stmt, "`import module` is outside the subset",
                           "write `from kernel_py.<module> import name`")
        if isinstance(stmt, ast.FunctionDef):
            syms[stmt.name] = FuncSym(mod, stmt, f"{mod.name}.{stmt.name}")  # known even if refused below
            if stmt.decorator_list:
                raise self.err(mod, stmt.decorator_list[0], "function decorators are outside the subset",
                               "remove the decorator")
            return
        if isinstance(stmt, ast.ClassDef):
            if not any(self._is_dataclass_deco(mod, d) for d in stmt.decorator_list) or len(stmt.decorator_list) != 1:
                raise self.err(mod, stmt, "classes must be plain `@dataclass` records",
                               "write `@dataclass` above `class Name:` with annotated fields only")
            syms[stmt.name] = RecordSym(mod, stmt, RecordType(stmt.name, f"{mod.name}.{stmt.name}", ()))
            return
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.value is None:
                raise self.err(mod, stmt, "module constant without a value", f"write `{stmt.target.id}: T = value`")
            syms[stmt.target.id] = ConstSym(mod, stmt.target.id, stmt, stmt.annotation, stmt.value)
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name == "__all__":
                return
            syms[name] = ConstSym(mod, name, stmt, None, stmt.value)
            return
        if isinstance(stmt, ast.AsyncFunctionDef):
            raise self.err(mod, stmt, "async functions are outside the subset", "write a plain `def`")
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return
        if isinstance(stmt, ast.Pass):
            return
        raise self.err(mod, stmt, f"module-level `{type(stmt).__name__}` statement is outside the subset",
                       "module level holds only imports, annotated UPPER_CASE constants, functions and @dataclass records")

    def _is_dataclass_deco(self, mod: SourceModule, deco: ast.expr) -> bool:
        target = deco.func if isinstance(deco, ast.Call) else deco
        return isinstance(target, ast.Name) and self.symbols_raw(mod).get(target.id) is DATACLASS

    def symbols_raw(self, mod: SourceModule) -> dict[str, object]:
        return mod.symbols if mod.symbols else self._partial(mod)

    def _partial(self, mod: SourceModule) -> dict[str, object]:
        found: dict[str, object] = {}
        for stmt in mod.tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "dataclasses":
                for alias in stmt.names:
                    if alias.name == "dataclass":
                        found[alias.asname or alias.name] = DATACLASS
        return found

    def lookup(self, mod: SourceModule, name: str, node: ast.AST) -> object | None:
        """Module-level symbol ``name`` of ``mod`` (imports followed), or None."""
        sym = self.symbols(mod).get(name)
        if isinstance(sym, ImportRef):
            sym = self.resolve_import(sym)
        return sym

    def resolve_import(self, ref: ImportRef) -> object:
        if ref.resolved is not None:
            return ref.resolved
        sub = self.loader.file_for(f"{ref.target}.{ref.name}")
        path = self.loader.file_for(ref.target)
        result: object | None = None
        if path is not None:
            target = self.loader.load_path(path)
            if ref.name in self.symbols(target) and ref.name != "__builtins__":
                result = self.lookup(target, ref.name, ref.node)
        if result is None and sub is not None:
            result = ModuleSym(self.loader.load_path(sub))
        if result is None:
            if path is None:
                raise self.err(ref.mod, ref.node, f"module `{ref.target}` not found under {self.loader.root}",
                               "check the module path")
            raise self.err(ref.mod, ref.node, f"`{ref.name}` is not defined in `{ref.target}`",
                           "import a function, constant or record the module defines")
        ref.resolved = result
        return result

    # ------------------------------------------------------------------------------ types

    def resolve_type(self, mod: SourceModule, node: ast.expr | None, what: str = "annotation") -> Type:
        if node is None:
            raise self.err(mod, None, f"missing {what}", "annotate it")
        if isinstance(node, ast.Constant) and node.value is None:
            return NONE
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                raise self.err(mod, node, "bad string annotation", "write the type directly") from None
            ast.copy_location(inner, node)
            for sub in ast.walk(inner):
                ast.copy_location(sub, node)
            return self.resolve_type(mod, inner, what)
        if isinstance(node, ast.Name):
            if node.id in ("bool",):
                return BOOL
            if node.id == "bytes":
                return BYTES
            if node.id == "bytearray":
                return BYTEARRAY
            if node.id == "int":
                return INT_TYPES["int"]
            sym = self.lookup(mod, node.id, node)
            if isinstance(sym, IntrinsicSym) and sym.name in INT_TYPES:
                return INT_TYPES[sym.name]
            if isinstance(sym, RecordSym):
                return self.record_type(sym)
            if node.id in ("float", "str", "dict", "set", "object", "Any"):
                raise self.err(mod, node, f"type `{node.id}` is outside the subset",
                               "use u8/u32/u64/i32/i64/int, bool, bytes, bytearray, list[T] or a @dataclass record")
            raise self.err(mod, node, f"unknown type `{node.id}`",
                           "import integer types from kernel_py.intrinsics, records from their module")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            sym = self.lookup(mod, node.value.id, node)
            if isinstance(sym, ModuleSym):
                inner = self.lookup(sym.mod, node.attr, node)
                if isinstance(inner, RecordSym):
                    return self.record_type(inner)
            raise self.err(mod, node, "unknown type", "name a record type imported from a kernel_py module")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            if node.value.id == "list":
                elem = self.resolve_type(mod, node.slice, what)
                if isinstance(elem, (TupleType, type(NONE))):
                    raise self.err(mod, node, f"list[{elem}] is outside the subset", "use a list of records")
                return ListType(elem)
            if node.value.id == "tuple":
                elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                return TupleType(tuple(self.resolve_type(mod, e, what) for e in elts))
        raise self.err(mod, node, f"unsupported {what} `{ast.unparse(node)}`",
                       "use u8/u32/u64/i32/i64/int, bool, bytes, bytearray, list[T], a record, or tuple[...] for returns")

    def record_type(self, sym: RecordSym) -> RecordType:
        if sym.resolved:
            return sym.rtype
        sym.resolved = True
        fields: list[tuple[str, Type]] = []
        for i, stmt in enumerate(sym.node.body):
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is None:
                ftype = self.resolve_type(sym.mod, stmt.annotation, "field type")
                if isinstance(ftype, (TupleType, type(NONE))):
                    raise self.err(sym.mod, stmt, "record fields cannot be tuples or None", "use a nested record")
                fields.append((stmt.target.id, ftype))
                continue
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.AnnAssign):
                raise self.err(sym.mod, stmt, "record field with a default value",
                               "declare `name: T` only and pass every field to the constructor")
            raise self.err(sym.mod, stmt, "records hold annotated fields only (no methods or class attributes)",
                           "move methods to module-level functions taking the record")
        object.__setattr__(sym.rtype, "fields", tuple(fields))
        return sym.rtype

    # ------------------------------------------------------------------------------ constants

    def const(self, sym: ConstSym) -> tuple[object, Type | None]:
        """Value and declared type of a module constant (None type: an unannotated int, adapts like a literal)."""
        if sym.busy:
            raise self.err(sym.mod, sym.node, f"constant `{sym.name}` depends on itself", "define it from literals")
        if sym.value is None:
            sym.busy = True
            ty = self.resolve_type(sym.mod, sym.ann, "constant type") if sym.ann is not None else None
            value = self.eval_const(sym.mod, sym.value_node)
            if ty is None:
                ty = None if isinstance(value, int) and not isinstance(value, bool) else self._infer_const_type(
                    sym, value)
            self._check_const(sym, value, ty)
            sym.value, sym.ty, sym.busy = value, ty, False
        return sym.value, sym.ty

    def _infer_const_type(self, sym: ConstSym, value: object) -> Type:
        if isinstance(value, bool):
            return BOOL
        if isinstance(value, bytes):
            return BYTES
        raise self.err(sym.mod, sym.node, f"constant `{sym.name}` needs a type annotation",
                       f"write `{sym.name}: list[u64] = [...]` (or the element type you need)")

    def _check_const(self, sym: ConstSym, value: object, ty: Type | None) -> None:
        def fits(v: object, t: Type) -> bool:
            if isinstance(t, IntType):
                return isinstance(v, int) and (t is not BOOL or isinstance(v, bool)) and t.lo <= v <= t.hi
            if isinstance(t, BytesType):
                return isinstance(v, bytes) and not t.mutable
            if isinstance(t, ListType):
                return isinstance(v, list) and all(fits(x, t.elem) for x in v) and isinstance(
                    t.elem, (IntType, BytesType))
            return False
        if ty is None:
            if not isinstance(value, int):
                raise self.err(sym.mod, sym.node, "bad constant", "annotate it")
            return
        if not fits(value, ty):
            raise self.err(sym.mod, sym.node, f"constant `{sym.name}` does not fit its type {ty}",
                           "module constants are ints, bytes, or list[int type]/list[bytes] tables")

    def eval_const(self, mod: SourceModule, node: ast.expr) -> object:
        """Evaluate a constant initialiser at compile time."""
        ev = lambda n: self.eval_const(mod, n)  # noqa: E731
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, bytes)):
            return node.value
        if isinstance(node, ast.Name):
            sym = self.lookup(mod, node.id, node)
            if isinstance(sym, ConstSym):
                return self.const(sym)[0]
            if node.id in ("True", "False"):
                return node.id == "True"
            raise self.err(mod, node, f"`{node.id}` is not a constant", "constants are built from literals and other constants")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            sym = self.lookup(mod, node.value.id, node)
            if isinstance(sym, ModuleSym):
                inner = self.lookup(sym.mod, node.attr, node)
                if isinstance(inner, ConstSym):
                    return self.const(inner)[0]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            if isinstance(v, int):
                return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            try:
                return _CONST_OPS[type(node.op)](a, b)
            except (KeyError, TypeError, ValueError, ZeroDivisionError):
                pass
        if isinstance(node, ast.List):
            return [ev(e) for e in node.elts]
        if isinstance(node, ast.Call) and not node.keywords:
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "bytes" \
                    and f.attr == "fromhex" and len(node.args) == 1:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    try:
                        return bytes.fromhex(arg.value)
                    except ValueError:
                        raise self.err(mod, arg, "invalid hex string", "use pairs of hex digits") from None
            if isinstance(f, ast.Name) and len(node.args) == 1:
                sym = self.lookup(mod, f.id, f)
                if isinstance(sym, IntrinsicSym) and sym.name in INT_TYPES:
                    v = ev(node.args[0])
                    t = INT_TYPES[sym.name]
                    if isinstance(v, int) and t.lo <= v <= t.hi:
                        return v
                    raise self.err(mod, node, f"constant {v} does not fit {sym.name}", "fix the value")
                if f.id == "len":
                    v = ev(node.args[0])
                    if isinstance(v, (bytes, list)):
                        return len(v)
                if f.id == "bytes":
                    v = ev(node.args[0])
                    if isinstance(v, int):
                        return bytes(v)
                    if isinstance(v, list):
                        return bytes(v)
        raise self.err(mod, node, f"`{ast.unparse(node)}` is not a compile-time constant",
                       "module constants use literals, other constants, arithmetic, bytes.fromhex(\"..\") and list literals")

    def const_addr(self, sym: ConstSym) -> int:
        """Data-segment address of a bytes or list constant."""
        if sym.addr is None:
            value, ty = self.const(sym)
            if isinstance(value, bytes):
                sym.addr = self.data.bytes_value(value)
            else:
                assert isinstance(ty, ListType) and isinstance(value, list)
                if isinstance(ty.elem, BytesType):
                    sym.addr = self.data.list_value(ty.elem, [self.data.bytes_value(v) for v in value])
                else:
                    sym.addr = self.data.list_value(ty.elem, [int(v) for v in value])
        return sym.addr

    # ------------------------------------------------------------------------------ functions

    def signature(self, sym: FuncSym) -> tuple[list[tuple[str, Type]], Type]:
        if sym.params is None:
            node, mod = sym.node, sym.mod
            a = node.args
            if a.vararg or a.kwarg:
                raise self.err(mod, node, "*args/**kwargs are outside the subset", "pass explicit parameters")
            if a.kwonlyargs or a.posonlyargs:
                raise self.err(mod, node, "keyword-only/positional-only parameters are outside the subset",
                               "use plain parameters")
            if a.defaults:
                raise self.err(mod, a.defaults[0], "default arguments are outside the subset",
                               "pass every argument at each call")
            params = []
            for arg in a.args:
                if arg.annotation is None:
                    raise self.err(mod, arg, f"parameter `{arg.arg}` has no type annotation",
                                   f"write `{arg.arg}: u64` (or its type)")
                t = self.resolve_type(mod, arg.annotation, "parameter type")
                if isinstance(t, (TupleType, type(NONE))):
                    raise self.err(mod, arg, "tuple/None parameters are outside the subset", "pass the values separately")
                params.append((arg.arg, t))
            if node.returns is None:
                raise self.err(mod, node, f"function `{node.name}` has no return annotation",
                               "write `-> None` or `-> T`")
            sym.params, sym.ret = params, self.resolve_type(mod, node.returns, "return type")
        assert sym.ret is not None
        return sym.params, sym.ret

    def request(self, sym: FuncSym, caller: str | None, mod: SourceModule | None, node: ast.AST | None) -> str:
        """Note that ``sym`` is called (queue its body for checking); return its IR name."""
        if sym.qualname not in self.func_syms:
            self.func_syms[sym.qualname] = sym
            self.queue.append(sym)
        if caller is not None and mod is not None and node is not None:
            self.calls.setdefault(caller, []).append((sym.qualname, mod, node))
        return sym.qualname

    def check_cycles(self) -> None:
        state: dict[str, int] = {}

        def visit(f: str, path: list[str]) -> None:
            state[f] = 1
            for callee, mod, node in self.calls.get(f, []):
                if state.get(callee) == 1:
                    cycle = path[path.index(callee):] + [callee] if callee in path else [f, callee]
                    names = " → ".join(c.rsplit(".", 1)[-1] for c in cycle)
                    raise self.err(mod, node, f"recursive call ({names})",
                                   "recursion and call cycles are outside the subset: rewrite with a loop")
                if state.get(callee) is None:
                    visit(callee, path + [callee])
            state[f] = 2

        for f in list(self.func_syms):
            if f not in state:
                visit(f, [f])

    def _export(self, syms: dict[str, object], name: str, kernel: bool, export_map: dict[str, str]) -> None:
        sym = syms.get(name)
        if isinstance(sym, ImportRef):
            sym = self.resolve_import(sym)
        if not isinstance(sym, FuncSym):
            raise CompileError(self.entry.display, 1, 1, f"no function `{name}` to export",
                               "define it in this file (kernel mode needs `def kernel_run() -> None`)")
        params, ret = self.signature(sym)
        if kernel and (params or ret != NONE):
            raise self.err(sym.mod, sym.node, "kernel_run must take no parameters and return None",
                           "write `def kernel_run() -> None:`")
        export_map[name] = self.request(sym, None, None, None)

    def build(self, exports: list[str] | None, kernel: bool) -> ir.Program:
        """Check the program (every error at once: :class:`CompileErrors`) and collect its reachable IR."""
        from kernel_wasm.frontend.check import FunctionChecker

        syms = self.symbols(self.entry)
        names = ["kernel_run"] if kernel else list(exports or [])
        export_map: dict[str, str] = {}
        for name in names:
            self.attempt(lambda: self._export(syms, name, kernel, export_map))
        # every import, constant, record and function of the entry module is checked, used or not
        for sym in list(syms.values()):
            if isinstance(sym, ImportRef):
                self.attempt(lambda: self.resolve_import(sym))
            elif isinstance(sym, ConstSym):
                self.attempt(lambda: self.const(sym))
            elif isinstance(sym, RecordSym):
                self.attempt(lambda: self.record_type(sym))
        # only reachable functions are kept
        pending = [s for s in syms.values() if isinstance(s, FuncSym) and s.mod is self.entry]
        while self.queue or pending:
            sym = self.queue.pop(0) if self.queue else pending.pop(0)
            if sym.qualname not in self.funcs:
                func = self.attempt(lambda: FunctionChecker(self, sym).check())
                if func is not None:
                    self.funcs[sym.qualname] = func
        self.attempt(self.check_cycles)
        self.raise_errors()
        reachable: set[str] = set()
        stack = list(export_map.values())
        while stack:
            f = stack.pop()
            if f not in reachable:
                reachable.add(f)
                stack.extend(callee for callee, _, _ in self.calls.get(f, []))
        self.funcs = {k: v for k, v in self.funcs.items() if k in reachable}
        heap_base = (self.data.end + 15) // 16 * 16
        return ir.Program(self.funcs, export_map, bytes(self.data.buf), DATA_BASE, heap_base, self.sites, kernel,
                          self.host_imports)


_CONST_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.LShift: lambda a, b: a << b,
    ast.RShift: lambda a, b: a >> b,
    ast.BitAnd: lambda a, b: a & b,
    ast.BitOr: lambda a, b: a | b,
    ast.BitXor: lambda a, b: a ^ b,
}
