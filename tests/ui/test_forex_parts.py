"""Forex screen parts without a bank: locale amounts and rates, `cbs desk --section forex`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.services import setup
from core.services.authz import SYSTEM
from ui.screens.forex.forex_screen import ForexScreen


def test_amounts_and_rates_in_the_locale():
    from PySide6.QtCore import QLocale

    from ui.screens.forex.common import format_age, format_rate, parse_local_amount

    de, us = QLocale(QLocale.Language.German, QLocale.Country.Germany), \
        QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert parse_local_amount("1.234,5", "EUR", de).amount_minor == 123_450
    assert parse_local_amount("1,234.5", "EUR", us).amount_minor == 123_450
    assert parse_local_amount("1.234", "BHD", us).amount_minor == 1_234
    assert parse_local_amount("12.345", "JPY", de).amount_minor == 12_345
    assert format_rate(Decimal("1.1"), de) == "1,1000"
    assert format_rate(Decimal("0.006633"), us) == "0.006633"
    assert [format_age(s) for s in (5, 600, 7200, 3 * 86400)] == ["5 s", "10 min", "2 h", "3 d"]


def test_desk_opens_on_the_section_asked_for(qtbot, tmp_path):
    from app import main as desk
    from app.cli import build_parser
    from core.clock import Clock
    from core.db import Base, make_engine
    from core.unit_of_work import CoreContext
    from ui.main_window import MainWindow

    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    ctx = CoreContext(engine=engine, clock=Clock(), workstation="t")
    ctx.run(setup.init_bank, SYSTEM, bank_name="Desk", base_currency="USD",
            business_date=date(2026, 12, 4))
    ctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office", currencies=("USD",))
    engine.dispose()
    assert build_parser().parse_args(["desk", "--section", "forex"]).section == "forex"
    window = desk.open_desk(url, section="forex")
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    try:
        assert isinstance(window.current_screen(), ForexScreen)
    finally:
        window.current_screen().board.poll_timer.stop()
        window.close()
        window.shell.ctx.engine.dispose()
