"""Edit > Preferences: reviewer, catalogue, backbone, device, suggestions, thumbnails, periodic retraining,
appearance and text size."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from heritage_tagger.gui.appearance import TEXT_SIZES, THEMES
from heritage_tagger.gui.i18n import language_label
from heritage_tagger.gui.preferences import LANGUAGE_CHOICES, QUEUE_ORDERS, Preferences
from heritage_tagger.services.environment import DEVICE_CHOICES, backbone_choices
from heritage_tagger.settings import DEFAULT_BACKBONE, DEFAULT_DEVICE


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.prefs = prefs
        self.reviewer = QLineEdit(prefs.reviewer)
        self.reviewer.setToolTip(self.tr("Every decision is recorded under this name; teammates see it"))
        self.catalogue = QLineEdit(prefs.catalogue_path)
        self.catalogue.setPlaceholderText(self.tr("Opened at start-up (empty: the default catalogue)"))
        self.catalogue.setToolTip(
            self.tr("A catalogue file, or a team catalogue's postgresql://USER@HOST/DATABASE")
        )
        self.media_root = QLineEdit(prefs.media_root)
        self.media_root.setPlaceholderText(self.tr("As recorded in the team catalogue"))
        self.media_root.setToolTip(
            self.tr("Where this computer reaches the team catalogue's shared media folder")
        )
        self.backbone = QComboBox()
        for choice in backbone_choices():  # from the backbone registry: names, words, availability
            self.backbone.addItem(
                choice.label
                + (
                    ""
                    if choice.available
                    else self.tr(" (unavailable: {reason})").format(reason=choice.reason)
                ),
                choice.name,
            )
        self.backbone.setCurrentIndex(max(0, self.backbone.findData(prefs.backbone)))
        self.device = self._combo(list(DEVICE_CHOICES), prefs.device)
        self.suggestions = QSpinBox(minimum=1, maximum=20, value=prefs.suggestions)
        self.suggestions.setToolTip(
            self.tr("Proposed tags when the model does not estimate how many a photo carries")
        )
        self.target_precision = QSpinBox(
            minimum=10,
            maximum=95,
            singleStep=5,
            value=prefs.target_precision,
            suffix=self.tr(" % of them right"),
        )
        self.target_precision.setToolTip(
            self.tr(
                "A tag is proposed only when its calibrated probability clears the threshold at which at least this\n"
                "share of proposed tags was right on held-out photos. Higher: fewer, surer suggestions and more\n"
                "photos with 'no confident suggestion'; lower: more suggestions, more of them wrong."
            )
        )
        self.thumbnail = QSpinBox(
            minimum=64, maximum=320, singleStep=16, value=prefs.thumbnail_size, suffix=self.tr(" px")
        )
        self.retrain_after = QSpinBox(minimum=0, maximum=100_000, singleStep=50,
                                      value=prefs.retrain_after_decisions, suffix=self.tr(" decisions"))  # fmt: skip
        self.retrain_after.setSpecialValueText(self.tr("Off"))
        self.retrain_after.setToolTip(
            self.tr("Offer retraining at start-up after this many new review decisions")
        )
        self.retrain_days = QSpinBox(
            minimum=0, maximum=3650, value=prefs.retrain_every_days, suffix=self.tr(" days")
        )
        self.retrain_days.setSpecialValueText(self.tr("Off"))
        self.retrain_days.setToolTip(
            self.tr("Offer retraining at start-up when the active model is this old")
        )
        self.queue_order = QComboBox()
        for key, label in QUEUE_ORDERS.items():
            self.queue_order.addItem(QCoreApplication.translate("Preferences", label), key)
        self.queue_order.setCurrentIndex(max(0, self.queue_order.findData(prefs.queue_order)))
        self.queue_order.setToolTip(self.tr("The order in which an imported folder's photos open for review"))
        self.theme = QComboBox()
        for key, label in THEMES.items():
            self.theme.addItem(QCoreApplication.translate("Appearance", label), key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.theme.setToolTip(
            self.tr("Light or dark colours; “Follow the system” changes with the system's setting")
        )
        self.text_size = QComboBox()
        sizes = sorted({*TEXT_SIZES, prefs.text_size})
        for percent in sizes:
            label = self.tr("System size") if percent == 100 else self.tr("{percent}% of the system size")
            self.text_size.addItem(label.format(percent=percent), percent)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(prefs.text_size)))
        self.text_size.setToolTip(self.tr("The size of all text, relative to the system's default font"))
        form = QFormLayout(self)
        form.addRow(self.tr("Login name"), self.reviewer)
        form.addRow(self.tr("Catalogue"), self.catalogue)
        form.addRow(self.tr("Team media folder"), self.media_root)
        form.addRow(self.tr("Backbone (training)"), self.backbone)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Suggestions proposed"), self.suggestions)
        form.addRow(self.tr("Propose tags with"), self.target_precision)
        form.addRow(self.tr("Thumbnail size"), self.thumbnail)
        form.addRow(self.tr("Review queue order"), self.queue_order)
        form.addRow(self.tr("Offer retraining after"), self.retrain_after)
        form.addRow(self.tr("… or every"), self.retrain_days)
        form.addRow(self.tr("&Appearance"), self.theme)
        form.addRow(self.tr("Te&xt size"), self.text_size)
        self.language = QComboBox()
        for code in LANGUAGE_CHOICES:
            self.language.addItem(language_label(code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.language.setToolTip(self.tr("The language of menus and windows; it changes at the next start"))
        form.addRow(self.tr("Language (at the next start)"), self.language)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(440)

    @staticmethod
    def _combo(items: list[str], current: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(items)
        combo.setCurrentText(current)
        return combo

    def result_preferences(self) -> Preferences:
        return replace(
            self.prefs,
            reviewer=self.reviewer.text().strip() or self.prefs.reviewer,
            catalogue_path=self.catalogue.text().strip(),
            media_root=self.media_root.text().strip(),
            backbone=str(self.backbone.currentData() or DEFAULT_BACKBONE),
            device=self.device.currentText().strip() or DEFAULT_DEVICE,
            suggestions=self.suggestions.value(),
            target_precision=self.target_precision.value(),
            thumbnail_size=self.thumbnail.value(),
            queue_order=str(self.queue_order.currentData()),
            retrain_after_decisions=self.retrain_after.value(),
            retrain_every_days=self.retrain_days.value(),
            theme=str(self.theme.currentData() or "system"),
            text_size=int(self.text_size.currentData() or 100),
            language=str(self.language.currentData() or "system"),
        )
