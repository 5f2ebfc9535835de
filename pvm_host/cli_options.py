"""Old option spellings that keep working, for every command line of the product.

One concept has one flag everywhere (README "Command-line conventions"): ``--data-dir`` for a
folder a command keeps its state in, ``--rollup`` for a rollup address (sr1…), ``--rollup-node`` for
a rollup node's URL, ``--rpc`` for a Tezos L1 node's URL, ``--dsn`` / ``--dsn-export`` for a DSN
node's transaction and export APIs. A renamed flag's old spelling stays accepted, hidden from
``--help``, with a deprecation note on stderr. (Lives in ``pvm_host``, the lowest package with a
command line, so ``tezos_l1`` and ``dsn`` share it.)
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def deprecated_alias(old: str, new: str, param: str) -> Callable[[F], F]:
    """Accept ``old`` as a hidden spelling of the option ``new`` (Python parameter ``param``).

    The alias is eager, so its value reaches the new option through the context's default map
    before the new option is read: an explicit ``new`` still wins, and the new option's type,
    checks and ``required`` apply to the value either way."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value is not None:
            click.echo(f"warning: {old} is deprecated; use {new}", err=True)
            ctx.default_map = {**(ctx.default_map or {}), param: value}

    return click.option(old, f"deprecated_{param}", hidden=True, expose_value=False, is_eager=True,
                        callback=remember, metavar="VALUE", help=f"Deprecated spelling of {new}.")
