"""Model > Versions: the registered model versions (services/model_versions), the active one marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class VersionsDialog(QDialog):
    def __init__(self, versions: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model versions")
        headers = ["", "Version", "Created", "Backbone", "Records", "Tags", "Decisions", "Metrics"]
        self.table = QTableWidget(len(versions), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, v in enumerate(versions):
            metrics = getattr(v, "metrics", {}) or {}
            shown = ", ".join(f"{k} {val:.3f}" for k, val in metrics.items() if isinstance(val, float))[:120]
            cells = [
                "●" if v.is_active else "", v.version, f"{v.created_at:%Y-%m-%d %H:%M}", v.backbone,
                str(v.n_records), str(v.n_tags), str(v.n_decisions), shown,
            ]  # fmt: skip
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = "No model trained yet: Model > Train." if not versions else "● marks the active version."
        layout.addWidget(QLabel(note))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(820, 320)
