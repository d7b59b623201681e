"""Under the detail pane's tags: the selected tag's concept, its broader path (each step a link that
filters the browser by that concept and those below it) and its URI."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from heritage_tagger.domain.vocabulary import Concept, LabelConcept


class ConceptPathView(QLabel):
    """Empty (hidden) for an unlinked tag; "People › Women" with links for a linked one."""

    concept_clicked = Signal(int, str)  # concept id, its broader path in words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conceptPath")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.linkActivated.connect(self._clicked)
        self.found: LabelConcept | None = None
        self._paths: dict[int, str] = {}
        self.hide()

    def show_concept(self, found: LabelConcept | None) -> None:
        self.found = found
        if found is None:
            self.clear()
            self.hide()
            return
        steps: list[Concept] = [*found.broader, found.concept]
        self._paths = {c.id: " › ".join(s.label for s in steps[: i + 1]) for i, c in enumerate(steps)}
        links = " › ".join(
            f"<a href='concept:{c.id}'>{escape(c.label)}</a>"
            if i < len(steps) - 1
            else f"<b>{escape(c.label)}</b>"
            for i, c in enumerate(steps)
        )
        also = (
            ""
            if found.label == found.concept.label
            else self.tr(" (tag “{label}”)").format(label=escape(found.label))
        )
        self.setText(
            self.tr("Concept: {links}{also}  ·  <a href='concept:{id}'>photos with it</a><br>").format(
                links=links, also=also, id=found.concept.id
            )
            + f"<span style='color:gray'>{escape(found.concept.uri)} · {escape(found.concept.vocabulary)}</span>"
        )
        self.setToolTip(self.tr("Click a concept to show the photos with it or with a narrower concept"))
        self.show()

    def _clicked(self, href: str) -> None:
        if href.startswith("concept:"):
            concept_id = int(href.partition(":")[2])
            self.concept_clicked.emit(concept_id, self._paths.get(concept_id, ""))
