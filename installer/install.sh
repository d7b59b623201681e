#!/usr/bin/env bash
# Install Heritage Tagger for the current user on Linux or macOS (no administrator rights needed).
#
# What it does, and where (installer/README.md has the details):
#   - an isolated Python environment in <data dir>/heritage-tagger/app, where <data dir> is
#     ${XDG_DATA_HOME:-~/.local/share} on Linux and ~/Library/Application Support on macOS;
#   - the app and its dependencies in it, with a CUDA build of torch where `nvidia-smi` works,
#     else a CPU build (Linux: PyTorch's CPU-only wheels; macOS: the default wheels);
#   - a `heritage-tagger` command in ~/.local/bin;
#   - Linux: a desktop entry and the icon; macOS: "Heritage Tagger.app" in ~/Applications;
#   - a manifest, <data dir>/heritage-tagger/install-manifest.txt, listing exactly what it
#     wrote, so that uninstall.sh removes exactly that.
# Running it again upgrades in place. Catalogues and models in the data directory are never touched.
#
# Written for bash 3.2 (macOS's /bin/bash) as well as newer versions.
set -euo pipefail

APP_NAME=heritage-tagger
PYPI_NAME=heritage-tagger
DEFAULT_TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu
TORCH_REQUIREMENTS=("torch>=2.4,<3" "torchvision>=0.19,<1") # as in pyproject.toml
MARKER="written by installer/install.sh"

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
TEMPLATES=$SCRIPT_DIR/templates

usage() {
    cat <<EOF
Usage: $0 [options]

Installs Heritage Tagger for the current user. Run it again to upgrade in place.

Options:
  --wheel FILE        install the app from this wheel (default: the repository this script
                      is in, else the package "$PYPI_NAME" from PyPI)
  --wheelhouse DIR    install with no network, only from the wheels in DIR
                      (made by installer/build-wheelhouse.sh)
  --python PATH       the Python 3.11+ interpreter to build the environment with
                      (default: the newest of python3.13, python3.12, python3.11, python3)
  --torch KIND        auto (default), cpu or cuda: which torch build to install
  --no-shortcut       do not write the desktop entry (Linux) or the .app launcher (macOS)
  --dry-run           print what would be done, change nothing
  -h, --help          show this help

Environment:
  HERITAGE_TAGGER_TORCH_INDEX_URL  where PyPI-compatible CPU-only torch wheels are looked up on
                                   Linux without an NVIDIA driver (default: $DEFAULT_TORCH_CPU_INDEX)
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- options
WHEEL=""
WHEELHOUSE=""
PYTHON_ARG=""
TORCH_KIND=auto
SHORTCUT=1
DRY_RUN=0
while [ $# -gt 0 ]; do
    case "$1" in
    --wheel) [ $# -ge 2 ] || die "--wheel needs a file"; WHEEL=$2; shift 2 ;;
    --wheel=*) WHEEL=${1#*=}; shift ;;
    --wheelhouse) [ $# -ge 2 ] || die "--wheelhouse needs a folder"; WHEELHOUSE=$2; shift 2 ;;
    --wheelhouse=*) WHEELHOUSE=${1#*=}; shift ;;
    --python) [ $# -ge 2 ] || die "--python needs a path"; PYTHON_ARG=$2; shift 2 ;;
    --python=*) PYTHON_ARG=${1#*=}; shift ;;
    --torch) [ $# -ge 2 ] || die "--torch needs auto, cpu or cuda"; TORCH_KIND=$2; shift 2 ;;
    --torch=*) TORCH_KIND=${1#*=}; shift ;;
    --no-shortcut) SHORTCUT=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
    esac
done
case "$TORCH_KIND" in auto | cpu | cuda) ;; *) die "--torch takes auto, cpu or cuda, not '$TORCH_KIND'" ;; esac

absolute() { # an absolute path for an existing file or folder
    if [ -d "$1" ]; then (cd "$1" && pwd); else printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"; fi
}
if [ -n "$WHEEL" ]; then
    [ -f "$WHEEL" ] || die "no such wheel: $WHEEL"
    case "$WHEEL" in *.whl) ;; *) die "--wheel wants a .whl file, not $WHEEL" ;; esac
    WHEEL=$(absolute "$WHEEL")
