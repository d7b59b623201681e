"""Plain domain objects shared by every layer (standard library only)."""

from heritage_tagger.domain.errors import (
    BundleError,
    CancelledError,
    CatalogueError,
    HeritageTaggerError,
    ImportFileError,
    ManifestError,
    ModelNotTrainedError,
)
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import (
    Decision,
    DecisionAction,
    ImportSummary,
    Record,
    RecordTag,
    SkippedFile,
    Suggestion,
    TagState,
)

__all__ = [
    "BundleError",
    "CancelToken",
    "CancelledError",
    "CatalogueError",
    "Decision",
    "DecisionAction",
    "HeritageTaggerError",
    "ImportFileError",
    "ImportSummary",
    "ManifestError",
    "ModelNotTrainedError",
    "Progress",
    "ProgressCallback",
    "Record",
    "RecordTag",
    "SkippedFile",
    "Suggestion",
    "TagState",
    "null_progress",
]
