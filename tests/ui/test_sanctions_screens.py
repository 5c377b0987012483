"""The sanctions screens on a real bank (SQLite and PostgreSQL), driven as compliance staff would:
review hits both ways with maker-checker clearing, and manage list versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QThread, Slot
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from core import errors
from core.dto import CustomerDTO
from core.services import accounts, customers, sanctions_batch, sanctions_import, sanctions_review
from core.services.authz import SYSTEM
from core.unit_of_work import Actor
from tests.ui.conftest import desk_actor
from ui.messages import message_for
from ui.screens.sanctions.hits_screen import HitsScreen
from ui.screens.sanctions.lists_screen import ListsScreen
from ui.screens.sanctions.reason_dialog import ReasonDialog

WAIT_MS = 15_000
DATA = Path(__file__).resolve().parent.parent / "data"
WATCHLIST = DATA / "internal_watchlist_sample.csv"
HEADER = "external_id,type,name,aliases,birth_dates,countries,identifiers,programs,remarks\n"
REVIEW = frozenset({"sanctions.review", "sanctions.approve"})
MAKER = Actor("maker", "compliance", permissions=REVIEW)
CHECKER = Actor("checker", "compliance", permissions=REVIEW)
IMPORTER = Actor("importer", "compliance", permissions=frozenset({"sanctions.import",
                                                                   "sanctions.screen"}))


@dataclass
class Screened:
    bank: object
    accounts: dict[str, int]  # customer name -> account id
    hits: dict[str, int]  # customer name -> open hit id


def _open(bank, name: str, born: date | None,
          country: str | None = None) -> tuple[CustomerDTO, int]:
    """A customer (screened at creation when a list is active) and an account of theirs."""
    c = bank.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                     branch_id=bank.branch_id, born_on=born, country=country,
                     national_id=f"ID-{len(name)}")
    acc = bank.ctx.run(accounts.open_account, SYSTEM, customer_id=c.customer_id,
                       currency="USD")
    return c, acc.account_id


def _customer(bank, name: str, born: date | None, country: str | None = None) -> int:
    return _open(bank, name, born, country)[1]


@pytest.fixture
def screened(bank) -> Screened:
    """The internal watchlist sample and four customers created after its import, so screened
    against it at creation: a strong hit to confirm, a weak one and a strong one to clear, and
    an ordinary name without a hit."""
    bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)], rescreen=False)
    opened = {
        "Gregor Fraudulent Mallory": _open(bank, "Gregor Fraudulent Mallory",
                                           date(1970, 5, 17), "GB"),  # score 1.0
        "Gregor Malory": _open(bank, "Gregor Malory", None),  # weak: 0.93
        "Zelda Quintessa Moneylaundr": _open(bank, "Zelda Quintessa Moneylaundr", None),
        "Ordinary Person": _open(bank, "Ordinary Person", date(1980, 2, 2)),
    }
    assert {name: c.sanctions_hits for name, (c, _) in opened.items()} == {
        "Gregor Fraudulent Mallory": 1, "Gregor Malory": 1, "Zelda Quintessa Moneylaundr": 1,
        "Ordinary Person": 0}
    run = sanctions_batch.rescreen_all(bank.ctx, SYSTEM, reason="test")
    assert (run.processed, run.hits_found) == (4, 0)  # the creation hits, still open: no copies
    open_hits = bank.ctx.read(sanctions_review.list_hits, SYSTEM, status="open")
    hits = {h.customer_name: h.hit_id for h in open_hits}
    assert len(open_hits) == len(hits) == 3 and "Ordinary Person" not in hits
    return Screened(bank, {name: acc for name, (_, acc) in opened.items()}, hits)


def _hits_screen(qtbot, make_window, bank, actor: Actor) -> HitsScreen:
    window = make_window(bank, actor)
    window.show_section("sanctions_hits")
    screen = window.current_screen()
    assert isinstance(screen, HitsScreen)
    qtbot.waitUntil(lambda: not screen.model.loading and screen.detail is not None,
                    timeout=WAIT_MS)
    return screen


def _select(qtbot, screen: HitsScreen, hit_id: int) -> None:
    ids = [h.hit_id for h in screen.model.rows()]
    screen.table.selectRow(ids.index(hit_id))
    qtbot.waitUntil(lambda: screen.detail is not None and screen.detail.hit.hit_id == hit_id,
                    timeout=WAIT_MS)


def _filter(qtbot, screen: HitsScreen, status: str | None) -> None:
    screen.status_filter.setCurrentIndex(screen.status_filter.findData(status))
    qtbot.waitUntil(lambda: not screen.model.loading, timeout=WAIT_MS)
    assert {h.status for h in screen.model.rows()} <= ({status} if status else {
        "open", "pending_clear", "true_match", "false_positive"})


def _decide(qtbot, screen: HitsScreen, button: QPushButton, reason: str) -> None:
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.findChild(ReasonDialog) is not None, timeout=WAIT_MS)
    dialog = screen.findChild(ReasonDialog)
    assert not dialog.ok.isEnabled()  # a reason is required
    qtbot.keyClicks(dialog.text, "   ")
    assert not dialog.ok.isEnabled()  # blanks are not a reason
    qtbot.keyClicks(dialog.text, reason)
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.notice.isVisible() or screen.message.isVisible(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not screen.model.loading, timeout=WAIT_MS)


def _status(bank, hit_id: int) -> str:
    return bank.ctx.read(sanctions_review.get_hit, SYSTEM, hit_id=hit_id).hit.status


def test_hit_shows_customer_and_entry_side_by_side_with_the_explanation(
        qtbot, screened, make_window):
    screen = _hits_screen(qtbot, make_window, screened.bank, MAKER)
    assert screen.window().section_keys() == ["sanctions_hits"]  # no accounts.view, no import
    assert {h.customer_name for h in screen.model.rows()} == set(screened.hits)
    _select(qtbot, screen, screened.hits["Gregor Fraudulent Mallory"])
    compare = screen.compare.toPlainText()
    for text in ("Customer", "List entry", "Gregor Fraudulent Mallory", "G. Mallory",
                 "Greg Mallory", "1970-05-17", "GB", "P-123456", "FRAUD", "ID-25",
                 "Internal watchlist · W-001 · version 1 (Active)", "Cheque fraud 2024"):
        assert text in compare, text
    explanation = screen.explanation.toPlainText()
    assert "Score 100%" in explanation and "threshold 85%" in explanation
    assert "Matched listed name: Gregor Fraudulent Mallory (primary name)" in explanation
    assert "mallory\n→\nmallory\nsame word\n100%" in explanation
    assert "Date of birth supports the match: 1970-05-17" in explanation
    assert "Country supports the match: GB" in explanation
    assert "{" not in explanation  # read as sentences and a table, not raw JSON
    assert screen.true_match.isVisible() and screen.false_positive.isVisible()
    assert not screen.approve.isVisible() and not screen.reject.isVisible()


def test_true_match_freezes_the_customers_accounts(qtbot, screened, make_window):
    bank = screened.bank
    screen = _hits_screen(qtbot, make_window, bank, MAKER)
    hit_id = screened.hits["Gregor Fraudulent Mallory"]
    _select(qtbot, screen, hit_id)
    _decide(qtbot, screen, screen.true_match, "Same name, birth date and passport")
    assert "true match" in screen.notice.text() and not screen.message.isVisible()
    assert _status(bank, hit_id) == "true_match"
    account = bank.ctx.read(accounts.get_account, SYSTEM,
                            account_id=screened.accounts["Gregor Fraudulent Mallory"])
    assert account.status == "frozen"
    other = bank.ctx.read(accounts.get_account, SYSTEM,
                          account_id=screened.accounts["Gregor Malory"])
    assert other.status == "active"
    assert hit_id not in [h.hit_id for h in screen.model.rows()]  # no longer open
    qtbot.waitUntil(lambda: screen.detail is not None
                    and screen.detail.hit.status == "true_match", timeout=WAIT_MS)
    assert "Same name, birth date and passport" in screen.decision.text()
    assert not screen.true_match.isVisible()


def test_weak_false_positive_clears_at_once(qtbot, screened, make_window):
    bank = screened.bank
    screen = _hits_screen(qtbot, make_window, bank, MAKER)
    hit_id = screened.hits["Gregor Malory"]
    _select(qtbot, screen, hit_id)
    assert "strong hit" not in screen.headline.text()
    _decide(qtbot, screen, screen.false_positive, "Different person: other middle name")
    assert screen.notice.text() == f"Hit {hit_id} cleared as a false positive."
    assert _status(bank, hit_id) == "false_positive"
    _filter(qtbot, screen, "false_positive")
    assert [h.hit_id for h in screen.model.rows()] == [hit_id]
    account = bank.ctx.read(accounts.get_account, SYSTEM,
                            account_id=screened.accounts["Gregor Malory"])
    assert account.status == "active"


def test_strong_false_positive_needs_a_second_person(qtbot, screened, make_window):
    bank = screened.bank
    hit_id = screened.hits["Zelda Quintessa Moneylaundr"]
    maker = _hits_screen(qtbot, make_window, bank, MAKER)
    _select(qtbot, maker, hit_id)
    assert "strong hit" in maker.headline.text()
    _decide(qtbot, maker, maker.false_positive, "Customer is a namesake, checked ID")
    assert "second person" in maker.notice.text()
    assert _status(bank, hit_id) == "pending_clear"

    _filter(qtbot, maker, "pending_clear")
    qtbot.waitUntil(lambda: maker.detail is not None and maker.detail.hit.hit_id == hit_id
                    and maker.detail.hit.status == "pending_clear", timeout=WAIT_MS)
    assert "maker asked to clear this hit" in maker.decision.text()
    assert maker.approve.isVisible() and maker.reject.isVisible()
    qtbot.mouseClick(maker.approve, Qt.MouseButton.LeftButton)  # the maker's own approval
    qtbot.waitUntil(maker.message.isVisible, timeout=WAIT_MS)
    expected = message_for(errors.SelfApproval(user="maker", hit=hit_id))
    assert maker.message.text() == expected
    assert expected.startswith("maker requested clearing hit")
    assert _status(bank, hit_id) == "pending_clear"

    checker = _hits_screen(qtbot, make_window, bank, CHECKER)
    _filter(qtbot, checker, "pending_clear")
    _select(qtbot, checker, hit_id)
    qtbot.mouseClick(checker.approve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(checker.notice.isVisible, timeout=WAIT_MS)
    assert checker.notice.text() == f"Clearing of hit {hit_id} approved: it is a false positive."
    assert not checker.message.isVisible()
    assert _status(bank, hit_id) == "false_positive"
    qtbot.waitUntil(lambda: checker.model.rowCount() == 0 and not checker.model.loading,
                    timeout=WAIT_MS)


def test_checker_can_send_a_clearing_back(qtbot, screened, make_window):
    bank = screened.bank
    hit_id = screened.hits["Zelda Quintessa Moneylaundr"]
    bank.ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit_id, decision="false_positive",
                 reason="namesake")
    checker = _hits_screen(qtbot, make_window, bank, CHECKER)
    _filter(qtbot, checker, "pending_clear")
    _select(qtbot, checker, hit_id)
    _decide(qtbot, checker, checker.reject, "Birth year unknown: ask for the passport")
    assert checker.notice.text() == f"Clearing of hit {hit_id} rejected: the hit is open again."
    assert _status(bank, hit_id) == "open"


def test_reviewer_without_approval_right_cannot_approve(qtbot, screened, make_window):
    bank = screened.bank
    hit_id = screened.hits["Zelda Quintessa Moneylaundr"]
    bank.ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit_id, decision="false_positive",
                 reason="namesake")
    screen = _hits_screen(qtbot, make_window, bank, desk_actor("sanctions.review"))
    _filter(qtbot, screen, "pending_clear")
    _select(qtbot, screen, hit_id)
    assert screen.approve.isVisible() and not screen.approve.isEnabled()
    assert "sanctions.approve" in screen.approve.toolTip()


class Recorder(QObject):
    """Receives the screen's progress reports as the screen does: a slot of a GUI-thread object."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[tuple[str, int, int]] = []
        self.off_gui_thread = 0

    @Slot(str, int, int)
    def record(self, stage: str, done: int, total: int) -> None:
        if QThread.currentThread() is not self.thread():
            self.off_gui_thread += 1
        self.reports.append((stage, done, total))


