"""A non-blocking message bar (text, one action button, a close button), hidden until it has something to say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class MessageBar(QWidget):
    def __init__(self, action_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.setAccessibleName(self.tr("Message"))
        self.action = QPushButton(action_text)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss the message"))
        self.close_button.clicked.connect(self.hide)
        self.action.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.setStyleSheet("#messageBar { background: palette(alternate-base); }")
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()