fi
if [ -n "$WHEELHOUSE" ]; then
    [ -d "$WHEELHOUSE" ] || die "no such folder: $WHEELHOUSE"
    WHEELHOUSE=$(absolute "$WHEELHOUSE")
fi

# ---------------------------------------------------------------- where things go
[ -n "${HOME:-}" ] || die "HOME is not set"
OS=$(uname -s)
case "$OS" in
Linux)
    DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
    APP_DATA=$DATA_HOME/$APP_NAME
    ;;
Darwin)
    APP_DATA="$HOME/Library/Application Support/$APP_NAME"
    ;;
*) die "this installer is for Linux and macOS; on Windows use installer/install.ps1" ;;
esac
VENV=$APP_DATA/app
VPY=$VENV/bin/python
APP_BIN=$VENV/bin/$APP_NAME
BIN_DIR=$HOME/.local/bin
LAUNCHER=$BIN_DIR/$APP_NAME
MANIFEST=$APP_DATA/install-manifest.txt
MAC_APP="$HOME/Applications/Heritage Tagger.app"

# Test hook (not a user feature): HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES=DIR installs only
# the app (pip --no-deps) and points the new environment at DIR's already installed
# dependencies with a .pth file, so tests need neither the network nor another copy of torch.
TEST_SITE=${HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES:-}
TEST_PTH=_heritage_tagger_test_dependencies.pth
if [ -n "$TEST_SITE" ]; then # one folder, or several separated by ":"
    old_ifs=$IFS
    IFS=:
    for folder in $TEST_SITE; do
        [ -d "$folder" ] || die "HERITAGE_TAGGER_INSTALL_TEST_SITE_PACKAGES: not a folder: $folder"
    done
    IFS=$old_ifs
    [ -n "$WHEEL" ] || [ -n "$WHEELHOUSE" ] || die "the test hook needs --wheel or --wheelhouse"
fi

# ---------------------------------------------------------------- the Python interpreter
python_version() { # prints "3.12" and succeeds when $1 is Python 3.11 or newer
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2]); sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

PY=""
if [ -n "$PYTHON_ARG" ]; then
    if [ -x "$PYTHON_ARG" ] || command -v "$PYTHON_ARG" >/dev/null 2>&1; then :; else
        die "--python $PYTHON_ARG: no such program"
    fi
    if ! version=$(python_version "$PYTHON_ARG"); then
        die "--python $PYTHON_ARG is Python ${version:-of an unknown version}; Heritage Tagger needs Python 3.11 or newer"
    fi
    PY=$PYTHON_ARG
else
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_version "$candidate" >/dev/null; then
            PY=$(command -v "$candidate")
            break
        fi
    done
    if [ -z "$PY" ]; then
        die "no Python 3.11 or newer was found. Install one (Linux: your distribution's python3.11 or newer
with its venv module; macOS: from python.org or Homebrew) and run again, or name it with --python PATH."
    fi
fi
PY_VERSION=$(python_version "$PY")

# ---------------------------------------------------------------- torch: CUDA or CPU
has_nvidia_driver() { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }
url_reachable() { # PyPI-style index reachable? (http(s) or file URL, 15 s at most)
    "$PY" - "$1" <<'EOF' >/dev/null 2>&1
import os, sys, urllib.parse, urllib.request
url = sys.argv[1].rstrip("/") + "/torch/"
if url.startswith("file:"):
    sys.exit(0 if os.path.isdir(urllib.request.url2pathname(urllib.parse.urlparse(url).path)) else 1)
try:
    urllib.request.urlopen(url, timeout=15).close()
except Exception:
    sys.exit(1)
EOF
}

TORCH_ARGS=()
TORCH_CPU_INDEX="" # set when the CPU-only index is used
TORCH_NOTE=""
if [ -n "$WHEELHOUSE" ]; then
    TORCH_NOTE="torch: the build in the wheelhouse"
elif [ -n "$TEST_SITE" ]; then
    TORCH_NOTE="torch: reused from $TEST_SITE (test hook)"