def _lists_screen(qtbot, make_window, bank, actor: Actor = IMPORTER) -> ListsScreen:
    window = make_window(bank, actor)
    window.show_section("sanctions_lists")
    screen = window.current_screen()
    assert isinstance(screen, ListsScreen)
    qtbot.waitUntil(lambda: not screen.model.loading, timeout=WAIT_MS)
    return screen


def _watchlist(tmp_path: Path, name: str, body: str) -> str:
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return str(p)


def test_lists_screen_shows_versions_and_the_diff(qtbot, bank, tmp_path, make_window):
    v1 = bank.ctx.run(sanctions_import.import_list, SYSTEM, rescreen=False, files=[_watchlist(
        tmp_path, "v1.csv", "A,person,Alpha Person,,,,,,\nB,person,Beta Person,,,,,,\n"
        "C,entity,Gamma Corp,,,,,,\n")])
    v2 = bank.ctx.run(sanctions_import.import_list, SYSTEM, rescreen=False, files=[_watchlist(
        tmp_path, "v2.csv", "A,person,Alpha Person,,,,,,\nB,person,Beta Persson,,,,,,\n"
        "D,entity,Delta Corp,,,,,,\nE,entity,Epsilon Corp,,,,,,\n")])
    screen = _lists_screen(qtbot, make_window, bank)
    assert [(v.version_id, v.status) for v in screen.model.rows()] == [
        (v2.version_id, "active"), (v1.version_id, "superseded")]
    model = screen.model
    assert [model.data(model.index(0, c)) for c in range(7)] == [
        str(v2.version_id), "Internal watchlist", "Active", "4", "2", "1", "1"]
    qtbot.waitUntil(lambda: screen.diff is not None
                    and screen.diff.version_id == v2.version_id, timeout=WAIT_MS)
    assert screen.diff_title.text() == (f"Version {v2.version_id} (Internal watchlist) "
                                        f"compared with version {v1.version_id}.")
    lists = screen.diff_lists
    assert [lists["added"].item(i).text() for i in range(lists["added"].count())] == [
        "D  ·  Delta Corp", "E  ·  Epsilon Corp"]
    assert lists["removed"].item(0).text() == "C  ·  Gamma Corp"
    assert lists["changed"].item(0).text() == "B  ·  Beta Persson"
    assert [screen.diff_tabs.tabText(i) for i in range(3)] == [
        "Added (2)", "Removed (1)", "Changed (1)"]
    screen.table.selectRow(1)
    qtbot.waitUntil(lambda: screen.diff is not None and screen.diff.version_id == v1.version_id,
                    timeout=WAIT_MS)
    assert "first import" in screen.diff_title.text()
    assert lists["added"].count() == 3


