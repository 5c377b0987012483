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

# Desktop
UI_WORKER_THREADS = 2  # database tasks of one workstation's window running at once
UI_PAGE_ROWS = 200  # rows a table screen fetches per keyset page
UI_SHUTDOWN_WAIT_MS = 5_000  # how long closing the window waits for running tasks
UI_SEARCH_DEBOUNCE_MS = 250  # pause after typing before a search runs
MAX_SEARCH_CHARS = 100  # text typed into a search box

# Sanctions screening
MAX_SCREEN_NAME_CHARS = 300  # a longer "name" is a pasted paragraph, not a name
MAX_LIST_FILE_BYTES = 200 * 1024 * 1024
MAX_LIST_ENTRIES = 200_000  # entries in one list version
MAX_NAMES_PER_ENTRY = 500
MAX_LIST_NAME_CHARS = 500
SANCTIONS_MATCH_THRESHOLD = 0.85  # default score at which a name becomes a hit
SANCTIONS_STRONG_HIT_SCORE = 0.95  # clearing a hit scoring above this needs a second person
MAX_HITS_PER_SCREEN = 50
MAX_CANDIDATES_PER_QUERY = 20_000  # candidate names scored for one query after blocking
SANCTIONS_TOKEN_CACHE_SIZE = 50_000  # query tokens whose candidate sets stay cached
SANCTIONS_INSERT_BATCH_ROWS = 2_000
RESCREEN_BATCH_CUSTOMERS = 500  # customers per committed step of a batch re-screen
MAX_HIT_REASON_CHARS = 500

# Foreign exchange
FX_RATE_MAX_AGE_S = 24 * 3600  # bank default: an older rate is stale (quote warns, deal needs override)
FX_MIN_RATE_AGE_S = 60  # bounds of a branch's own stale-rate age (fx_branch_settings)
FX_MAX_RATE_AGE_S = 7 * 24 * 3600
FX_RATE_MAX_DIGITS = 12  # significant digits of a stored rate (derived rates rounded half-even)
FX_RATE_MAX_UNITS = 10**9  # one unit of a currency worth more than this in base: a typo
FX_RATE_FUTURE_SKEW_S = 300  # an effective time this far ahead of the clock is still accepted
FX_MAX_MARGIN_BP = 2_000  # a branch margin above 20 % is a typo
FX_DEFAULT_IMPORT_SPREAD_BP = 100  # buy/sell around an imported mid: 0.5 % each side
FX_MAX_IMPORT_BYTES = 2_000_000  # a rate file; the ECB 90-day history is ~70 kB
FX_MAX_IMPORT_RATES = 10_000  # rates in one file (ECB 90-day history: ~2,800)
FX_MAX_HISTORY_ROWS = 2_000  # points of a rate-history chart
FX_MAX_REVALUATION_LINES = 5_000  # branch x currency positions revalued in one run

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

# Demo data generation (cbs demo)
DEMO_CHUNK_ENTRIES = 100_000  # journal entries computed in memory before a chunk is written
DEMO_MIN_DAYS = 2  # today plus at least one closed business day
DEMO_MAX_DAYS = 3_650
DEMO_FULL_HISTORY_CUSTOMERS = 20_000  # above this, fewer days of history unless --days is given

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

# --- desktop identity: idle lock (issue 3) -------------------------------------------------------
IDLE_LOCK_MINUTES = 15  # no input this long locks the window (env CBS_IDLE_LOCK_MINUTES)
MAX_IDLE_LOCK_MINUTES = 240  # a configured idle lock above this is clamped to it

# Forex screen (issue 5)
UI_FX_POLL_MS = 3_000  # the rate board asks whether rates changed this often
UI_FX_AGE_REFRESH_MS = 60_000  # and reloads anyway this often, so rate ages stay current
UI_FX_QUOTE_DEBOUNCE_MS = 300  # pause after typing before the exchange form asks for a quote
