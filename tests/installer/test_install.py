"""The wheel and installer/install.sh end to end: build, install into a temporary HOME, run, uninstall.

Cost, measured on the 2-core dev machine: about 50 s for the module, most of it in
``python -m venv`` (ensurepip), the app's first start-ups and the offscreen screenshot.
Nothing is downloaded: the wheel is built with ``--no-isolation`` (only where the running
environment lacks setuptools>=68 does ``build`` fetch it) and installed with
``--no-deps``, and the new environments see the running interpreter's already installed
dependencies (torch and the rest) through a ``.pth`` file. That keeps them real,
non-editable installs of our package, which is what is under test, without a second
5 GB copy of torch. install.sh does the same through its documented test hook,
``HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import heritage_tagger

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="install.sh's paths are checked on Linux here"),
]


def dependency_folders() -> list[str]:
    """The running interpreter's site-packages, where the heavy dependencies already are."""
    paths = sysconfig.get_paths()
    folders: list[str] = []
    for key in ("purelib", "platlib"):
        folder = os.path.realpath(paths[key])
        if folder not in folders:
            folders.append(folder)
    return folders


def source_files() -> list[str]:
    """The repository's files as a clean checkout has them: tracked plus new files git does not ignore."""
    if shutil.which("git") and (REPO / ".git").exists():
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            check=True,
            capture_output=True,
        ).stdout
        return [name for name in out.decode().split("\0") if name and (REPO / name).is_file()]
    skip = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
    names = []
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        if path.is_file() and not skip.intersection(rel.parts) and not rel.parts[0].endswith(".egg-info"):
            names.append(str(rel))
    return names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build --wheel --no-isolation`` on a copy of the source (the work tree stays clean)."""
    pytest.importorskip("build", reason="the dev extra's 'build' package builds the wheel")
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    for name in source_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(src)]
    done = subprocess.run([*command, "--no-isolation"], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 and re.search(r"(Missing|Unmet) dependencies", done.stdout + done.stderr):
        # this environment lacks the build backend (setuptools>=68): let build fetch it (network)
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (found,) = (root / "dist").glob("heritage_tagger-*.whl")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without our test isolation variables (the installed app must find its own dirs)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HERITAGE_TAGGER_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run(
    cmd: list[str | Path], env: dict[str, str], timeout: float = 300, **kw
) -> subprocess.CompletedProcess:
    # never the repository as the working directory: `python -c` would import its heritage_tagger
    kw.setdefault("cwd", tempfile.gettempdir())
    done = subprocess.run(
        [str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=timeout, **kw
    )
    assert done.returncode == 0, (
        f"{cmd} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    )
    return done


def make_photos(folder: Path, n: int = 2) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.new("RGB", (64, 48), (40 * i + 60, 120, 200 - 40 * i)).save(folder / f"photo{i}.jpg")
    return folder


def test_the_wheel_carries_migrations_icons_and_style_sheets(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "heritage_tagger/_migrations/env.py",
        "heritage_tagger/_migrations/script.py.mako",
        "heritage_tagger/_resources/style.qss",
        "heritage_tagger/_resources/icons/heritage-tagger.svg",
        "heritage_tagger/_resources/icons/heritage-tagger.png",
        "heritage_tagger/_resources/guide/index.html",
        "heritage_tagger/_resources/guide/index.fr.html",
        "heritage_tagger/_resources/guide/guide.css",
        "heritage_tagger/_resources/i18n/heritage_tagger_fr.qm",
    ):
        assert name in names
    assert any(n.startswith("heritage_tagger/_migrations/versions/") and n.endswith(".py") for n in names)
    revisions = sorted(p.name for p in (REPO / "migrations" / "versions").glob("*.py"))
    assert all(f"heritage_tagger/_migrations/versions/{r}" in names for r in revisions)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, the wheel installed with --no-deps (not editable), dependencies seen through a .pth."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    env = clean_env()
    run([sys.executable, "-m", "venv", "--without-pip", venv], env)
    python = venv / "bin" / "python"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            wheel,
        ],
        env,
    )
    site = Path(
        run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env).stdout.strip()
    )
    (site / "_heritage_tagger_test_dependencies.pth").write_text("\n".join(dependency_folders()) + "\n")
    return venv


def test_the_installed_wheel_opens_a_new_catalogue(installed: Path, tmp_path: Path) -> None:
    venv = installed
    python = venv / "bin" / "python"
    env = clean_env(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "home" / "data"))
    site = Path(
        run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env).stdout.strip()
    )
    probe = (
        "import json, heritage_tagger as h\n"
        "from heritage_tagger.settings import resources_dir\n"
        "from heritage_tagger.db.migrate import migrations_dir, head_revision, current_revision\n"
        "from heritage_tagger.services.catalogue import open_catalogue\n"
        "import sys\n"
        "with open_catalogue(sys.argv[1]) as cat:\n"
        "    rev = current_revision(cat.engine)\n"
        "print(json.dumps({'package': h.__file__, 'resources': str(resources_dir()),\n"
        "    'migrations': str(migrations_dir()), 'revision': rev, 'head': head_revision()}))\n"
    )
    catalogue = tmp_path / "c.sqlite"
    info = json.loads(run([python, "-c", probe, catalogue], env).stdout)
    site_dir = str(site.resolve())
    assert info["package"].startswith(site_dir), "the package under test must be the installed copy"
    assert info["migrations"].startswith(site_dir)
    assert info["resources"].startswith(site_dir)
    resources = Path(info["resources"])
    assert (resources / "style.qss").is_file()
    assert (resources / "icons" / "heritage-tagger.svg").is_file()
    assert (resources / "icons" / "heritage-tagger.png").is_file()
    assert info["revision"] == info["head"] is not None

    stats = json.loads(
        run([venv / "bin" / "heritage-tagger", "--catalogue", catalogue, "stats", "--json"], env).stdout
    )
    assert stats["records"] == 0 and stats["tags"] == 0 and stats["model_versions"] == 0

    fresh = tmp_path / "fresh.sqlite"  # a command that creates the catalogue itself
    run(
        [
            venv / "bin" / "heritage-tagger",
            "--catalogue",
            fresh,
            "import",
            make_photos(tmp_path / "p"),
            "--json",
        ],
        env,
    )
    stats = json.loads(
        run([venv / "bin" / "heritage-tagger", "--catalogue", fresh, "stats", "--json"], env).stdout
    )
    assert stats["records"] == 2


def test_the_installed_gui_finds_its_style_sheet_and_icon(installed: Path) -> None:
    code = (
        "from heritage_tagger.gui.app import resource\n"
        "print(resource('style.qss'), resource('icons/heritage-tagger.svg'))\n"
    )
    out = run([installed / "bin" / "python", "-c", code], clean_env()).stdout.split()
    assert "None" not in out, out


# ---------------------------------------------------------------------------------- install.sh


def tree(root: Path) -> set[str]:
    """Every file, folder and link under ``root``, relative."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("# the user's own file\n")
    (home / "Pictures").mkdir()
    yield home


