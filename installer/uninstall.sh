#!/usr/bin/env bash
# Uninstall Heritage Tagger on Linux or macOS: removes exactly what install.sh wrote (its manifest
# lists it) and keeps the user's data (catalogues, their .heritage folders, models) unless --purge.
#
# Self-contained on purpose: install.sh copies it into the installed environment, so that it
# works after the repository is gone. Written for bash 3.2 (macOS) as well as newer versions.
set -euo pipefail

APP_NAME=heritage-tagger
MARKER="written by installer/install.sh"

usage() {
    cat <<EOF
Usage: $0 [--purge [--yes]] [--dry-run]

Removes Heritage Tagger's environment, the heritage-tagger command, the menu entry and icon
(Linux) or the .app launcher (macOS). Catalogues and models are kept.

Options:
  --purge     also delete your data: the data folder (the default catalogue, its .heritage
              folder, models) and the app's preferences. Asks first.
  --yes       do not ask before --purge deletes your data
  --dry-run   print what would be removed, change nothing
  -h, --help  show this help
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'uninstall.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'uninstall.sh: error: %s\n' "$*" >&2
    exit 1
}

PURGE=0
YES=0
DRY_RUN=0
while [ $# -gt 0 ]; do
    case "$1" in
    --purge) PURGE=1 ;;
    --yes | -y) YES=1 ;;
    --dry-run) DRY_RUN=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done

[ -n "${HOME:-}" ] || die "HOME is not set"
OS=$(uname -s)
case "$OS" in
Linux)
    DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
    APP_DATA=$DATA_HOME/$APP_NAME
    ;;
Darwin)
    DATA_HOME=""
    APP_DATA="$HOME/Library/Application Support/$APP_NAME"
    ;;
*) die "this uninstaller is for Linux and macOS; on Windows use installer/uninstall.ps1" ;;
esac
CONFIG_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/$APP_NAME # Qt's INI preferences, on Linux and macOS
CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/$APP_NAME
if [ "$OS" = Darwin ]; then CACHE_DIR="$HOME/Library/Caches/$APP_NAME"; fi
VENV=$APP_DATA/app
MANIFEST=$APP_DATA/install-manifest.txt

safe_path() { # refuse to delete "", "/", $HOME or relative paths
    case "$1" in
    "" | / | "$HOME" | "$HOME/") return 1 ;;
    /*) return 0 ;;
    *) return 1 ;;
    esac
}
remove() { # remove KIND PATH
    local kind=$1 path=$2
    safe_path "$path" || { warn "skipped an unsafe path: '$path'"; return 0; }
    case "$kind" in
    file)
        if [ -e "$path" ] || [ -L "$path" ]; then
            say "  removing $path"
            [ "$DRY_RUN" = 1 ] || rm -f "$path"
        fi
        ;;
    tree | venv)
        if [ -d "$path" ]; then
            if [ "$kind" = venv ] && [ ! -f "$path/pyvenv.cfg" ]; then
                warn "$path is not a Python environment; left alone"
                return 0
            fi
            say "  removing $path"
            [ "$DRY_RUN" = 1 ] || rm -rf "$path"
        fi
        ;;
    dir)
        # a folder the installer created: removed only when nothing else lives in it
        if [ -d "$path" ] && [ "$DRY_RUN" = 0 ]; then rmdir "$path" 2>/dev/null || true; fi
        ;;
    esac
}

ENTRIES=""
if [ -f "$MANIFEST" ]; then
    ENTRIES=$(grep -v '^#' "$MANIFEST" || true)
else
    # no manifest (an interrupted install, or an older one): the places install.sh writes to
    say "No install manifest at $MANIFEST; looking in the usual places."
    launcher=$HOME/.local/bin/$APP_NAME
    if [ -f "$launcher" ] && grep -q "$MARKER" "$launcher" 2>/dev/null; then
        ENTRIES="file	$launcher"
    fi
    ENTRIES="$ENTRIES
venv	$VENV"
    if [ "$OS" = Linux ]; then
        desktop=$DATA_HOME/applications/$APP_NAME.desktop
        if [ -f "$desktop" ] && grep -q "X-Heritage-Tagger-Installer" "$desktop" 2>/dev/null; then
            ENTRIES="$ENTRIES
file	$desktop
file	$DATA_HOME/icons/hicolor/256x256/apps/$APP_NAME.png
file	$DATA_HOME/icons/hicolor/scalable/apps/$APP_NAME.svg"
        fi
    else
        ENTRIES="$ENTRIES
tree	$HOME/Applications/Heritage Tagger.app"
    fi
fi

if [ -z "$(printf '%s' "$ENTRIES" | grep -v '^dir' | while IFS="	" read -r kind path; do
    { [ -e "$path" ] || [ -L "$path" ]; } && printf x
done)" ] && [ "$PURGE" = 0 ]; then
    say "Heritage Tagger is not installed for $(id -un 2>/dev/null || printf 'this user') (nothing to remove)."
    exit 0
fi

DATA_FOLDERS=("$APP_DATA" "$CONFIG_DIR" "$CACHE_DIR")
if [ "$PURGE" = 1 ]; then # ask before anything is removed
    say "--purge deletes your data as well:"
    for path in "${DATA_FOLDERS[@]}"; do
        if [ -e "$path" ]; then say "  $path"; fi
    done
    say "Catalogues kept elsewhere (opened with --catalogue or from the File menu) are not touched."
    if [ "$YES" = 0 ]; then
        if [ ! -t 0 ]; then die "--purge without --yes needs a terminal to ask on; nothing was removed"; fi
        printf 'Delete these folders for good? Type "yes": '
        read -r answer
        if [ "$answer" != yes ]; then
            say "Your data will be kept."
            PURGE=0
        fi
    fi
    say ""
fi

say "Removing Heritage Tagger:"
# files and trees first, then the data (--purge), the manifest, and the folders the installer
# made, deepest first, where nothing else lives in them
while IFS="	" read -r kind path; do
    [ -n "$kind" ] || continue
    case "$kind" in file | tree | venv) remove "$kind" "$path" ;; esac
done <<EOF
$ENTRIES
EOF
if [ "$PURGE" = 1 ]; then
    for path in "${DATA_FOLDERS[@]}"; do remove tree "$path"; done
fi
remove file "$MANIFEST"
dirs=$(printf '%s\n' "$ENTRIES" | awk -F '\t' '$1 == "dir" { print $2 }' | awk '{ a[NR] = $0 } END { for (i = NR; i > 0; i--) print a[i] }')
while IFS= read -r path; do
    [ -z "$path" ] || remove dir "$path"
done <<EOF
$dirs
EOF

if [ "$PURGE" = 1 ]; then
    say "Your Heritage Tagger data was deleted."
elif [ -d "$APP_DATA" ]; then
    say "Your data was kept in $APP_DATA (uninstall.sh --purge deletes it)."
fi
say "Heritage Tagger was uninstalled."
