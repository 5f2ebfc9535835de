"""Tick costs of the reference PVM (Tezos ``lib_webassembly`` small-step interpreter), as numbers.

A PVM tick is one call of ``Eval.step`` (``src/lib_webassembly/exec/eval.ml``). The interpreter keeps a
stack of frames, each holding a stack of labels, each holding a value stack and a list of *admin
instructions*. Popping one admin instruction costs :data:`ADMIN` = 3 ticks (``SK_Start`` →
``SK_Next LS_Start`` → ``LS_Modify_top`` → ``SK_Start``). A plain wasm instruction inside a block is
reached through a ``From_block`` admin instruction and then runs as a ``Plain`` one: 6 ticks. On top:

- leaving a label concatenates its values with the enclosing label's saved stack one value per tick
  (``concat_step``): block end = ``7 + results + saved``;
- branches pass one ``Breaking`` admin instruction per label left (3 each);
- a wasm call prepares locals and arguments one per tick (``Inv_prepare_locals``/``args``/``concat``):
  ``8 + 2·params + 2·locals``, and the return concatenates results with the caller's stack;
- a host call counts down the host function's own ticks (``Inv_stop``) plus 5;
- ``memory.copy`` / ``memory.fill`` / ``memory.init`` expand to 8 / 7 / 7 instructions per byte
  (48 = ``Tick_model.ticks_per_byte_copied``, 42, 42).

Host-function costs (``src/lib_scoru_wasm/host_funcs.ml`` ``Tick_model``): 42 ticks per byte read from
or written to memory, +1 per durable-tree access, nothing when the call returns an error code; all
host-function tick arithmetic of the engine lives in :class:`HostTicks`.

Decode, link and init happen at every ``kernel_run`` (``src/lib_scoru_wasm/wasm_vm.ml``) and cost one
tick per decoder step (``binary/decode.ml``: about two per instruction, decoding then the elaboration
walk, one per data byte and per name character) and per init step (``exec/eval.ml`` ``init_step``:
segment initialisers are joined one admin instruction per tick and data is copied with
``memory.init``, 42 ticks a byte). :func:`load_ticks` counts them from the module's contents (see
``docs/HOST.md`` "Ticks").
"""

from __future__ import annotations

from dataclasses import dataclass

from pvm_spec.constants import (
    TICKS_PER_BYTE_COPIED,
    TICKS_PER_BYTE_READ,
    TICKS_PER_BYTE_WRITTEN,
    TICKS_PER_TREE_ACCESS,
)

ADMIN = 3  # one admin instruction popped and run
PLAIN = 2 * ADMIN  # From_block fetch + Plain execution
HOST_CALL = 5  # Invoke of a host function: LS_Start, Inv_start, final Inv_stop, frame update, SK_Start
PER_BYTE_COPIED = TICKS_PER_BYTE_COPIED  # memory.copy: 8 meta instructions of 6 ticks
PER_BYTE_FILLED = 7 * PLAIN  # memory.fill / memory.init: 7 meta instructions of 6 ticks

# One kernel_run outside decode/link/init/kernel_run itself: Snapshot/Decode/Link/Init/Evaluating
# transitions of wasm_vm.ml and the top-level invocation of kernel_run. Fitted on the reference PVM's
# runs of its five one-import ``link_*`` regression kernels, which this model then matches exactly
# (tests/pvm_host/test_tick_model.py).
RUN_OVERHEAD = 37


def block_end(results: int, saved: int) -> int:
    """Falling out of a block/loop/if: From_block end, label pop, concat (results + saved), resume."""
    return PLAIN + 1 + results + saved


def branch(depth: int, arity: int, saved: int, to_function: bool, to_loop: bool) -> int:
    """A ``Breaking`` admin instruction travelling ``depth`` labels out, then landing.

    Landing on a block concatenates the carried values with the target's saved stack; landing on
    the function label turns into the frame result (whose concatenation the call site pays); a loop
    target re-runs its ``Loop`` instruction as a plain admin instruction.
    """
    cost = ADMIN * depth
    if to_function:
        return cost + ADMIN
    return cost + 4 + arity + saved + (ADMIN if to_loop else 0)


def wasm_call(params: int, locals_: int, results: int, saved: int) -> int:
    """Invoke of a wasm function (frame set-up) plus the return's concatenation in the caller."""
    return ADMIN + 5 + 2 * params + 2 * locals_ + 2 + results + saved


def function_end() -> int:
    """Falling out of a function body: From_block end, label result, frame update."""
    return PLAIN


@dataclass
class ModuleCounts:
    """What :func:`load_ticks` needs to know about a module."""

    types: int = 0
    type_values: int = 0  # params + results over all types
    imports: int = 0
    functions: int = 0
    tables: int = 0
    memories: int = 0
    globals: int = 0
    global_instrs: int = 0
    exports: int = 0
    elem_segments: int = 0
    elem_entries: int = 0
    data_segments: int = 0
    data_bytes: int = 0
    local_entries: int = 0
    locals: int = 0
    instructions: int = 0  # plain instructions in function bodies
    blocks: int = 0  # block/loop/if in function bodies
    ifs: int = 0
    elses: int = 0
    bulk_data_in_code: bool = False  # memory.init / data.drop in a function body
    custom_sections: int = 0
    names: int = 0  # import/export name bytes