def home_env(home: Path, **extra: str) -> dict[str, str]:
    env = clean_env(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        **extra,
    )
    # tools that keep their state in the real HOME (pip runs `rustc --version` for its user agent,
    # and rustup's proxy writes ~/.rustup/settings.toml) keep it there, not in the test's HOME
    real_home = Path.home()
    for var, name in (("RUSTUP_HOME", ".rustup"), ("CARGO_HOME", ".cargo")):
        if var not in env and (real_home / name).is_dir():
            env[var] = str(real_home / name)
    return env


def install(home: Path, *args: str | Path, hook: bool = True) -> subprocess.CompletedProcess:
    extra = {"HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES": ":".join(dependency_folders())} if hook else {}
    return run(["bash", INSTALLER / "install.sh", "--python", sys.executable, *args], home_env(home, **extra))


def test_install_run_and_uninstall_into_a_temporary_home(wheel: Path, home: Path, tmp_path: Path) -> None:
    before = tree(home)
    data = home / ".local" / "share"
    app_data = data / "heritage-tagger"
    venv = app_data / "app"
    launcher = home / ".local" / "bin" / "heritage-tagger"
    desktop = data / "applications" / "heritage-tagger.desktop"
    icons = [
        data / "icons" / "hicolor" / "256x256" / "apps" / "heritage-tagger.png",
        data / "icons" / "hicolor" / "scalable" / "apps" / "heritage-tagger.svg",
    ]

    first = install(home, "--wheel", wheel)
    assert "TEST HOOK" in first.stdout
    assert "is not on your PATH" in first.stdout
    for path in (launcher, desktop, *icons, venv / "pyvenv.cfg", app_data / "install-manifest.txt"):
        assert path.exists(), path
    assert f'Exec="{venv}/bin/heritage-tagger" gui' in desktop.read_text()
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", desktop], home_env(home))

    # idempotent: a second run (from a wheelhouse this time) upgrades the same environment in place
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    shutil.copy2(wheel, wheelhouse)
    second = install(home, "--wheelhouse", wheelhouse)
    assert "Upgrading the existing environment in place" in second.stdout
    manifest = (app_data / "install-manifest.txt").read_text().splitlines()
    assert len(manifest) == len(set(manifest))

    env = home_env(home)
    version = run([launcher, "--version"], env).stdout.strip()
    assert version == f"heritage-tagger {heritage_tagger.__version__}"
    where = run(
        [venv / "bin" / "python", "-c", "import heritage_tagger; print(heritage_tagger.__file__)"], env
    )
    assert where.stdout.strip().startswith(str(venv)), "the installed copy runs, not the repository's"

    # the user's data, made with the installed app: the default catalogue, its workspace, a models folder
    run([launcher, "import", make_photos(tmp_path / "photos"), "--json"], env)
    assert (app_data / "catalogue.sqlite").is_file()
    assert (app_data / "catalogue.heritage").is_dir()
    (app_data / "models").mkdir()
    (app_data / "models" / "vgg16-397923af.pth").write_bytes(b"the user's weights")

    help_text = run([launcher, "--help"], env).stdout
    if " gui " not in help_text and "gui\n" not in help_text:
        pytest.skip("the installed app has no `gui` command yet: screenshot and uninstall checks not run")
    shot = tmp_path / "shot.png"
    run([launcher, "gui", "--screenshot", shot, "--settings", tmp_path / "gui.ini"], env, timeout=240)
    assert shot.is_file() and shot.stat().st_size > 1000
    mine = (".local/share/heritage-tagger/catalogue", ".local/share/heritage-tagger/models")
    user_data = {p for p in tree(home) - before if p.startswith(mine)}

    done = run(["bash", venv / "uninstall.sh"], env)
    assert "Your data was kept" in done.stdout
    after = tree(home)
    kept = user_data | {str(parent) for p in user_data for parent in Path(p).parents if str(parent) != "."}
    assert after - before == kept, "uninstall.sh left something behind, or took the user's data"
    assert before <= after
    assert (app_data / "catalogue.sqlite").is_file()

    # nothing installed any more: a second uninstall says so
    assert "not installed" in run(["bash", INSTALLER / "uninstall.sh"], env).stdout

    # installed again over the kept data: --purge asks first and, with no terminal to ask on,
    # removes nothing; --purge --yes removes the app and the data, and the HOME is as it was
    install(home, "--wheel", wheel)
    refused = subprocess.run(
        ["bash", str(INSTALLER / "uninstall.sh"), "--purge"], env=env, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    assert refused.returncode != 0 and "needs a terminal" in refused.stderr
    assert (app_data / "catalogue.sqlite").is_file() and (venv / "pyvenv.cfg").is_file()
    purged = run(["bash", INSTALLER / "uninstall.sh", "--purge", "--yes"], env)
    assert "data was deleted" in purged.stdout
    # ~/.local and ~/.local/share were made by the first install; the uninstall that kept the data
    # could not remove them, and the second install found them there, so they stay (empty)
    assert tree(home) - before == {".local", ".local/share"}
    assert before <= tree(home)


def test_the_macos_branch_with_a_space_in_every_path(wheel: Path, home: Path, tmp_path: Path) -> None:
    """install.sh's macOS paths and .app bundle, run on Linux with `uname` answering Darwin."""
    import plistlib

    fake_bin = fake_program(
        tmp_path / "bin", "uname", 'if [ "$1" = -s ]; then echo Darwin; else /bin/uname "$@"; fi'
    )
    hook = ":".join(dependency_folders())
    env = home_env(home, PATH=f"{fake_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    before = tree(home)
    done = run(
        ["bash", INSTALLER / "install.sh", "--python", sys.executable, "--wheel", wheel],
        {**env, "HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES": hook},
    )
    assert ".zprofile" in done.stdout  # the PATH advice names the macOS profile
    venv = home / "Library" / "Application Support" / "heritage-tagger" / "app"
    app = home / "Applications" / "Heritage Tagger.app"
    assert (venv / "pyvenv.cfg").is_file()
    assert not (home / ".local" / "share").exists(), "no Linux desktop entry on macOS"
    info = plistlib.loads((app / "Contents" / "Info.plist").read_bytes())
    assert info["CFBundleExecutable"] == "heritage-tagger"
    assert info["CFBundleShortVersionString"] == heritage_tagger.__version__
    executable = app / "Contents" / "MacOS" / "heritage-tagger"
    assert os.access(executable, os.X_OK)
    assert f'exec "{venv}/bin/heritage-tagger" gui' in executable.read_text()
    launcher = home / ".local" / "bin" / "heritage-tagger"
    assert run([launcher, "--version"], env).stdout.strip().endswith(heritage_tagger.__version__)

    run(["bash", venv / "uninstall.sh"], env)
    assert tree(home) == before


# ---------------------------------------------------------------------------------- choices


def fake_program(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return folder


def dry_run(home: Path, fake_bin: Path, **extra: str) -> subprocess.CompletedProcess:
    env = home_env(home, PATH=f"{fake_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}", **extra)
    return subprocess.run(
        ["bash", str(INSTALLER / "install.sh"), "--python", sys.executable, "--dry-run"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cuda_build_where_nvidia_smi_works(home: Path, tmp_path: Path) -> None:
    done = dry_run(home, fake_program(tmp_path / "bin", "nvidia-smi", "echo 'GPU 0: Tesla'"))
    assert done.returncode == 0, done.stderr
    assert "CUDA build" in done.stdout
    assert "--extra-index-url" not in done.stdout
    assert tree(home) == {".bashrc", "Pictures"}, "--dry-run changes nothing"


def test_cpu_wheels_from_the_extra_index_else_the_default_index(home: Path, tmp_path: Path) -> None:
    no_gpu = fake_program(tmp_path / "bin", "nvidia-smi", "exit 9")
    index = tmp_path / "index"
    (index / "torch").mkdir(parents=True)
    url = index.as_uri()
    done = dry_run(home, no_gpu, HERITAGE_TAGGER_TORCH_INDEX_URL=url)
    assert done.returncode == 0, done.stderr
    assert f"CPU-only build from {url}" in done.stdout
    assert f"--extra-index-url {url}" in done.stdout

    done = dry_run(home, no_gpu, HERITAGE_TAGGER_TORCH_INDEX_URL="http://127.0.0.1:9/simple")
    assert done.returncode == 0, done.stderr
    assert "cannot be reached" in done.stderr
    assert "from the default index" in done.stdout
    assert "--extra-index-url" not in done.stdout


def test_an_old_python_is_refused_clearly(home: Path, tmp_path: Path) -> None:
    old = fake_program(tmp_path / "bin", "python3.9", "echo 3.9; exit 1") / "python3.9"
    done = subprocess.run(
        ["bash", str(INSTALLER / "install.sh"), "--python", str(old), "--dry-run"],
        env=home_env(home), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert "is Python 3.9" in done.stderr and "3.11 or newer" in done.stderr