else
    kind=$TORCH_KIND
    if [ "$kind" = auto ]; then
        if has_nvidia_driver; then kind=cuda; else kind=cpu; fi
    fi
    if [ "$OS" = Darwin ]; then
        TORCH_NOTE="torch: the default macOS build"
    elif [ "$kind" = cuda ]; then
        TORCH_NOTE="torch: the CUDA build from the default index (an NVIDIA driver was found)"
    else
        index=${HERITAGE_TAGGER_TORCH_INDEX_URL:-$DEFAULT_TORCH_CPU_INDEX}
        if url_reachable "$index"; then
            TORCH_ARGS=(--extra-index-url "$index")
            TORCH_CPU_INDEX=$index
            TORCH_NOTE="torch: the CPU-only build from $index"
        else
            warn "$index cannot be reached; torch comes from the default index instead (larger download; it runs on the CPU all the same)"
            TORCH_NOTE="torch: from the default index ($index was unreachable)"
        fi
    fi
fi

# ---------------------------------------------------------------- what to install
REPO=""
if [ -z "$WHEEL" ] && [ -z "$WHEELHOUSE" ] && [ -f "$SCRIPT_DIR/../pyproject.toml" ] &&
    grep -q '^name = "heritage-tagger"' "$SCRIPT_DIR/../pyproject.toml"; then
    REPO=$(cd "$SCRIPT_DIR/.." && pwd)
fi
if [ -n "$WHEEL" ]; then
    SOURCE_NOTE="the wheel $WHEEL"
elif [ -n "$REPO" ]; then
    SOURCE_NOTE="the repository $REPO"
elif [ -n "$WHEELHOUSE" ]; then
    SOURCE_NOTE="$PYPI_NAME from the wheelhouse $WHEELHOUSE"
else
    SOURCE_NOTE="$PYPI_NAME from PyPI"
fi
PIP_OPTS=(--disable-pip-version-check --no-cache-dir)
INDEX_OPTS=()
if [ -n "$WHEELHOUSE" ]; then INDEX_OPTS=(--no-index --find-links "$WHEELHOUSE"); fi

say "Installing Heritage Tagger"
say "  from:        $SOURCE_NOTE"
say "  Python:      $PY (Python $PY_VERSION)"
say "  environment: $VENV"
say "  $TORCH_NOTE"
if [ "$DRY_RUN" = 1 ]; then
    say "  command:     $LAUNCHER"
    if [ "$OS" = Linux ]; then say "  desktop:     $DATA_HOME/applications/$APP_NAME.desktop"; fi
    if [ "$OS" = Darwin ]; then say "  app:         $MAC_APP"; fi
    say "  manifest:    $MANIFEST"
    say "  torch pip options: ${TORCH_ARGS[*]+${TORCH_ARGS[*]}}"
    say "  index pip options: ${INDEX_OPTS[*]+${INDEX_OPTS[*]}}"
    say "(dry run: nothing was changed)"
    exit 0
fi

# ---------------------------------------------------------------- the manifest
# One "kind<TAB>path" line per thing written: venv, file, tree (a folder removed whole) and
# dir (a folder this installer created; removed at uninstall when empty). A second run keeps
# the first run's lines, so folders created then are still removed.
record() {
    printf '%s\t%s\n' "$1" "$2" >>"$MANIFEST"
}
create_dirs() { # mkdir -p that prints every folder it creates, parents first
    local path=$1 missing=""
    while [ ! -d "$path" ]; do
        missing="$path
$missing"
        path=$(dirname "$path")
    done
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        mkdir "$path" || return 1
        printf '%s\n' "$path"
    done <<EOF
$missing
EOF
}
make_dir() { # mkdir -p that records every folder it creates
    local created path
    created=$(create_dirs "$1")
    while IFS= read -r path; do [ -z "$path" ] || record dir "$path"; done <<EOF
$created
EOF
}
render() { # render TEMPLATE OUT: replace @APP_BIN@ and @VERSION@
    local bin version
    bin=$(printf '%s' "$APP_BIN" | sed -e 's/[\/&|]/\\&/g')
    version=$(printf '%s' "${APP_VERSION:-0}" | sed -e 's/[\/&|]/\\&/g')
    sed -e "s|@APP_BIN@|$bin|g" -e "s|@VERSION@|$version|g" "$1" >"$2"
}

