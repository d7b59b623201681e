"""A team catalogue's shared media root: recorded in the catalogue, recognised by a marker file in it.

Thumbnails, cached features, model bundles and locks of a team catalogue live under one folder
that every member reaches (a network share); the catalogue records it (``media_root``) with an
identity (``catalogue_id``) that is also written in the folder (``heritage-tagger-media.json``).
A computer that mounts the share elsewhere gives its own path (``--media-root`` or
``HERITAGE_TAGGER_MEDIA_ROOT``); the marker proves it is the same folder. Image paths inside the
media root are stored relative to it (``Catalogue.stored_path`` / ``Catalogue.file_path``).
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path

from heritage_tagger.db import properties
from heritage_tagger.db.engine import DatabaseError, SessionFactory
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.text import display_path

MARKER = "heritage-tagger-media.json"
HOW_TO_GIVE = "--media-root FOLDER (or the environment variable HERITAGE_TAGGER_MEDIA_ROOT)"


def read_marker(root: Path) -> str | None:
    """The catalogue id written in ``root``'s marker file, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((root / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("catalogue_id") if isinstance(data, dict) else None
    return str(value) if value else None


def _write_marker(root: Path, catalogue_id: str, shown: str) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        temp = root / f".{MARKER}.{uuid.uuid4().hex[:8]}.tmp"
        temp.write_text(
            json.dumps(
                {
                    "catalogue_id": catalogue_id,
                    "catalogue": shown,
                    "created": datetime.now().isoformat(timespec="seconds"),
                },
                indent=2,
            ),
            "utf-8",
        )
        os.replace(temp, root / MARKER)
    except OSError as exc:
        raise CatalogueError(
            f"Cannot use {display_path(root)} as the team catalogue's media folder ({exc.strerror or exc}): "
            "choose a folder every member can write to."
        ) from exc


def resolve_media_root(sessions: SessionFactory, given: Path | None, shown: str) -> Path:
    """The media root of the team catalogue ``shown`` as this computer reaches it (recorded on first use).

    ``given``: the folder the user named (recorded when the catalogue has none yet, else this
    computer's path to the recorded one). Raises CatalogueError with what to do otherwise.
    """
    given = Path(given).expanduser().absolute() if given is not None else None
    with sessions() as session:
        recorded, catalogue_id = (
            properties.get(session, properties.MEDIA_ROOT),
            properties.get(session, properties.CATALOGUE_ID),
        )
    if recorded is None or catalogue_id is None:
        if given is None:
            raise CatalogueError(
                f"The team catalogue {shown} has no media folder yet: give the shared folder where its "
                f"thumbnails, features and models will live with {HOW_TO_GIVE}."
            )
        return _record(sessions, given, shown)
    candidate = given or Path(recorded)
    found = read_marker(candidate)
    if found == catalogue_id:
        return candidate
    if given is not None:
        what = (
            "belongs to another catalogue" if found else "is not (or not yet reachable as) its media folder"
        )
        raise CatalogueError(
            f"{display_path(given)} {what}: the media folder of the team catalogue {shown} is "
            f"{display_path(recorded)} (give the folder where this computer reaches that one)."
        )
    raise CatalogueError(
        f"The media folder of the team catalogue {shown}, {display_path(recorded)}, is not reachable from "
        f"this computer: connect the team's shared folder there, or give the folder where this computer "
        f"reaches it with {HOW_TO_GIVE}."
    )


def _record(sessions: SessionFactory, root: Path, shown: str) -> Path:
    """Record ``root`` (and a new identity, written in its marker) as the catalogue's media root.

    The identity row is inserted first: a teammate recording one at the same moment waits on that
    row (or finds it committed), then uses ours. Only then is the folder checked and marked.
    """
    catalogue_id = uuid.uuid4().hex
    try:
        with sessions() as session:
            properties.add(session, properties.CATALOGUE_ID, catalogue_id)
            properties.add(session, properties.MEDIA_ROOT, str(root))
            if read_marker(root) is not None:
                raise CatalogueError(
                    f"{display_path(root)} is already the media folder of another team catalogue: choose an "
                    "empty folder for this one."
                )
            _write_marker(root, catalogue_id, shown)
            session.commit()
    except DatabaseError:  # a teammate recorded one first: theirs stands
        return resolve_media_root(sessions, root, shown)
    return root


def media_properties(sessions: SessionFactory) -> dict[str, str]:
    with sessions() as session:
        return properties.all_properties(session)