def test_import_from_the_file_dialog_with_progress_then_rescreen(
        qtbot, bank, tmp_path, make_window):
    _customer(bank, "Gregor Fraudulent Mallory", date(1970, 5, 17), "GB")
    _customer(bank, "Ordinary Person", None)
    screen = _lists_screen(qtbot, make_window, bank)
    assert screen.model.rowCount() == 0
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.findChild(QFileDialog) is not None, timeout=WAIT_MS)
    dialog = screen.findChild(QFileDialog)
    recorder = Recorder()
    screen.relay.sig_progress.connect(recorder.record)
    dialog.setDirectory(str(DATA))
    dialog.selectFile(WATCHLIST.name)
    dialog.accept()
    assert screen.progress is not None and screen.progress.isVisible()
    assert not screen.import_button.isEnabled()
    qtbot.waitUntil(screen.notice.isVisible, timeout=WAIT_MS)
    assert screen.progress is None and screen.import_button.isEnabled()
    assert "Internal watchlist: version" in screen.notice.text()
    assert "Customers re-screened: 2; new hits to review: 1." in screen.notice.text()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and screen.diff is not None,
                    timeout=WAIT_MS)
    assert screen.diff_tabs.tabText(0) == "Added (3)"
    qtbot.waitUntil(lambda: ("re-screen customers", 2, 2) in recorder.reports, timeout=WAIT_MS)
    assert ("store entries", 3, 3) in recorder.reports
    assert recorder.off_gui_thread == 0
    hits = bank.ctx.read(sanctions_review.list_hits, SYSTEM, status="open")
    assert [h.customer_name for h in hits] == ["Gregor Fraudulent Mallory"]


