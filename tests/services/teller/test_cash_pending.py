"""The pending cash movements of a branch, the inbox behind the desk's cash dialog."""

from __future__ import annotations

import pytest

from core import errors
from core.services.teller import movements, tills
from core.unit_of_work import Actor
from tests.services.teller.conftest import HANA, TINA, key


def test_list_pending_shows_what_waits_and_drops_what_is_done(desk):
    ctx = desk.ctx
    ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={})
    out = ctx.run(movements.send_cash, HANA, idempotency_key=key("v"), currency="USD",
                  amount_minor=40_000, to_till_id=desk.till_id)
    back = ctx.run(movements.send_cash, HANA, idempotency_key=key("w"), currency="USD",
                   amount_minor=5_000, to_till_id=desk.till_id)
    pending = ctx.read(movements.list_pending, TINA, branch_id=desk.bank.branch_id)
    assert [(m.movement_id, m.from_till_id, m.to_till_id, m.amount_minor, m.sent_by)
            for m in pending] == [(out.movement_id, None, desk.till_id, 40_000, "hana"),
                                  (back.movement_id, None, desk.till_id, 5_000, "hana")]
    ctx.run(movements.confirm_cash, TINA, idempotency_key=key(), movement_id=out.movement_id)
    ctx.run(movements.cancel_cash, HANA, idempotency_key=key(), movement_id=back.movement_id)
    assert ctx.read(movements.list_pending, TINA, branch_id=desk.bank.branch_id) == []
    assert ctx.read(movements.list_pending, HANA, branch_id=desk.bank.branch_id + 1) == []
    with pytest.raises(errors.PermissionDenied):
        ctx.read(movements.list_pending, Actor("guest", permissions=frozenset()),
                 branch_id=desk.bank.branch_id)
