"""The teller desk's use cases (no Qt): tills and sessions, cash movements, cash transactions,
blotter, customer lookup and receipts. Each module keeps to one concern; screens import from
the modules directly and get the frozen DTOs of core/services/teller/dto.py back.
"""

PERMISSIONS = (
    "teller.session",  # open and close one's own till, confirm cash into it
    "teller.deposit",
    "teller.withdraw",
    "teller.transfer",
    "teller.reverse",  # supervisor: reverse a same-day teller transaction
    "teller.override",  # supervisor: approve a transaction above the teller's limit
    "teller.vault",  # head teller: send and receive vault cash
    "teller.view_branch",  # head teller: all tills of the branch
)