def test_refused_file_shows_the_sentence_and_a_rejected_version(
        qtbot, bank, tmp_path, make_window):
    good = bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)],
                        rescreen=False)
    bad = _watchlist(tmp_path, "bad.csv", "X,person,,,,,,,\n")  # an entry without a name
    screen = _lists_screen(qtbot, make_window, bank)
    screen.import_files([bad])
    qtbot.waitUntil(screen.message.isVisible, timeout=WAIT_MS)
    assert "bad.csv" in screen.message.text()
    assert "the previous version stays active" in screen.message.text()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2 and not screen.model.loading,
                    timeout=WAIT_MS)
    statuses = {v.version_id: v.status for v in screen.model.rows()}
    assert statuses[good.version_id] == "active"
    assert sorted(statuses.values()) == ["active", "rejected"]


def test_rescreen_action_reports_progress_and_new_hits(qtbot, bank, make_window):
    # customers created before any list is active: creation finds nothing, the re-screen does
    created = [_open(bank, f"Ordinary Person {n}", None)[0] for n in range(3)]
    created.append(_open(bank, "Zelda Quintessa Moneylaunder", None)[0])
    assert [c.sanctions_hits for c in created] == [0, 0, 0, 0]
    bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)], rescreen=False)
    assert bank.ctx.read(sanctions_review.list_hits, SYSTEM, status=None) == []
    screen = _lists_screen(qtbot, make_window, bank)
    recorder = Recorder()
    screen.relay.sig_progress.connect(recorder.record)
    qtbot.mouseClick(screen.rescreen_button, Qt.MouseButton.LeftButton)
    assert screen.progress is not None and not screen.rescreen_button.isEnabled()
    qtbot.waitUntil(screen.notice.isVisible, timeout=WAIT_MS)
    assert screen.notice.text() == "Customers re-screened: 4; new hits to review: 1."
    qtbot.waitUntil(lambda: recorder.reports == [("re-screen customers", 4, 4)],
                    timeout=WAIT_MS)
    assert recorder.off_gui_thread == 0
    hits = bank.ctx.read(sanctions_review.list_hits, SYSTEM, status="open")
    assert [(h.customer_id, h.customer_name) for h in hits] == [
        (created[-1].customer_id, "Zelda Quintessa Moneylaunder")]