created_data_dirs=$(create_dirs "$APP_DATA")
previous=""
if [ -f "$MANIFEST" ]; then previous=$(grep -v '^#' "$MANIFEST" || true); fi
{
    printf '# Heritage Tagger install manifest, %s: what it wrote, for uninstall.sh.\n' "$MARKER"
    [ -z "$previous" ] || printf '%s\n' "$previous"
} >"$MANIFEST.new"
mv "$MANIFEST.new" "$MANIFEST"
while IFS= read -r path; do [ -z "$path" ] || record dir "$path"; done <<EOF
$created_data_dirs
EOF

# ---------------------------------------------------------------- the environment
venv_ok() {
    [ -x "$VPY" ] && [ -f "$VENV/pyvenv.cfg" ] && [ "$("$VPY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$PY_VERSION" ]
}
if [ -d "$VENV" ] && venv_ok; then
    say "Upgrading the existing environment in place."
else
    if [ -e "$VENV" ]; then
        [ -f "$VENV/pyvenv.cfg" ] || die "$VENV exists and is not a Python environment; move it away and run again"
        say "Replacing the environment (it was made with another Python)."
        rm -rf "$VENV"
    fi
    if ! "$PY" -m venv "$VENV"; then
        rm -rf "$VENV"
        die "could not create a virtual environment with $PY. On Debian or Ubuntu install the venv module first
(sudo apt install python3-venv, or python$PY_VERSION-venv), then run again."
    fi
fi
record venv "$VENV"
pip() { "$VPY" -m pip "${PIP_OPTS[@]}" "$@"; }

SITE=$("$VPY" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
rm -f "$SITE/$TEST_PTH"

if [ -z "$WHEELHOUSE" ] && [ -z "$TEST_SITE" ]; then
    pip install --quiet --upgrade pip || warn "could not upgrade pip; going on with $("$VPY" -m pip --version)"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -n "$REPO" ]; then
    # from a clean copy: an in-tree build leaves build/ in the repository, and a stale build/lib
    # can put modules deleted since into the wheel
    say "Building the app from $REPO ..."
    mkdir "$WORK/src"
    if command -v git >/dev/null 2>&1 && git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # the files git knows or would add: no virtual environment, catalogue, weights or build output
        (cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' name; do [ ! -f "$name" ] || printf '%s\0' "$name"; done |
            tar --null -T - -cf -) | (cd "$WORK/src" && tar -xf -)
    else
        (cd "$REPO" && tar -cf - --exclude=.git --exclude=.venv --exclude=build --exclude=dist \
            --exclude='*.egg-info' --exclude=__pycache__ --exclude='*.sqlite' --exclude='*.heritage' \
            --exclude='*.pth' --exclude='*.safetensors' .) | (cd "$WORK/src" && tar -xf -)
    fi
    pip wheel --quiet --no-deps --wheel-dir "$WORK" "$WORK/src"
    set -- "$WORK"/*.whl
    WHEEL=$1
fi
TARGET=${WHEEL:-$PYPI_NAME}

if [ -n "$TEST_SITE" ]; then
    say "TEST HOOK: installing only the app; dependencies come from $TEST_SITE"
    pip install --quiet --no-deps --force-reinstall "${INDEX_OPTS[@]+"${INDEX_OPTS[@]}"}" "$TARGET"
    printf '%s\n' "$TEST_SITE" | tr ':' '\n' >"$SITE/$TEST_PTH"
else
    if [ -z "$WHEELHOUSE" ]; then
        say "Installing torch (this can take several minutes) ..."
        pip install --upgrade-strategy only-if-needed "${TORCH_ARGS[@]+"${TORCH_ARGS[@]}"}" "${TORCH_REQUIREMENTS[@]}"
    fi
    say "Installing Heritage Tagger and its dependencies ..."
    pip install --upgrade --upgrade-strategy only-if-needed "${INDEX_OPTS[@]+"${INDEX_OPTS[@]}"}" "$TARGET"
    # the same version again (a rebuilt wheel) replaces the app's own files, not its dependencies
    pip install --quiet --no-deps --force-reinstall "${INDEX_OPTS[@]+"${INDEX_OPTS[@]}"}" "$TARGET"
fi

APP_VERSION=$("$APP_BIN" --version | awk '{print $NF}') || die "the installed app does not start: $APP_BIN --version failed"
if [ -z "$WHEELHOUSE" ] && [ -z "$TEST_SITE" ] && [ -n "$TORCH_CPU_INDEX" ]; then
    if [ "$("$VPY" -c 'import torch; print(torch.version.cuda is None)' 2>/dev/null)" = False ]; then
        warn "a CUDA build of torch was installed although a CPU-only one was asked for (the CPU index had no matching release); it runs on the CPU all the same"
    fi
fi

# ---------------------------------------------------------------- icon files in the installed package
RESOURCES=$("$VPY" -c 'from heritage_tagger.settings import resources_dir; print(resources_dir())' 2>/dev/null || true)
icon_file() { # icon_file png|svg: the app icon, from the installed package, else from this repository
    local candidate
    for candidate in "${RESOURCES:-/nonexistent}/icons/$APP_NAME.$1" "$SCRIPT_DIR/../resources/icons/$APP_NAME.$1"; do
        if [ -f "$candidate" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------- the heritage-tagger command
make_dir "$BIN_DIR"
if [ -e "$LAUNCHER" ] && ! grep -q "$MARKER" "$LAUNCHER" 2>/dev/null; then
    warn "$LAUNCHER exists and was not written by this installer; left as it is. The app is $APP_BIN"
else
    render "$TEMPLATES/launcher.sh.in" "$LAUNCHER"
    chmod 755 "$LAUNCHER"
    record file "$LAUNCHER"
fi

# ---------------------------------------------------------------- desktop entry or .app
if [ "$SHORTCUT" = 1 ] && [ "$OS" = Linux ]; then
    apps=$DATA_HOME/applications
    make_dir "$apps"
    render "$TEMPLATES/$APP_NAME.desktop.in" "$apps/$APP_NAME.desktop"
    record file "$apps/$APP_NAME.desktop"
    for kind in png svg; do
        if source_icon=$(icon_file "$kind"); then
            if [ "$kind" = png ]; then size=256x256; else size=scalable; fi
            folder=$DATA_HOME/icons/hicolor/$size/apps
            make_dir "$folder"
            cp "$source_icon" "$folder/$APP_NAME.$kind"
            record file "$folder/$APP_NAME.$kind"
        else
            warn "the $kind icon is missing from the package; the menu entry gets a generic icon"
        fi
    done
elif [ "$SHORTCUT" = 1 ] && [ "$OS" = Darwin ]; then
    make_dir "$HOME/Applications"
    rm -rf "$MAC_APP"
    mkdir -p "$MAC_APP/Contents/MacOS" "$MAC_APP/Contents/Resources"
    record tree "$MAC_APP"
    render "$TEMPLATES/Info.plist.in" "$MAC_APP/Contents/Info.plist"
    render "$TEMPLATES/macos-launcher.sh.in" "$MAC_APP/Contents/MacOS/$APP_NAME"
    chmod 755 "$MAC_APP/Contents/MacOS/$APP_NAME"
    if source_icon=$(icon_file png) && command -v sips >/dev/null 2>&1; then
        sips -s format icns "$source_icon" --out "$MAC_APP/Contents/Resources/$APP_NAME.icns" >/dev/null 2>&1 ||
            warn "could not convert the icon; the app gets a generic icon"
    fi
fi

# ---------------------------------------------------------------- done
awk '!seen[$0]++' "$MANIFEST" >"$MANIFEST.new" && mv "$MANIFEST.new" "$MANIFEST"
cp "$SCRIPT_DIR/uninstall.sh" "$VENV/uninstall.sh" && chmod 755 "$VENV/uninstall.sh"

say ""
say "Heritage Tagger $APP_VERSION is installed."
say "  Start it from the applications menu, or with: $APP_NAME gui"
say "  Uninstall with: bash \"$VENV/uninstall.sh\" (catalogues and models are kept)"
case ":$PATH:" in
*":$BIN_DIR:"*) ;;
*)
    say ""
    say "Note: $BIN_DIR is not on your PATH, so the command '$APP_NAME' is not found yet."
    if [ "$OS" = Darwin ]; then profile="$HOME/.zprofile"; else profile="$HOME/.profile"; fi
    say "  Add this line to $profile and open a new terminal:"
    say "    export PATH=\"\$HOME/.local/bin:\$PATH\""
    ;;
esac
