"""The default roles and permission matrix, as data (seeded into the database, then editable).

Segregation of duties: the administrator manages users and set-up but does not move money;
tellers act in their own branch only; "branches.all" lets a role act in any branch.
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    # money and accounts (services in core/services/ledger.py, accounts.py, customers.py)
    "ledger.post": "Post journal entries",
    "ledger.transfer": "Transfer between accounts",
    "ledger.reverse": "Reverse a journal entry",
    "customers.create": "Create customers",
    "accounts.open": "Open accounts",
    "accounts.status": "Change an account's status",
    "accounts.hold": "Place and release holds",
    "accounts.view": "See accounts and balances",
    "eod.run": "Run end of day (move the business date)",
    # teller desk
    "teller.session": "Open and close one's own till",
    "teller.deposit": "Take cash deposits",
    "teller.withdraw": "Pay cash withdrawals",
    "teller.transfer": "Transfer between accounts at the counter",
    "teller.reverse": "Reverse a same-day teller transaction",
    "teller.override": "Authorise a transaction above a teller's limit",
    "teller.vault": "Move cash between vault and tills",
    "teller.view_branch": "See every till of the branch",
    # forex
    "fx.view": "See exchange rates, deals and the FX position",
    "fx.exchange": "Exchange currency for customers",
    "fx.override_stale": "Use a rate older than the allowed age",
    "fx.rates.enter": "Enter exchange rates (maker)",
    "fx.rates.approve": "Approve exchange rates and branch margins (checker)",
    "fx.rates.import": "Import rate files (CSV, ECB)",
    "fx.revalue": "Run the FX revaluation",
    # sanctions
    "sanctions.import": "Import sanctions lists and re-screen customers",
    "sanctions.screen": "Screen a name against the sanctions lists",
    "sanctions.review": "Decide sanctions hits",
    "sanctions.approve": "Approve the clearing of a strong sanctions hit",
    # set-up
    "admin.setup": "Set up the bank",
    "admin.branches": "Create branches",
    "branches.all": "Act in every branch, not only one's own",
    # identity
    "users.view": "See users",
    "users.create": "Create users",
    "users.disable": "Disable and enable users",
    "users.reset_password": "Reset a user's password",
    "users.unlock": "Unlock a locked user",
    "users.change_role": "Change a user's role",
    "users.change_branch": "Move a user to another branch",
    "roles.view": "See roles and their permissions",
    "roles.change_permissions": "Change the permissions of a role",
    # maker-checker
    "makerchecker.request": "Ask for approval of a sensitive action",
    "makerchecker.view": "See pending approval requests (checker inbox)",
    "makerchecker.approve": "Approve or refuse requests made by others",
    "makerchecker.rules": "Configure maker-checker rules",
    # audit
    "audit.view": "See the audit trail and its chain status",
    "audit.export": "Export the audit trail (CSV, PDF)",
}

ROLES: dict[str, str] = {
    "teller": "Teller",
    "head_teller": "Head teller",
    "compliance_officer": "Compliance officer",
    "manager": "Branch manager",
    "administrator": "Administrator",
}

_TELLER = frozenset({
    "customers.create", "accounts.open", "accounts.hold", "accounts.view", "ledger.post",
    "ledger.transfer", "makerchecker.request", "teller.session", "teller.deposit",
    "teller.withdraw", "teller.transfer", "fx.view", "fx.exchange", "sanctions.screen",
})
_HEAD_TELLER = _TELLER | {
    "ledger.reverse", "accounts.status", "makerchecker.view", "makerchecker.approve",
    "teller.reverse", "teller.override", "teller.vault", "teller.view_branch",
    "fx.override_stale",
}
_COMPLIANCE = frozenset({
    "accounts.status", "accounts.hold", "accounts.view", "branches.all", "users.view",
    "roles.view", "makerchecker.request", "makerchecker.view", "makerchecker.approve",
    "audit.view", "audit.export", "fx.view", "sanctions.import", "sanctions.screen",
    "sanctions.review", "sanctions.approve",
})
_MANAGER = _HEAD_TELLER | {
    "eod.run", "branches.all", "users.view", "roles.view", "audit.view",
    "fx.rates.enter", "fx.rates.approve", "fx.rates.import", "fx.revalue",
}
_ADMINISTRATOR = frozenset({
    "admin.setup", "admin.branches", "branches.all", "eod.run",
    "accounts.view", "fx.view",
    "users.view", "users.create", "users.disable", "users.reset_password", "users.unlock",
    "users.change_role", "users.change_branch", "roles.view", "roles.change_permissions",
    "makerchecker.request", "makerchecker.view", "makerchecker.approve", "makerchecker.rules",
    "audit.view", "audit.export",
})

DEFAULT_MATRIX: dict[str, frozenset[str]] = {
    "teller": frozenset(_TELLER),
    "head_teller": frozenset(_HEAD_TELLER),
    "compliance_officer": _COMPLIANCE,
    "manager": frozenset(_MANAGER),
    "administrator": _ADMINISTRATOR,
}


def check_matrix(matrix: dict[str, frozenset[str]]) -> None:
    """Every granted permission is a known one (raises AssertionError: a programming error)."""
    for role, perms in matrix.items():
        unknown = perms - PERMISSIONS.keys()
        assert not unknown, f"role {role} grants unknown permissions {sorted(unknown)}"


check_matrix(DEFAULT_MATRIX)
