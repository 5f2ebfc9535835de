"""Constants of the Tezos WASM PVM (``wasm_2_0_0``, revision ``2.0.0-r5``) as the host implements them.

Sources: ``shared/spec/tezos-pvm.md`` §1.3 (error codes), §1.4 (limits), §1.5 (reserved keys).
"""

from __future__ import annotations

# Error codes returned by host functions (negative i32).
STORE_KEY_TOO_LARGE = -1
STORE_INVALID_KEY = -2
STORE_NOT_A_VALUE = -3
STORE_INVALID_ACCESS = -4
STORE_VALUE_SIZE_EXCEEDED = -5
MEMORY_INVALID_ACCESS = -6
INPUT_OUTPUT_TOO_LARGE = -7
GENERIC_INVALID_ACCESS = -8
STORE_READONLY_VALUE = -9
STORE_NOT_A_NODE = -10
FULL_OUTBOX = -11
STORE_INVALID_SUBKEY_INDEX = -12
STORE_VALUE_ALREADY_EXISTS = -13

# Limits.
MAX_KEY_LENGTH = 240
MAX_IO_SIZE = 4096
MAX_STORE_IO_SIZE = 2048
MAX_VALUE_SIZE = (1 << 31) - 1
MAX_OUTBOX_MESSAGES_PER_LEVEL = 100
MAX_REBOOTS_PER_INPUT = 1000
MAX_EXTERNAL_PAYLOAD = 4095  # a 4,096-byte inbox message minus the External tag byte
PREIMAGE_HASH_SIZE = 33
STORE_HASH_SIZE = 32

# Ticks (src/lib_webassembly/exec/tick_model.ml, src/lib_scoru_wasm/host_funcs.ml, wasm_vm.ml).
DEFAULT_TICK_BUDGET = 50_000_000_000_000  # per kernel_run from Paris (V4 migration) on
PRE_PARIS_TICK_BUDGET = 11_000_000_000  # per kernel_run in protocols 016-018
TICKS_PER_BYTE_READ = 42  # host functions: bytes read from wasm memory
TICKS_PER_BYTE_WRITTEN = 42  # host functions: bytes written to wasm memory
TICKS_PER_BYTE_COPIED = 48  # memory.copy (8 admin instructions of 6 ticks per byte)
TICKS_PER_TREE_ACCESS = 1  # host functions: one durable-tree access (read, write, copy, move, delete)
WASM_VERSION = b"2.0.0-r5"

# Reserved durable keys.
KERNEL_KEY = "/kernel/boot.wasm"
FALLBACK_KERNEL_KEY = "/readonly/kernel/boot.wasm"
REBOOT_FLAG_KEY = "/kernel/env/reboot"
STUCK_FLAG_KEY = "/readonly/kernel/env/stuck"
UPGRADE_ERROR_KEY = "/readonly/kernel/env/upgrade_error"
TOO_MANY_REBOOT_KEY = "/readonly/kernel/env/too_many_reboot"
REBOOT_COUNTER_KEY = "/readonly/kernel/env/reboot_counter"
VERSION_KEY = "/readonly/wasm_version"

# Defaults used by octez-smart-rollup-wasm-debugger (all-zero hashes).
DEFAULT_ROLLUP_ADDRESS = "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57"
DEFAULT_SENDER = "KT18amZmM5W7qDWVt2pH6uj7sCEd3kbzLrHT"
DEFAULT_SOURCE = "tz1Ke2h7sDdakHJQh8WX4Z372du1KChsksyU"
