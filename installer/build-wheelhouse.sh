#!/usr/bin/env bash
# Build a wheelhouse: a folder holding Heritage Tagger's wheel and a wheel of every dependency,
# for `install.sh --wheelhouse DIR` / `install.ps1 -Wheelhouse DIR` on a computer with no network
# (a reading room). Run it on a computer with network and the target's operating system; by default
# the wheels are for this computer's platform and Python; --platform and --python-version fetch
# them for another Python version or CPU of the same operating system.
set -euo pipefail

DEFAULT_TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu
SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)

usage() {
    cat <<EOF
Usage: $0 [options]

Options:
  --out DIR              the wheelhouse folder (default: ./wheelhouse)
  --wheel FILE           Heritage Tagger's wheel (default: built from the repository this script is in)
  --python PATH          the Python that runs pip (default: python3); without --platform the
                         wheels are for this Python's version and this computer's platform
  --platform TAG         fetch binary wheels for another platform of this operating system
                         (repeatable), e.g. manylinux_2_28_x86_64, manylinux_2_28_aarch64,
                         macosx_14_0_arm64, macosx_13_0_x86_64
  --python-version X.Y   with --platform: the target's Python version (3.11 or newer)
  --torch KIND           cpu (default on Linux): PyTorch's CPU-only wheels, much smaller;
                         pypi (default on macOS): PyPI's torch (the CUDA build on Linux x86_64);
                         or an index URL, e.g. https://download.pytorch.org/whl/cu126 (a CUDA version)
  -h, --help             show this help

Environment:
  HERITAGE_TAGGER_TORCH_INDEX_URL  the index for --torch cpu (default: $DEFAULT_TORCH_CPU_INDEX)

Examples:
  $0 --out wheelhouse-linux                                   # this Linux computer, CPU torch
  $0 --out wheelhouse-py312 --platform manylinux_2_28_x86_64 --python-version 3.12
  $0 --out wheelhouse-cuda --torch pypi                        # Linux with NVIDIA GPUs
  $0 --out wheelhouse-mac                                      # on a Mac
EOF
}

die() {
    printf 'build-wheelhouse.sh: error: %s\n' "$*" >&2
    exit 1
}

OUT=wheelhouse
WHEEL=""
PY=python3
PLATFORMS=()
N_PLATFORMS=0
PY_TARGET=""
TORCH="" # cpu on Linux, pypi on macOS
while [ $# -gt 0 ]; do
    case "$1" in
    --out) OUT=$2; shift 2 ;;
    --wheel) WHEEL=$2; shift 2 ;;
    --python) PY=$2; shift 2 ;;
    --platform) PLATFORMS+=("$2"); N_PLATFORMS=$((N_PLATFORMS + 1)); shift 2 ;;
    --python-version) PY_TARGET=$2; shift 2 ;;
    --torch) TORCH=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
    esac
done

"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null || die "$PY does not run (name a Python with --python)"
if [ "$N_PLATFORMS" -gt 0 ] && [ -z "$PY_TARGET" ]; then die "--platform needs --python-version"; fi
# pip evaluates dependency markers (platform_system == "Linux" ...) for the computer it runs on,
# not for --platform: a wheelhouse for another operating system comes out wrong or not at all
HOST_OS=$(uname -s)
for tag in ${PLATFORMS[@]+"${PLATFORMS[@]}"}; do
    case "$HOST_OS:$tag" in
    Linux:*linux*) ;;
    Darwin:macosx*) ;;
    *) die "--platform $tag: pip cannot collect wheels for another operating system ($HOST_OS here);
build this wheelhouse on a computer with the target's operating system (installer/README.md says how on Windows)" ;;
    esac
done
if [ -n "$PY_TARGET" ]; then
    case "$PY_TARGET" in 3.1[1-9]) ;; *) die "--python-version $PY_TARGET: Heritage Tagger needs Python 3.11 or newer" ;; esac
elif ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    die "$PY is older than Python 3.11: name a newer one with --python, or the target's with --python-version"
fi

if [ -z "$TORCH" ]; then
    if [ "$HOST_OS" = Darwin ]; then TORCH=pypi; else TORCH=cpu; fi
fi
case "$TORCH" in
cpu)
    index=${HERITAGE_TAGGER_TORCH_INDEX_URL:-$DEFAULT_TORCH_CPU_INDEX}
    if ! "$PY" - "$index" <<'EOF' >/dev/null 2>&1; then
import os, sys, urllib.parse, urllib.request
url = sys.argv[1].rstrip("/") + "/torch/"
if url.startswith("file:"):
    sys.exit(0 if os.path.isdir(urllib.request.url2pathname(urllib.parse.urlparse(url).path)) else 1)
urllib.request.urlopen(url, timeout=15).close()
EOF
        die "$index (CPU-only torch) cannot be reached; set HERITAGE_TAGGER_TORCH_INDEX_URL to a mirror, or use --torch pypi"
    fi
    TORCH_ARGS=(--extra-index-url "$index")
    ;;
pypi) TORCH_ARGS=() ;;
http://* | https://* | file:*) TORCH_ARGS=(--extra-index-url "$TORCH") ;;
*) die "--torch takes cpu, pypi or an index URL, not '$TORCH'" ;;
esac

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
pip() { "$PY" -m pip --disable-pip-version-check "$@"; }

