"""Subcommands of `cbs`: each module has register(subparsers) and sets args.func."""

COMMAND_MODULES = [
    "app.commands.db",
    "app.commands.desk",
    "app.commands.sanctions",
    "app.commands.fx",
    "app.commands.audit",
    "app.commands.users",
    "app.commands.demo",
    "app.commands.bench",
]
