"""Subcommands of `cbs`: each module has register(subparsers) and sets args.func."""

COMMAND_MODULES = [
    "app.commands.db",
    "app.commands.bench",
]