def decode_ticks(c: ModuleCounts) -> int:
    """Decoder steps (``binary/decode.ml`` ``module_step``) for a module with these contents."""
    ticks = 2 + 2 * 12 + c.custom_sections  # header, one field start + end per section kind, customs
    ticks += c.types * 5 + c.type_values  # FKStart, params/results vectors, one step per value type
    ticks += c.names  # names are decoded one UTF-8 character per step (name_step)
    ticks += c.imports * 9  # ImpKStart, module name, item name (start, stop), description, stop
    ticks += c.functions + c.tables + c.memories
    ticks += c.globals * 5 + c.global_instrs
    ticks += c.exports * 4
    ticks += c.elem_segments * 8 + c.elem_entries * 4
    ticks += c.data_segments * 11 + c.data_bytes  # mode, offset block, one step per byte (byte_vector_step)
    # code: CKStart, locals parse/accumulate (one step per entry and per local), body block, stop
    ticks += c.functions * 9 + 2 * c.local_entries + c.locals
    ticks += c.instructions + 3 * c.blocks + 2 * c.elses
    ticks += c.functions * 2 + 1  # MKElaborateFunc: attach each function's type
    if not c.bulk_data_in_code:  # ... and walk every instruction to look for memory.init/data.drop
        ticks += c.instructions + c.blocks + c.ifs + c.functions
    return ticks


def link_ticks(c: ModuleCounts) -> int:
    """Link step (``wasm_vm.ml``): the imports are resolved against the host-function registry."""
    return 1 + c.imports


def _join(sizes: list[int]) -> int:
    """``join_step`` over vectors of these sizes: pairwise concatenation, one tick per element copied."""
    if len(sizes) < 2:
        return len(sizes)
    ticks, acc = 1 + sizes[0] + sizes[1], sizes[0] + sizes[1]
    for size in sizes[2:]:
        ticks += 1 + acc + size
        acc += size
    return ticks + 1


def _map_concat(items: int, each: int) -> int:
    """``map_concat_step``: one map step per item, then the join of the item vectors."""
    return items + 1 + _join([each] * items)


CONST_EXPR = 14  # evaluating a one-instruction constant expression (global init, elem entry)
SEGMENT_ADMIN = 5  # admin instructions per active data/elem segment (offset, 2 consts, init, drop)


def init_ticks(c: ModuleCounts) -> int:
    """Init steps (``eval.ml`` ``init_step``), including running the data/elem initialisers."""
    ticks = 1 + c.imports + 1 + c.types + 1
    ticks += 3 * c.functions + 1 + (c.imports + c.functions) + 1  # Func aggregate: 3 per function, concat
    ticks += 3 * (c.tables + c.memories) + 2 * (c.tables + c.memories) + 4
    ticks += c.globals * (2 + CONST_EXPR) + 1 + c.globals + 1
    ticks += c.exports + 1
    ticks += c.elem_segments * 2 + c.elem_entries * (2 + CONST_EXPR) + 1  # create the elem instances
    ticks += c.data_segments + 1  # create the data instances
    ticks += _map_concat(c.elem_segments, SEGMENT_ADMIN) + _map_concat(c.data_segments, SEGMENT_ADMIN)
    ticks += _join([SEGMENT_ADMIN * c.elem_segments, SEGMENT_ADMIN * c.data_segments, 0]) + 1
    # run them: offset expression (9), two consts, table.init/memory.init, drop (3 each), per entry/byte 42
    ticks += c.elem_segments * 21 + c.elem_entries * PER_BYTE_FILLED
    ticks += c.data_segments * 21 + c.data_bytes * PER_BYTE_FILLED
    return ticks + 2


def load_ticks(c: ModuleCounts) -> int:
    """Ticks of one decode + link + init of a kernel with these contents, plus the run overhead."""
    return decode_ticks(c) + link_ticks(c) + init_ticks(c) + RUN_OVERHEAD


class HostTicks:
    """Extra ticks of the ``smart_rollup_core`` functions (``host_funcs.ml``), charged on success only."""

    @staticmethod
    def memory_io(nbytes: int) -> int:
        """read_input (bytes written), write_output (bytes read), reveal results (bytes written)."""
        return TICKS_PER_BYTE_WRITTEN * nbytes

    @staticmethod
    def key_op(key_len: int) -> int:
        """store_has/exists/list_size/delete/delete_value/value_size/create/get_nth_key/get_hash."""
        return TICKS_PER_BYTE_READ * key_len + TICKS_PER_TREE_ACCESS

    @staticmethod
    def two_keys(src_len: int, dst_len: int) -> int:
        """store_copy / store_move."""
        return TICKS_PER_BYTE_READ * (src_len + dst_len) + TICKS_PER_TREE_ACCESS

    @staticmethod
    def keyed_io(key_len: int, nbytes: int) -> int:
        """store_read (bytes written) / store_write (bytes read)."""
        return TICKS_PER_BYTE_READ * key_len + TICKS_PER_BYTE_WRITTEN * nbytes + TICKS_PER_TREE_ACCESS
