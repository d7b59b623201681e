"""Errors with messages meant for a librarian, not a traceback."""


class HeritageTaggerError(Exception):
    """Base class: the message is shown to the user as it is."""


class CatalogueError(HeritageTaggerError):
    """The catalogue database cannot be opened, upgraded or written."""


class ManifestError(HeritageTaggerError):
    """A manifest (records.csv) cannot be read at all."""


class ImportFileError(HeritageTaggerError):
    """One file cannot be imported; the import carries on with the next."""


class ModelNotTrainedError(HeritageTaggerError):
    """No trained model is active for this catalogue yet."""


class BundleError(HeritageTaggerError):
    """A model bundle is missing, corrupted or tampered with."""


class CancelledError(HeritageTaggerError):
    """A long job was cancelled by the user; nothing it started is left half-done."""


class ExportError(HeritageTaggerError):
    """An export cannot be written (bad destination, disk full, permission denied)."""


class VocabularyError(HeritageTaggerError):
    """A vocabulary file cannot be read, or a vocabulary operation does not apply."""


class CatalogueBusyError(CatalogueError):
    """Another process kept the catalogue locked for longer than the busy timeout."""


class CatalogueReadOnlyError(CatalogueError):
    """The catalogue (its file, folder or disk) cannot be written."""


class DiskFullError(CatalogueError):
    """The disk holding the catalogue (or an output file) is full."""


class ForeignDatabaseError(CatalogueError):
    """The file is another application's database (or an unversioned one); it was left unchanged."""


class CatalogueInUseError(CatalogueError):
    """Another Heritage Tagger window has this catalogue open."""


class TrainingLockedError(HeritageTaggerError):
    """Another training (or activation) of the same catalogue is running, here or on a teammate's computer."""


class StaleStateError(HeritageTaggerError):
    """A decision was taken on a state of a tag that another reviewer (or process) has changed since.

    Nothing was saved; the message says what changed and who changed it, and the view should be
    refreshed (``record_id`` names the record).
    """

    def __init__(self, message: str, record_id: int, label: str) -> None:
        super().__init__(message)
        self.record_id = record_id
        self.label = label
