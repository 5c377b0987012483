"""Named bounds for every amount, query, queue, batch and loop (TigerBeetle style: units last)."""

from __future__ import annotations

# Money
MAX_AMOUNT_MINOR = 10**15  # one movement: 10 trillion major units at exponent 2; beyond is a typo
MAX_ENTRY_LINES = 64  # postings in one journal entry
MAX_MEMO_CHARS = 200
MAX_IDEMPOTENCY_KEY_CHARS = 64

# Transactions and retries
MAX_TX_ATTEMPTS = 12  # serialization failures / deadlocks / SQLITE_BUSY before giving up
RETRY_BACKOFF_BASE_S = 0.002
RETRY_BACKOFF_MAX_S = 0.25
SQLITE_BUSY_TIMEOUT_MS = 15_000

# Hot accounts: balance split over shards so concurrent postings do not queue on one row
HOT_ACCOUNT_SHARDS = 16

# Queries
MAX_PAGE_ROWS = 500  # keyset pagination page for screens
MAX_AUDIT_VERIFY_BATCH = 5_000  # audit rows read per round trip when verifying a chain

# Demo data
DEMO_BATCH_ROWS = 5_000  # rows per INSERT batch when streaming the demo data set
DEMO_MAX_CUSTOMERS = 5_000_000

# Names and text
MAX_NAME_CHARS = 200

# Identity and authentication (issue 3)
MAX_FAILED_LOGINS = 5  # wrong passwords / one-time codes in a row before the user is locked
LOCKOUT_MINUTES = 30
PASSWORD_MIN_CHARS = 12
PASSWORD_MAX_CHARS = 128  # argon2 takes more, but a longer one is a paste accident
PASSWORD_MIN_CLASSES = 3  # of lower, upper, digit, other
PASSWORD_HISTORY_DEPTH = 5  # a new password may not be one of the last five
PASSWORD_MAX_AGE_DAYS = 90  # then the next login must change it
MAX_USERNAME_CHARS = 64
TOTP_VALID_WINDOW_STEPS = 1  # accept the code of the previous/next 30 s step (clock drift)
# argon2id at the OWASP Password Storage Cheat Sheet minimum: 19 MiB, 2 iterations, 1 lane
ARGON2_MEMORY_KIB = 19_456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
MAX_REASON_CHARS = 300
MAX_AUDIT_EXPORT_ROWS = 1_000_000  # one export file
