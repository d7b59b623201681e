"""The photo shown large: fit to the pane or zoom (buttons, Ctrl+wheel), with an inline message on errors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class _Canvas(QGraphicsView):
    def __init__(self, owner: ImageView) -> None:
        super().__init__()
        self.owner = owner
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.owner.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.owner.fitting:
            self.owner.fit()


class ImageView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene = QGraphicsScene(self)
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene.addItem(self.item)
        self.canvas = _Canvas(self)
        self.canvas.setScene(self.scene)
        self.canvas.setAccessibleName(self.tr("Photo"))
        self.canvas.setAccessibleDescription(self.tr("The selected photo; Ctrl+wheel zooms, drag to pan"))
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message.setObjectName("imageMessage")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(self.message)
        self.fitting = True
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for text, name, tip, slot in (
            (
                self.tr("Fit"),
                self.tr("Fit the photo to the pane"),
                self.tr("Fit the photo to the pane"),
                self.fit,
            ),
            ("1:1", self.tr("Actual size"), self.tr("Actual size"), self.actual_size),
            ("−", self.tr("Zoom out"), self.tr("Zoom out (Ctrl+wheel)"), lambda: self.zoom(0.8)),
            ("+", self.tr("Zoom in"), self.tr("Zoom in (Ctrl+wheel)"), lambda: self.zoom(1.25)),
        ):
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.caption = QLabel()
        self.caption.setObjectName("imageCaption")
        buttons.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.show_message(self.tr("No photo selected."))

    def show_image(self, image: QImage, caption: str = "") -> None:
        self.item.setPixmap(QPixmap.fromImage(image))
        self.scene.setSceneRect(self.item.boundingRect())
        self.stack.setCurrentWidget(self.canvas)
        self.caption.setText(caption)
        self.fit()

    def show_message(self, text: str) -> None:
        self.item.setPixmap(QPixmap())
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.caption.setText("")

    @property
    def showing_image(self) -> bool:
        return self.stack.currentWidget() is self.canvas and not self.item.pixmap().isNull()

    def fit(self) -> None:
        self.fitting = True
        if not self.item.pixmap().isNull():
            self.canvas.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)

    def actual_size(self) -> None:
        self.fitting = False
        self.canvas.resetTransform()

    def zoom(self, factor: float) -> None:
        self.fitting = False
        scale = self.canvas.transform().m11() * factor
        if 0.02 < scale < 40:
            self.canvas.scale(factor, factor)
