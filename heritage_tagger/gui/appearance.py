"""Appearance: the Fusion style, a light or dark palette (the system's or the preference's), the text size."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from heritage_tagger.settings import resources_dir

#: Preferences.theme: words shown in Preferences (translated where shown)
THEMES: dict[str, str] = {
    "system": str(QT_TRANSLATE_NOOP("Appearance", "Follow the system")),
    "light": str(QT_TRANSLATE_NOOP("Appearance", "Light")),
    "dark": str(QT_TRANSLATE_NOOP("Appearance", "Dark")),
}
#: Preferences.text_size: percent of the system's default font size
TEXT_SIZES = (80, 90, 100, 110, 125, 150, 175, 200)

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup
_LIGHT = {
    _Role.Window: "#f6f4ef",
    _Role.WindowText: "#1f1d1a",
    _Role.Base: "#fffdf9",
    _Role.AlternateBase: "#f3efe5",
    _Role.Text: "#1f1d1a",
    _Role.PlaceholderText: "#6b6558",
    _Role.Button: "#ece7dc",
    _Role.ButtonText: "#1f1d1a",
    _Role.BrightText: "#ffffff",
    _Role.Highlight: "#2f5f88",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#1f5b93",
    _Role.LinkVisited: "#6a3d8f",
    _Role.ToolTipBase: "#fffbe8",
    _Role.ToolTipText: "#1f1d1a",
    _Role.Light: "#ffffff",
    _Role.Midlight: "#e2ddd2",
    _Role.Mid: "#b9b2a4",
    _Role.Dark: "#8a8578",
    _Role.Shadow: "#4a463f",
}
_DARK = {
    _Role.Window: "#26272a",
    _Role.WindowText: "#e8e6e1",
    _Role.Base: "#1c1d20",
    _Role.AlternateBase: "#2b2c30",
    _Role.Text: "#e8e6e1",
    _Role.PlaceholderText: "#a6a29a",
    _Role.Button: "#34363a",
    _Role.ButtonText: "#e8e6e1",
    _Role.BrightText: "#ffffff",
    _Role.Highlight: "#4f8cc0",
    _Role.HighlightedText: "#0d0e10",
    _Role.Link: "#8cc4f5",
    _Role.LinkVisited: "#c7a4e8",
    _Role.ToolTipBase: "#34363a",
    _Role.ToolTipText: "#e8e6e1",
    _Role.Light: "#4a4c52",
    _Role.Midlight: "#3c3e43",
    _Role.Mid: "#5c5f66",
    _Role.Dark: "#17181a",
    _Role.Shadow: "#000000",
}
#: disabled text, per theme (readable but clearly inactive)
_DISABLED = {"light": "#8a8578", "dark": "#7d7a74"}

_system_font: QFont | None = None


def palette_for(theme: str) -> QPalette:
    """The light or the dark palette (``theme`` is "light" or "dark")."""
    colours = _DARK if theme == "dark" else _LIGHT
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED["dark" if theme == "dark" else "light"])
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText, _Role.HighlightedText):
        palette.setColor(_Group.Disabled, role, disabled)
    palette.setColor(_Group.Disabled, _Role.Highlight, QColor(colours[_Role.Mid]))
    return palette


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; text wants at least 4.5)."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(colour: QColor, background: QColor | None = None, ratio: float = 4.5) -> QColor:
    """``colour`` (a state's hue) made lighter or darker until it reads on ``background`` (else the
    application's base colour) at the WCAG ``ratio``; the hue stays."""
    if background is None:
        background = QGuiApplication.palette().color(_Role.Base)
    result = QColor(colour)
    lighten = _luminance(background) < 0.5
    for _ in range(20):
        if contrast(result, background) >= ratio:
            break
        step = 0.05 if lighten else -0.05
        lightness = max(0.0, min(1.0, result.lightnessF() + step))
        result = QColor.fromHslF(
            max(0.0, result.hslHueF()), result.hslSaturationF(), lightness, result.alphaF()
        )
    return result


def system_is_dark() -> bool:
    """Whether the system asks for a dark appearance (Qt 6.5+ colour scheme; unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def effective_theme(preference: str, system_dark: bool | None = None) -> str:
    """The theme, "light" or "dark": the preference, or the system's scheme when the preference is "system"."""
    if preference in ("light", "dark"):
        return preference
    return "dark" if (system_is_dark() if system_dark is None else system_dark) else "light"


def system_font() -> QFont:
    """The application's font as the system gave it (remembered before the first change)."""
    global _system_font
    if _system_font is None:
        _system_font = QFont(QGuiApplication.font())
    return QFont(_system_font)


def scaled_font(percent: int) -> QFont:
    """The system's default font at ``percent`` of its size."""
    font = system_font()
    factor = max(50, min(300, percent)) / 100
    if font.pointSizeF() > 0:
        font.setPointSizeF(round(font.pointSizeF() * factor, 1))
    elif font.pixelSize() > 0:
        font.setPixelSize(max(6, round(font.pixelSize() * factor)))
    return font


def style_sheet(palette: QPalette, font: QFont) -> str:
    """resources/style.qss with its @tokens@ filled from the palette and the font (colours follow the theme)."""
    try:
        resources = resources_dir()
        text = (resources / "style.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    dark = _luminance(palette.color(_Role.Window)) < 0.5
    tokens = {
        "@icons@": (resources / "icons").as_posix(),
        "@theme@": "dark" if dark else "light",
        "@muted@": palette.color(_Role.PlaceholderText).name(),
        "@heading_pt@": f"{base * 1.3:.1f}",
        "@subheading_pt@": f"{base * 1.1:.1f}",
    }
    for token, value in tokens.items():
        text = text.replace(token, value)
    return text


def apply_appearance(
    theme_preference: str = "system", text_size: int = 100, app: QApplication | None = None
) -> str:
    """Fusion, the palette, the font and the style sheet, app-wide; returns the theme applied."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return effective_theme(theme_preference)
    system_font()  # remembered before the first change
    theme = effective_theme(theme_preference)
    if app.property("heritageStyle") != "Fusion":  # style() is the style sheet's wrapper once one is set
        app.setStyle("Fusion")
        app.setProperty("heritageStyle", "Fusion")
    palette = palette_for(theme)
    font = scaled_font(text_size)
    app.setPalette(palette)
    app.setFont(font)
    app.setStyleSheet(style_sheet(palette, font))
    app.setProperty("heritageTheme", theme)
    return theme


def current_theme() -> str:
    """The theme last applied ("light" or "dark")."""
    app = QCoreApplication.instance()
    value = app.property("heritageTheme") if app is not None else None
    return str(value) if value in ("light", "dark") else "light"


class AppearanceFollower(QObject):
    """Re-applies the appearance when the system's colour scheme changes (while the preference is "system")."""

    def __init__(self, theme_preference: str = "system", text_size: int = 100, parent: QObject | None = None):
        super().__init__(parent)
        self.theme_preference = theme_preference
        self.text_size = text_size
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def set_preferences(self, theme_preference: str, text_size: int) -> str:
        self.theme_preference, self.text_size = theme_preference, text_size
        return apply_appearance(theme_preference, text_size)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.theme_preference == "system":
            apply_appearance(self.theme_preference, self.text_size)
