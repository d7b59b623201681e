"""Where XMP sidecars go when no folder is given: beside each image."""

from __future__ import annotations

BESIDE = "beside"  # write each sidecar next to its image (JobsController.export's output)
