"""Packaging glue: ship the top-level migrations/ and resources/ folders inside the wheel.

The repository keeps Alembic's environment in ``migrations/`` and icons, style sheets and
word lists in ``resources/`` (DESIGN.md's layout); an installed copy finds them as the
packages ``heritage_tagger._migrations`` and ``heritage_tagger._resources``. Everything
else is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["heritage_tagger", "heritage_tagger.*"]),
        "heritage_tagger._migrations",
        "heritage_tagger._migrations.versions",
        "heritage_tagger._resources",
        "heritage_tagger._resources.icons",
        "heritage_tagger._resources.demo",  # the demo collection (about 0.9 MB)
        "heritage_tagger._resources.demo.images",
        "heritage_tagger._resources.guide",
        "heritage_tagger._resources.i18n",  # the compiled translations (.qm), committed: no build tools needed
    ],
    package_dir={
        "heritage_tagger._migrations": "migrations",
        "heritage_tagger._resources": "resources",
    },
    package_data={
        "heritage_tagger._migrations": ["*.py", "*.mako", "versions/*.py"],
        "heritage_tagger._resources": ["*", "**/*"],
    },
)
