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

# Teller desk
MAX_TILL_CURRENCIES = 8  # currencies one till may hold
MAX_SESSION_JOURNAL_ROWS = 5_000  # teller transactions read for one session's blotter
MAX_BRANCH_TILLS = 200  # tills listed in the head teller's view
MAX_NOTE_CHARS = 500  # supervisor notes and reversal reasons
MAX_SEARCH_ROWS = 50  # customer lookup hits per keystroke
MIN_SEARCH_CHARS = 2  # shorter text matches too much to be useful while typing
RECEIPT_MAX_PRINTS = 100  # reprints of one receipt before it looks like abuse
MAX_MEDIA_BYTES = 2_000_000  # a customer photo or signature scan
SEARCH_SCAN_WINDOW_ROWS = 2_000  # PostgreSQL name lookup: customers filtered before the index
SEARCH_WALK_MAX_ROWS = 20_000  # PostgreSQL name lookup: longest id-order walk before the index
SEARCH_INDEX_MAX_ROWS = 3_000  # PostgreSQL name lookup: most heap rows one index fetch may cost
