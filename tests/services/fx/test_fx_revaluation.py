"""Position and end-of-day revaluation: gain/loss at the closing mid, posted once per day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from core import errors
from core.models.audit import AuditEvent
from core.models.ledger import JournalEntry
from core.services import calendar, fx, fx_exchange, fx_revaluation
from core.services.authz import SYSTEM
from tests.services.fx.conftest import TELLER


def reval_entries(fxbank) -> int:
    with fxbank.ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(JournalEntry)
                            .where(JournalEntry.kind == "fx_revaluation")).scalar_one()


def eur_to_gbp(fxbank) -> None:
    # 100.00 EUR -> 83.72 GBP: the position is long 96.66 EUR, short 83.72 GBP.
    eur, gbp = fxbank.account("EUR", deposit_minor=100_000), fxbank.account("GBP")
    fxbank.ctx.run(fx_exchange.exchange_between_accounts, TELLER, idempotency_key="fx-rv-0001",
                   from_account_id=eur, to_account_id=gbp, amount_minor=10_000)


def test_position_at_mid(fxbank):
    eur_to_gbp(fxbank)
    pos = {p.currency: p for p in fxbank.ctx.read(fx_revaluation.position, SYSTEM)}
    # EUR: 96.66 * 1.10 = 106.326 -> 106.33 USD (half-even); cost is the same mid.
    assert (pos["EUR"].position_minor, pos["EUR"].value_base_minor,
            pos["EUR"].cost_base_minor, pos["EUR"].unrealised_base_minor) == (9_666, 10_633,
                                                                              10_633, 0)
    # GBP: -83.72 * 1.27 = -106.3244 -> -106.32 USD.
    assert (pos["GBP"].position_minor, pos["GBP"].value_base_minor) == (-8_372, -10_632)
    by_branch = fxbank.ctx.read(fx_revaluation.position, SYSTEM, branch_id=fxbank.branch_id)
    assert {p.currency: p.position_minor for p in by_branch}["EUR"] == 9_666


def test_revaluation_posts_gain_and_loss_once_per_day(fxbank):
    eur_to_gbp(fxbank)
    gain_gl, reval_gl = fxbank.gl("USD", "4300"), fxbank.gl("USD", "3910")
    # EUR mid moves 1.10 -> 1.20 at noon: 96.66 * 1.20 = 115.992 -> 115.99 USD;
    # gain = 115.99 - 106.33 = 9.66 USD. GBP unchanged: nothing to post for it.
    fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text="currency,buy,sell,mid,effective_at\n"
                   "EUR,1.18,1.22,1.20,2026-12-04T12:00:00Z\n")
    run = fxbank.ctx.run(fx_revaluation.revalue, SYSTEM)
    lines = {ln.currency: ln for ln in run.lines}
    assert run.business_date == date(2026, 12, 4) and not run.replayed
    assert (lines["EUR"].value_base_minor, lines["EUR"].amount_base_minor) == (11_599, 966)
    assert lines["GBP"].amount_base_minor == 0 and lines["GBP"].entry_id is None
    assert fxbank.balance(gain_gl) == 966 and fxbank.balance(reval_gl) == -966
    again = fxbank.ctx.run(fx_revaluation.revalue, SYSTEM, business_date=date(2026, 12, 4))
    assert again.replayed and again.run_id == run.run_id
    assert reval_entries(fxbank) == 1 and fxbank.balance(gain_gl) == 966
    # Next day EUR mid 1.15: 96.66 * 1.15 = 111.159 -> 111.16; 111.16 - 106.33 - 9.66 = -4.83.
    fxbank.ctx.run(calendar.advance_business_date, SYSTEM)
    fxbank.clock.at = datetime(2026, 12, 5, 16, 0, tzinfo=UTC)
    fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text="currency,buy,sell,mid,effective_at\n"
                   "EUR,1.13,1.17,1.15,2026-12-05T10:00:00Z\n"
                   "GBP,1.25,1.29,1.27,2026-12-05T10:00:00Z\n")
    day2 = fxbank.ctx.run(fx_revaluation.revalue, SYSTEM)
    assert {ln.currency: ln.amount_base_minor for ln in day2.lines}["EUR"] == -483
    assert fxbank.balance(gain_gl) == 483 and reval_entries(fxbank) == 2
    pos = {p.currency: p for p in fxbank.ctx.read(fx_revaluation.position, SYSTEM)}
    assert pos["EUR"].revalued_base_minor == 483 and pos["EUR"].unrealised_base_minor == 0
    assert fxbank.unbalanced() == []
    with fxbank.ctx.engine.connect() as conn:
        audited = conn.execute(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "fx.revalue")).scalar_one()
    assert audited == 2  # one per run that posted; the replay wrote nothing
    with pytest.raises(errors.BusinessDateError):  # results are cumulative: no going back
        fxbank.ctx.run(fx_revaluation.revalue, SYSTEM, business_date=date(2026, 12, 3))
    with pytest.raises(errors.BusinessDateError):
        fxbank.ctx.run(fx_revaluation.revalue, SYSTEM, business_date=date(2026, 12, 6))


def test_revaluation_uses_the_closing_rate_of_the_date(fxbank):
    eur_to_gbp(fxbank)
    # A rate effective on the next day is not the closing rate of 4 December.
    fxbank.clock.at = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text="currency,buy,sell,mid,effective_at\n"
                   "EUR,1.48,1.52,1.50,2026-12-05T07:00:00Z\n")
    run = fxbank.ctx.run(fx_revaluation.revalue, SYSTEM, business_date=date(2026, 12, 4))
    assert all(ln.amount_base_minor == 0 for ln in run.lines)


def test_revaluation_needs_permission(fxbank):
    with pytest.raises(errors.PermissionDenied):
        fxbank.ctx.run(fx_revaluation.revalue, TELLER)


def test_revaluation_of_exponent_0_and_3_positions(fxbank):
    # 100,000 JPY cash in, 246.268 BHD out: long 97,772 JPY, short 246.268 BHD
    # (arithmetic in tests/unit/test_fx_rules.py).
    fxbank.ctx.run(fx_exchange.exchange_cash, TELLER, idempotency_key="fx-rv-jpybhd",
                   cash_in_account_id=fxbank.gl("JPY", "1000"),
                   cash_out_account_id=fxbank.gl("BHD", "1000"), amount_minor=100_000)
    # Costs: 97772 * 0.0067 = 655.0724 -> 655.07 USD; -246.268 * 2.66 = -655.07288 -> -655.07.
    # BHD mid 2.66 -> 2.70: -246.268 * 2.70 = -664.9236 -> -664.92; loss 664.92 - 655.07 = 9.85.
    fxbank.ctx.run(fx.import_rates_csv, SYSTEM, text="currency,buy,sell,mid,effective_at\n"
                   "BHD,2.68,2.72,2.70,2026-12-04T12:00:00Z\n")
    run = fxbank.ctx.run(fx_revaluation.revalue, SYSTEM)
    lines = {ln.currency: ln for ln in run.lines}
    assert (lines["JPY"].position_minor, lines["JPY"].cost_base_minor,
            lines["JPY"].amount_base_minor) == (97_772, 65_507, 0)
    assert (lines["BHD"].position_minor, lines["BHD"].cost_base_minor,
            lines["BHD"].value_base_minor, lines["BHD"].amount_base_minor) == (-246_268, -65_507,
                                                                               -66_492, -985)
    assert fxbank.balance(fxbank.gl("USD", "4300")) == -985  # a loss: debit on the income GL
    assert fxbank.unbalanced() == []