if [ -z "$WHEEL" ]; then
    [ -f "$SCRIPT_DIR/../pyproject.toml" ] || die "no --wheel given and no repository around this script"
    echo "Building Heritage Tagger's wheel from $(cd "$SCRIPT_DIR/.." && pwd) ..."
    built=$(mktemp -d)
    trap 'rm -rf "$built"' EXIT
    # from a clean copy, as install.sh does: an in-tree build leaves build/ in the repository
    repo=$(cd "$SCRIPT_DIR/.." && pwd)
    mkdir "$built/src"
    if command -v git >/dev/null 2>&1 && git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' name; do [ ! -f "$name" ] || printf '%s\0' "$name"; done |
            tar --null -T - -cf -) | (cd "$built/src" && tar -xf -)
    else
        (cd "$repo" && tar -cf - --exclude=.git --exclude=.venv --exclude=build --exclude=dist \
            --exclude='*.egg-info' --exclude=__pycache__ --exclude='*.sqlite' --exclude='*.heritage' \
            --exclude='*.pth' --exclude='*.safetensors' .) | (cd "$built/src" && tar -xf -)
    fi
    pip wheel --quiet --no-deps --wheel-dir "$built" "$built/src"
    set -- "$built"/heritage_tagger-*.whl
    cp "$1" "$OUT/"
    WHEEL=$OUT/$(basename "$1")
else
    [ -f "$WHEEL" ] || die "no such wheel: $WHEEL"
    cp "$WHEEL" "$OUT/"
    WHEEL=$OUT/$(basename "$WHEEL")
fi

if [ "$N_PLATFORMS" -eq 0 ]; then
    echo "Collecting wheels of every dependency for this computer (Python $("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')) ..."
    pip wheel --wheel-dir "$OUT" --prefer-binary "${TORCH_ARGS[@]+"${TORCH_ARGS[@]}"}" "$WHEEL"
else
    # pip matches --platform literally: a manylinux_2_28 or macosx_14_0 computer also runs wheels
    # built for older glibc or macOS versions, so name those too
    PLATFORM_ARGS=()
    for tag in "${PLATFORMS[@]}"; do
        PLATFORM_ARGS+=(--platform "$tag")
        case "$tag" in
        manylinux_2_*_*)
            rest=${tag#manylinux_2_}
            glibc=${rest%%_*}
            arch=${rest#*_}
            minor=$glibc
            while [ "$minor" -ge 5 ]; do
                PLATFORM_ARGS+=(--platform "manylinux_2_${minor}_$arch")
                minor=$((minor - 1))
            done
            [ "$glibc" -lt 17 ] || PLATFORM_ARGS+=(--platform "manylinux2014_$arch")
            [ "$glibc" -lt 12 ] || PLATFORM_ARGS+=(--platform "manylinux2010_$arch")
            PLATFORM_ARGS+=(--platform "manylinux1_$arch")
            ;;
        macosx_*_0_*)
            rest=${tag#macosx_}
            major=${rest%%_*}
            arch=${rest#*_0_}
            while [ "$major" -ge 11 ]; do
                PLATFORM_ARGS+=(--platform "macosx_${major}_0_$arch" --platform "macosx_${major}_0_universal2")
                major=$((major - 1))
            done
            if [ "$arch" = x86_64 ]; then
                for minor in 15 14 13 12 11 10 9; do PLATFORM_ARGS+=(--platform "macosx_10_${minor}_x86_64"); done
            fi
            ;;
        esac
    done
    echo "Downloading wheels for ${PLATFORMS[*]}, Python $PY_TARGET ..."
    abi=cp${PY_TARGET/./}
    pip download --dest "$OUT" --only-binary=:all: "${PLATFORM_ARGS[@]}" --python-version "$PY_TARGET" \
        --implementation cp --abi "$abi" --abi abi3 --abi none "${TORCH_ARGS[@]+"${TORCH_ARGS[@]}"}" "$WHEEL"
fi

# the installer travels with the wheels, so the folder is all the offline computer needs
mkdir -p "$OUT/installer/templates"
cp "$SCRIPT_DIR"/install.sh "$SCRIPT_DIR"/uninstall.sh "$SCRIPT_DIR"/install.ps1 "$SCRIPT_DIR"/uninstall.ps1 \
    "$SCRIPT_DIR"/README.md "$OUT/installer/"
cp "$SCRIPT_DIR"/templates/* "$OUT/installer/templates/"

{
    echo "Heritage Tagger wheelhouse, made $(date -u '+%Y-%m-%d %H:%M UTC') by installer/build-wheelhouse.sh"
    echo "app:      $(basename "$WHEEL")"
    if [ "$N_PLATFORMS" -gt 0 ]; then
        echo "platform: ${PLATFORMS[*]}"
    else
        echo "platform: $("$PY" -c 'import sysconfig; print(sysconfig.get_platform())') (this computer)"
    fi
    echo "python:   ${PY_TARGET:-$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}"
    for torch_wheel in "$OUT"/torch-*.whl; do echo "torch:    $(basename "$torch_wheel")"; done
} >"$OUT/WHEELHOUSE.txt"

echo
set -- "$OUT"/*.whl
echo "Wheelhouse ready: $OUT ($# wheels, $(du -sh "$OUT" | cut -f1))"
name=$(basename "$OUT")
echo "Copy the folder to the computer without network and run there:"
echo "  Linux, macOS:  bash $name/installer/install.sh --wheelhouse $name"
echo "  Windows:       powershell -ExecutionPolicy Bypass -File $name\\installer\\install.ps1 -Wheelhouse $name"
