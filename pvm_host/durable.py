"""The PVM durable storage tree with the exact semantics of ``wasm_2_0_0`` host functions.

A key is ``/step(/step)*`` (steps non-empty, bytes ``[A-Za-z0-9._-]``, ``.``/``..`` are plain names),
at most 240 bytes; the empty key ``b""`` is the root. A node holds an optional value (bytes) and
named children; a node with neither does not exist. Keys whose first step is ``readonly`` (and the
root) cannot be changed by the kernel (``-9``); the PVM itself writes there with ``edit_readonly``.

Every ``store_*`` method takes the raw key bytes the kernel passed and returns what the host
function returns: a non-negative result or an error code from :mod:`pvm_spec.constants`
(``-1`` key too long, ``-2`` bad syntax, ``-3`` no value, ``-4`` offset outside the value,
``-5`` size overflow, ``-7`` chunk > 2,048 bytes, ``-9`` read-only, ``-10`` no node,
``-12`` bad index, ``-13`` value exists). ``store_read`` returns ``bytes`` on success.

Python API for the PVM and tools (string keys, no read-only check): :meth:`DurableTree.get`,
:meth:`DurableTree.set`, :meth:`DurableTree.remove`, :meth:`DurableTree.subkeys`,
:meth:`DurableTree.copy_tree`, :meth:`DurableTree.items`, :meth:`DurableTree.root_hash`.

State root hash (deterministic, not Irmin-compatible)::

    node_hash(n) = BLAKE2b-256( "N"
                               ‖ (01 ‖ BLAKE2b-256(value)  if n has a value  else  00)
                               ‖ for each child in bytewise order of names: u8 len(name) ‖ name ‖ node_hash(child) )

The state root hash is ``node_hash(root)``; ``__internal_store_get_hash`` returns ``node_hash`` of
the subtree at a key. Hashes are cached per node and invalidated along each mutated path.

Changes are tracked (:meth:`DurableTree.take_changes`) so a persistence layer can write only what
a level changed: a list of subtree prefixes that were wiped and a set of value paths whose final
content (present or absent) must be written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from pvm_spec.constants import (
    INPUT_OUTPUT_TOO_LARGE,
    MAX_KEY_LENGTH,
    MAX_STORE_IO_SIZE,
    MAX_VALUE_SIZE,
    STORE_INVALID_ACCESS,
    STORE_INVALID_KEY,
    STORE_INVALID_SUBKEY_INDEX,
    STORE_KEY_TOO_LARGE,
    STORE_NOT_A_NODE,
    STORE_NOT_A_VALUE,
    STORE_READONLY_VALUE,
    STORE_VALUE_ALREADY_EXISTS,
    STORE_VALUE_SIZE_EXCEEDED,
)

_STEP_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")

Path = tuple[str, ...]
_blake2b = hashlib.blake2b
_LENGTH = [bytes((n,)) for n in range(256)]  # u8 length prefixes of child names (steps are < 256 bytes)


_PARSED: dict[bytes, Path | int] = {}
_PARSED_MAX = 4096


def parse_key(key: bytes) -> Path | int:
    """Steps of a durable key, or ``-1`` (longer than 240 bytes) / ``-2`` (bad syntax). Memoised."""
    if type(key) is not bytes:
        key = bytes(key)
    parsed = _PARSED.get(key)
    if parsed is None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        parsed = _PARSED[key] = _parse_key(key)
    return parsed


def _parse_key(key: bytes) -> Path | int:
    if len(key) > MAX_KEY_LENGTH:
        return STORE_KEY_TOO_LARGE
    if key == b"":
        return ()
    if key[0] != 0x2F:
        return STORE_INVALID_KEY
    steps = key[1:].split(b"/")
    for step in steps:
        if not step or not _STEP_BYTES.issuperset(step):
            return STORE_INVALID_KEY
    return tuple(s.decode("ascii") for s in steps)


def path_of(key: str) -> Path:
    """Steps of a key given as text; raises ``ValueError`` if it is not a valid durable key."""
    parsed = parse_key(key.encode("ascii", errors="replace"))
    if isinstance(parsed, int):
        raise ValueError(f"invalid durable key {key!r} (error {parsed})")
    return parsed


def key_of(path: Path) -> str:
    return "".join("/" + s for s in path)


def is_readonly(path: Path) -> bool:
    """True for the root and for every key under ``/readonly``."""
    return not path or path[0] == "readonly"


class _Node:
    __slots__ = ("value", "children", "hash")

    def __init__(self) -> None:
        self.value: bytearray | None = None
        self.children: dict[str, _Node] = {}
        self.hash: bytes | None = None

    def is_empty(self) -> bool:
        return self.value is None and not self.children

    def clone(self) -> _Node:
        node = _Node()
        node.value = None if self.value is None else bytearray(self.value)
        node.children = {name: child.clone() for name, child in self.children.items()}
        node.hash = self.hash
        return node

    def digest(self) -> bytes:
        if self.hash is None:
            parts = [b"N\x00" if self.value is None else b"N\x01" + _blake2b(self.value, digest_size=32).digest()]
            children = self.children
            for name in sorted(children):  # names are ASCII: code point order is bytewise order
                raw = name.encode("ascii")
                parts += (_LENGTH[len(raw)], raw, children[name].hash or children[name].digest())
            self.hash = _blake2b(b"".join(parts), digest_size=32).digest()
        return self.hash


class DurableTree:
    """In-memory durable storage; see the module docstring for semantics and the hash definition."""

    def __init__(self) -> None:
        self._root = _Node()
        self._wiped: list[Path] = []
        self._dirty: set[Path] = set()

    # ---- navigation --------------------------------------------------------------------------

    def _find(self, path: Path) -> _Node | None:
        node = self._root
        for step in path:
            child = node.children.get(step)
            if child is None:
                return None
            node = child
        return node

    def _walk_create(self, path: Path) -> _Node:
        """Node at ``path``, creating missing nodes; invalidates hashes along the way."""
        node = self._root
        node.hash = None
        for step in path:
            child = node.children.get(step)
            if child is None:
                child = node.children[step] = _Node()
            child.hash = None
            node = child
        return node

    def _detach(self, path: Path) -> _Node | None:
        """Remove and return the subtree at ``path`` (non-root), pruning emptied ancestors."""
        trail = [self._root]
        for step in path[:-1]:
            child = trail[-1].children.get(step)
            if child is None:
                return None
            trail.append(child)
        subtree = trail[-1].children.pop(path[-1], None)
        if subtree is None:
            return None
        for node in trail:
            node.hash = None
        for depth in range(len(trail) - 1, 0, -1):
            if trail[depth].is_empty():
                del trail[depth - 1].children[path[depth - 1]]
            else:
                break
        return subtree

    def _prune(self, path: Path) -> None:
        """Remove the node at ``path`` and its ancestors if they became empty."""
        if path and (node := self._find(path)) is not None and node.is_empty():
            self._detach(path)

    def _mark_subtree(self, path: Path, node: _Node) -> None:
        if node.value is not None:
            self._dirty.add(path)
        for name, child in node.children.items():
            self._mark_subtree(path + (name,), child)

    # ---- PVM-side API (string keys, no read-only protection) --------------------------------

    def get(self, key: str | Path) -> bytes | None:
        """Value at ``key`` or None."""
        node = self._find(path_of(key) if isinstance(key, str) else key)
        return None if node is None or node.value is None else bytes(node.value)

    def set(self, key: str | Path, value: bytes) -> None:
        """Replace the value at ``key`` (subkeys stay)."""
        path = path_of(key) if isinstance(key, str) else key
        self._walk_create(path).value = bytearray(value)
        self._dirty.add(path)

    def remove(self, key: str | Path) -> None:
        """Delete the value and every subkey at ``key`` (no-op if absent)."""
        path = path_of(key) if isinstance(key, str) else key
        if not path:
            self._root = _Node()
            self._wiped.append(())
        elif self._detach(path) is not None:
            self._wiped.append(path)

    def remove_value(self, key: str | Path) -> None:
        """Delete only the value at ``key``."""
        path = path_of(key) if isinstance(key, str) else key
        node = self._find(path)
        if node is not None and node.value is not None:
            self._walk_create(path).value = None
            self._dirty.add(path)
            self._prune(path)

    def copy_tree(self, src: str | Path, dst: str | Path) -> bool:
        """Replace the subtree at ``dst`` by a copy of the one at ``src``; False if ``src`` is absent."""
        src_path = path_of(src) if isinstance(src, str) else src
        dst_path = path_of(dst) if isinstance(dst, str) else dst
        node = self._find(src_path)
        if node is None:
            return False
        self._graft(dst_path, node.clone())
        return True

    def _graft(self, path: Path, subtree: _Node) -> None:
        self.remove(path)
        if subtree.is_empty():
            return
        if not path:
            self._root = subtree
        else:
            parent = self._walk_create(path[:-1])
            parent.children[path[-1]] = subtree
        self._mark_subtree(path, subtree)

    def has_node(self, key: str | Path) -> bool:
        return self._find(path_of(key) if isinstance(key, str) else key) is not None

    def subkeys(self, key: str | Path) -> list[str]:
        """Names of the children of ``key`` in bytewise order (the value is not listed)."""
        node = self._find(path_of(key) if isinstance(key, str) else key)
        return [] if node is None else sorted(node.children, key=str.encode)

    def items(self, key: str | Path = ()) -> Iterator[tuple[str, bytes]]:
        """Every (key, value) under ``key`` (itself included), in bytewise key order."""
        path = path_of(key) if isinstance(key, str) else key
        node = self._find(path)
        if node is not None:
            yield from self._items(path, node)

    def _items(self, path: Path, node: _Node) -> Iterator[tuple[str, bytes]]:
        if node.value is not None:
            yield key_of(path), bytes(node.value)
        for name in sorted(node.children, key=str.encode):
            yield from self._items(path + (name,), node.children[name])

    def root_hash(self) -> bytes:
        """The state root hash (see the module docstring)."""
        return self._root.digest()

    def subtree_hash(self, key: str | Path) -> bytes | None:
        node = self._find(path_of(key) if isinstance(key, str) else key)
        return None if node is None else node.digest()

    def take_changes(self) -> tuple[list[Path], set[Path]]:
        """(wiped subtree prefixes in order, value paths to rewrite) since the last call; resets both."""
        wiped, dirty = self._wiped, self._dirty
        self._wiped, self._dirty = [], set()
        return wiped, dirty

    # ---- host functions (raw key bytes, kernel-side semantics) -------------------------------

    def _writable(self, key: bytes) -> Path | int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        return STORE_READONLY_VALUE if is_readonly(path) else path

    def store_has(self, key: bytes) -> int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        node = self._find(path)
        if node is None:
            return 0
        return (1 if node.value is not None else 0) + (2 if node.children else 0)

    def store_exists(self, key: bytes) -> int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        return 1 if self._find(path) is not None else 0

    def store_list_size(self, key: bytes) -> int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        node = self._find(path)
        if node is None:
            return 0
        return len(node.children) + (1 if node.value is not None else 0)

    def store_get_nth_key(self, key: bytes, index: int) -> bytes | int:
        """Name of the ``index``-th child (the value, listed first, has an empty name)."""
        path = parse_key(key)
        if isinstance(path, int):
            return path
        node = self._find(path)
        names: list[str] = []
        if node is not None:
            names = ([""] if node.value is not None else []) + sorted(node.children, key=str.encode)
        if not 0 <= index < len(names):
            return STORE_INVALID_SUBKEY_INDEX
        return names[index].encode("ascii")

    def store_delete(self, key: bytes) -> int:
        path = self._writable(key)
        if isinstance(path, int):
            return path
        self.remove(path)
        return 0

    def store_delete_value(self, key: bytes) -> int:
        path = self._writable(key)
        if isinstance(path, int):
            return path
        self.remove_value(path)
        return 0

    def store_copy(self, src: bytes, dst: bytes) -> int:
        src_path = parse_key(src)
        if isinstance(src_path, int):
            return src_path
        dst_path = self._writable(dst)
        if isinstance(dst_path, int):
            return dst_path
        return 0 if self.copy_tree(src_path, dst_path) else STORE_NOT_A_NODE

    def store_move(self, src: bytes, dst: bytes) -> int:
        src_path = self._writable(src)
        if isinstance(src_path, int):
            return src_path
        dst_path = self._writable(dst)
        if isinstance(dst_path, int):
            return dst_path
        subtree = self._detach(src_path)
        if subtree is None:
            return STORE_NOT_A_NODE
        self._wiped.append(src_path)
        self._graft(dst_path, subtree)
        return 0

    def store_value_size(self, key: bytes) -> int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        node = self._find(path)
        if node is None or node.value is None:
            return STORE_NOT_A_VALUE
        return len(node.value)

    def store_read(self, key: bytes, offset: int, max_bytes: int) -> bytes | int:
        path = parse_key(key)
        if isinstance(path, int):
            return path
        if max_bytes > MAX_STORE_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        node = self._find(path)
        if node is None or node.value is None:
            return STORE_NOT_A_VALUE
        if offset < 0 or offset >= len(node.value) or max_bytes < 0:
            return STORE_INVALID_ACCESS
        return bytes(node.value[offset : offset + max_bytes])

    def store_write(self, key: bytes, offset: int, data: bytes) -> int:
        path = self._writable(key)
        if isinstance(path, int):
            return path
        if len(data) > MAX_STORE_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        trail = [self._root]  # one walk: the nodes along the path, whose hashes the write invalidates
        node: _Node | None = self._root
        for step in path:
            node = trail[-1].children.get(step)
            if node is None:
                break
            trail.append(node)
        value = None if node is None else node.value
        if offset < 0 or offset > (0 if value is None else len(value)):
            return STORE_INVALID_ACCESS
        if offset + len(data) > MAX_VALUE_SIZE:
            return STORE_VALUE_SIZE_EXCEEDED
        if node is None:
            node = self._walk_create(path)
        else:
            for on_path in trail:
                on_path.hash = None
        if value is None:
            value = node.value = bytearray()
        value[offset : offset + len(data)] = data
        self._dirty.add(path)
        return 0

    def store_create(self, key: bytes, size: int) -> int:
        path = self._writable(key)
        if isinstance(path, int):
            return path
        if size < 0 or size > MAX_VALUE_SIZE:
            return STORE_VALUE_SIZE_EXCEEDED
        node = self._find(path)
        if node is not None and node.value is not None:
            return STORE_VALUE_ALREADY_EXISTS
        self.set(path, bytes(size))
        return 0

    def store_get_hash(self, key: bytes) -> bytes | int:
        """``__internal_store_get_hash``: the 32-byte hash of the subtree at ``key``."""
        path = parse_key(key)
        if isinstance(path, int):
            return path
        digest = self.subtree_hash(path)
        return STORE_NOT_A_NODE if digest is None else digest
