"""Add or edit one settings event (date, setting, value, note)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from explorer.store import usage_events as history

_VALUES: dict[str, list[str]] = {
    history.DATA_COLLECTION: [history.REAL_TIME, history.ONCE_PER_SESSION],
    history.SHARED_AUDIENCES: [history.ENABLED, history.DISABLED],
    history.NOTE: [],
}


class EventDialog(QDialog):
    """Validates with the store's own normalisation, so what is accepted is what is stored."""

    def __init__(self, parent: QWidget | None = None,
                 event: history.SettingEvent | None = None, *,
                 default_day: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit settings event" if event else "Add settings event")
        # Room for a note and the setting names: about 55 average characters wide.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 55 + 40)
        self._default_day = default_day
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.setting_combo = QComboBox(editable=True)
        self.setting_combo.addItems(list(_VALUES))
        self.value_combo = QComboBox(editable=True)
        self.note_edit = QLineEdit()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #D55E00")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Date", self.date_edit)
        form.addRow("&Setting", self.setting_combo)
        form.addRow("&Value", self.value_combo)
        form.addRow("&Note", self.note_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        self.setting_combo.currentTextChanged.connect(self._offer_values)
        self._fill(event)

    def _fill(self, event: history.SettingEvent | None) -> None:
        if event is None:
            # A new event most likely belongs to the data shown: its last day, else today.
            default = QDate.fromString(self._default_day or "", "yyyy-MM-dd")
            self.date_edit.setDate(default if default.isValid() else QDate.currentDate())
            self.setting_combo.setCurrentText(history.DATA_COLLECTION)
            self._offer_values(history.DATA_COLLECTION)
            return
        self.date_edit.setDate(QDate.fromString(event.date, "yyyy-MM-dd"))
        self.setting_combo.setCurrentText(event.setting)
        self._offer_values(event.setting)
        self.value_combo.setCurrentText(event.value)
        self.note_edit.setText(event.note)

    def _offer_values(self, setting: str) -> None:
        current = self.value_combo.currentText()
        self.value_combo.clear()
        values = _VALUES.get(setting.strip().lower(), [])
        self.value_combo.addItems(values)
        if current and not values:
            self.value_combo.setCurrentText(current)

    def values(self) -> tuple[str, str, str, str]:
        """(YYYY-MM-DD, setting, value, note) as typed."""
        return (self.date_edit.date().toString("yyyy-MM-dd"), self.setting_combo.currentText(),
                self.value_combo.currentText(), self.note_edit.text().strip())

    def set_values(self, day: str, setting: str, value: str, note: str = "") -> None:
        self.date_edit.setDate(QDate.fromString(day, "yyyy-MM-dd"))
        self.setting_combo.setCurrentText(setting)
        self.value_combo.setCurrentText(value)
        self.note_edit.setText(note)

    def accept(self) -> None:
        _day, setting, value, _note = self.values()
        try:
            history.normalise_setting(setting, value)
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
