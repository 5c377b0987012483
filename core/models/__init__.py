"""All models, imported so that Base.metadata knows every table (alembic reads it).

Import the classes from their area module (core.models.ledger, core.models.teller...).
"""

from core.db import Base as _Base
from core.guards import attach as _attach_guards
from core.models import (  # noqa: F401  (each module registers its tables)
    audit,
    customers,
    fx,
    identity,
    ledger,
    makerchecker,
    org,
    sanctions,
    teller,
)
from core.search_index import attach as _attach_search

_attach_guards(_Base.metadata.tables)
_attach_search(_Base.metadata.tables)