def test_rescreen_refused_without_lists(qtbot, bank, make_window):
    screen = _lists_screen(qtbot, make_window, bank)
    qtbot.mouseClick(screen.rescreen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.message.isVisible, timeout=WAIT_MS)
    assert screen.message.text() == message_for(errors.NoActiveLists())
    assert screen.rescreen_button.isEnabled() and screen.progress is None


def test_sections_need_their_permissions(qtbot, bank, make_window):
    window = make_window(bank, desk_actor("accounts.view", "sanctions.review"))
    assert window.section_keys() == ["accounts", "sanctions_hits"]
    window = make_window(bank, desk_actor("sanctions.import"))
    assert window.section_keys() == ["sanctions_lists"]
    assert window.findChild(QLabel, "screenTitle").text() == "Sanctions lists"


def test_stopped_import_changes_nothing_and_stopped_rescreen_resumes(bank):
    """The Stop button's effect, on the jobs the lists screen runs: an import stopped at its
    first progress report rolls back; a re-screen stops after a committed step and resumes."""
    from ui.screens.sanctions import jobs

    first = bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)],
                         rescreen=False)
    for n in range(3):
        _customer(bank, f"Ordinary Person {n}", None)
    relay = jobs.ProgressRelay()
    relay.stop()
    outcome = jobs.import_and_rescreen(bank.ctx, SYSTEM, [str(WATCHLIST)], relay)
    assert outcome == jobs.ImportOutcome(None, None, True)
    versions = bank.ctx.read(sanctions_import.list_versions, SYSTEM)
    assert [(v.version_id, v.status) for v in versions] == [(first.version_id, "active")]

    stopped = jobs.rescreen(bank.ctx, SYSTEM, relay, batch=2)
    assert stopped.stopped and stopped.run is not None
    assert (stopped.run.status, stopped.run.processed) == ("running", 2)
    relay.reset()
    done = jobs.rescreen(bank.ctx, SYSTEM, relay, batch=2)
    assert not done.stopped and done.run.run_id == stopped.run.run_id
    assert (done.run.status, done.run.processed) == ("done", 3)


def test_stop_button_asks_the_running_job_to_stop(qtbot, bank, make_window):
    bank.ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)], rescreen=False)
    screen = _lists_screen(qtbot, make_window, bank)
    qtbot.mouseClick(screen.rescreen_button, Qt.MouseButton.LeftButton)
    stop = screen.progress.findChild(QPushButton)
    assert stop.text() == "Stop"
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert screen.relay.stop_requested
    assert screen.progress is None or "Stopping" in screen.progress.labelText()
    qtbot.waitUntil(lambda: screen.progress is None, timeout=WAIT_MS)
    assert screen.rescreen_button.isEnabled()
