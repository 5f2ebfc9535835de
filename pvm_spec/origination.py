"""How big an originated kernel may be (spec §2.3).

A ``smart_rollup_originate`` operation carries the kernel and is at most 32,768 bytes signed
(``constants_repr.ml`` ``max_operation_data_length``). The rest of the operation, as
:func:`tezos_l1.deploy.worst_case_size` forges it (with generous fee, counter and limit fields and room
for a reveal in the same operation), is :data:`ORIGINATION_OVERHEAD` bytes, so a kernel of up to
:data:`MAX_DIRECT_KERNEL_SIZE` bytes is originated directly and a bigger one through the installer
(tests/deploy/test_deploy_flow.py checks the boundary byte for byte). ``dsn kernel build`` reports
against :data:`KERNEL_SIZE_BUDGET`, which keeps a margin below that maximum.
"""

from __future__ import annotations

MAX_OPERATION_SIZE = 32 * 1024  # signature included
BRANCH_SIZE = 32
SIGNATURE_SIZE = 64
# tag 1 + source 21 + fee 10^9 (5) + counter 10^12 (6) + gas_limit 10^8 (4) + storage_limit 10^8 (4)
# + pvm_kind 1 + kernel length 4 + parameters_ty (length 4 + `bytes` 2) + whitelist absent 1
ORIGINATE_CONTENT_OVERHEAD = 53
REVEAL_ROOM = 110  # a reveal costs about 100 bytes; kept so the decision does not depend on the account
ORIGINATION_OVERHEAD = BRANCH_SIZE + ORIGINATE_CONTENT_OVERHEAD + SIGNATURE_SIZE + REVEAL_ROOM
MAX_DIRECT_KERNEL_SIZE = MAX_OPERATION_SIZE - ORIGINATION_OVERHEAD  # 32,509
KERNEL_SIZE_BUDGET = 32_000
