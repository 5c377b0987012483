"""File > Settings: the database to connect to, and for PostgreSQL its password (OS keyring).

The dialog knows nothing of files or keyrings: a backend from the composition root (app/)
tests and saves. The password is never written to a file; the URL is saved without it.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QThreadPool, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.services.authz import ANONYMOUS
from core.unit_of_work import CoreContext
from ui.tasks import TaskRunner


class SettingsBackend(Protocol):
    def test(self, url: str, password: str | None) -> tuple[bool, str]: ...

    def save(self, url: str, password: str | None) -> str: ...


def is_postgres(url: str) -> bool:
    return url.strip().startswith(("postgresql", "postgres:"))


class SettingsDialog(QDialog):
    def __init__(self, backend: SettingsBackend, ctx: CoreContext, pool: QThreadPool, *,
                 current_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._backend = backend
        self._runner = TaskRunner(ctx, ANONYMOUS, pool, self)
        self._task: int | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(current_url, objectName="settingsUrl")
        self.password = QLineEdit(objectName="settingsPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.url_label, self.password_label = QLabel(), QLabel()
        form.addRow(self.url_label, self.url)
        form.addRow(self.password_label, self.password)
        layout.addLayout(form)
        self.note = QLabel(objectName="settingsNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.result = QLabel(objectName="settingsResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.test_button = QPushButton(objectName="settingsTest")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("settingsSave")
        layout.addWidget(self.buttons)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._on_url_changed)
        self._runner.sig_task_finished.connect(self._on_finished)
        self._runner.sig_task_failed.connect(self._on_failed)
        self.setMinimumWidth(560)
        self.retranslate_ui()
        self._on_url_changed(current_url)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.url_label.setText(self.tr("Database &URL"))
        self.url_label.setBuddy(self.url)
        self.password_label.setText(self.tr("&Password"))
        self.password_label.setBuddy(self.password)
        self.test_button.setText(self.tr("&Test connection"))
        self.note.setText(self.tr(
            "A PostgreSQL password is kept in the system keyring, never in a file. "
            "A new database is used from the next start."))

    @Slot(str)
    def _on_url_changed(self, url: str) -> None:
        self.password.setEnabled(is_postgres(url))
        if not is_postgres(url):
            self.password.clear()

    def _password(self) -> str | None:
        return self.password.text() or None

    @Slot()
    def test_connection(self) -> None:
        self.result.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        self._task = self._runner.submit(self._backend.test, self.url.text().strip(),
                                         self._password())

    @Slot()
    def save(self) -> None:
        self._task = self._runner.submit(self._backend.save, self.url.text().strip(),
                                         self._password())

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        if task_id != self._task:
            return
        self.test_button.setEnabled(True)
        if isinstance(result, tuple):
            ok, message = result
            text = self.tr("Connected: %1") if ok else self.tr("Connection failed: %1")
            self.result.setText(text.replace("%1", str(message)))
        else:
            self.result.setText(self.tr("Saved (%1). Restart to use this database.")
                                .replace("%1", str(result)))

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task:
            return
        from ui.messages import message_for

        self.test_button.setEnabled(True)
        self.result.setText(message_for(error))  # type: ignore[arg-type]
