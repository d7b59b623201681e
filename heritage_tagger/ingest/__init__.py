"""Folder scan, manifest and sidecar parsing, embedded IPTC/XMP, image checks, hashing, thumbnails."""
