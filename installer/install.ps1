<#
.SYNOPSIS
Installs Heritage Tagger for the current Windows user (no administrator rights needed).

.DESCRIPTION
Creates an isolated Python environment in %LOCALAPPDATA%\heritage-tagger\app, installs the app
and its dependencies into it (a CUDA build of torch where nvidia-smi works, else the CPU-only
build; PyPI's Windows wheels are CPU-only, so the CUDA build comes from PyTorch's index,
overridable with the environment variable HERITAGE_TAGGER_TORCH_INDEX_URL), writes a heritage-tagger.cmd launcher in %LOCALAPPDATA%\heritage-tagger\bin (added to the
user's PATH) and a Start-menu shortcut, and records what it wrote in
%LOCALAPPDATA%\heritage-tagger\install-manifest.txt for uninstall.ps1. Running it again
upgrades in place. Catalogues and models in %LOCALAPPDATA%\heritage-tagger are never touched.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File installer\install.ps1
.EXAMPLE
powershell -ExecutionPolicy Bypass -File installer\install.ps1 -Wheelhouse D:\wheelhouse
#>
[CmdletBinding()]
param(
    [string]$Wheel = "",          # install the app from this wheel
    [string]$Wheelhouse = "",     # install with no network, only from the wheels in this folder
    [string]$Python = "",         # the Python 3.11+ interpreter (default: the py launcher, else python)
    [ValidateSet("auto", "cpu", "cuda")]
    [string]$Torch = "auto",      # which torch build
    [switch]$NoShortcut           # no Start-menu shortcut
)

$ErrorActionPreference = "Stop"
$AppName = "heritage-tagger"
$DefaultCudaIndex = "https://download.pytorch.org/whl/cu126"
$TorchRequirements = @("torch>=2.4,<3", "torchvision>=0.19,<1")   # as in pyproject.toml

$AppData = Join-Path $env:LOCALAPPDATA $AppName
$Venv = Join-Path $AppData "app"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$AppExe = Join-Path $Venv "Scripts\heritage-tagger.exe"
$BinDir = Join-Path $AppData "bin"
$Launcher = Join-Path $BinDir "heritage-tagger.cmd"
$Manifest = Join-Path $AppData "install-manifest.txt"
$StartMenu = Join-Path ([Environment]::GetFolderPath("Programs")) "Heritage Tagger.lnk"
$RepoRoot = Split-Path -Parent $PSScriptRoot

function Fail([string]$Message) {
    Write-Host "install.ps1: error: $Message" -ForegroundColor Red
    exit 1
}

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { Fail "$Exe $($Arguments -join ' ') failed (exit code $LASTEXITCODE)" }
}

function Add-ManifestLine([string]$Kind, [string]$Path) {
    Add-Content -LiteralPath $Manifest -Value "$Kind`t$Path" -Encoding UTF8
}

# ------------------------------------------------------------------ the Python interpreter
function Get-PythonVersion([string[]]$Command) {
    $exe = $Command[0]
    $rest = @($Command | Select-Object -Skip 1)
    try {
        $version = & $exe @rest -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
    } catch {
        return $null
    }
    if ($LASTEXITCODE -ne 0 -or -not $version) { return $null }
    return [version]("$version".Trim())
}

$PythonCommand = $null
if ($Python) {
    $version = Get-PythonVersion @($Python)
    if (-not $version) { Fail "-Python $Python does not run" }
    if ($version -lt [version]"3.11") { Fail "-Python $Python is Python $version; Heritage Tagger needs Python 3.11 or newer" }
    $PythonCommand = @($Python)
} else {
    foreach ($candidate in @(@("py", "-3.13"), @("py", "-3.12"), @("py", "-3.11"), @("python"))) {
        if (-not (Get-Command $candidate[0] -ErrorAction SilentlyContinue)) { continue }
        $version = Get-PythonVersion $candidate
        if ($version -and $version -ge [version]"3.11") { $PythonCommand = $candidate; break }
    }
    if (-not $PythonCommand) {
        Fail "no Python 3.11 or newer was found. Install it from python.org (tick 'Add python.exe to PATH') and run again, or name it with -Python C:\path\to\python.exe"
    }
}

# ------------------------------------------------------------------ what to install
if ($Wheel) {
    if (-not (Test-Path -LiteralPath $Wheel -PathType Leaf)) { Fail "no such wheel: $Wheel" }
    $Wheel = (Resolve-Path -LiteralPath $Wheel).Path
}
if ($Wheelhouse) {
    if (-not (Test-Path -LiteralPath $Wheelhouse -PathType Container)) { Fail "no such folder: $Wheelhouse" }
    $Wheelhouse = (Resolve-Path -LiteralPath $Wheelhouse).Path
}
$FromRepo = (-not $Wheel) -and (-not $Wheelhouse) -and (Test-Path (Join-Path $RepoRoot "pyproject.toml")) -and
    (Select-String -Path (Join-Path $RepoRoot "pyproject.toml") -Pattern '^name = "heritage-tagger"' -Quiet)

$TorchArgs = @()
if ($Wheelhouse) {
    $TorchNote = "torch: the build in the wheelhouse"
} else {
    $kind = $Torch
    if ($kind -eq "auto") {
        $kind = "cpu"
        if (Get-Command nvidia-smi -ErrorAction SilentlyContinue) {
            try {
                & nvidia-smi -L *> $null
                if ($LASTEXITCODE -eq 0) { $kind = "cuda" }
            } catch {
                $kind = "cpu"
            }
        }
    }
    if ($kind -eq "cuda") {
        # PyPI's Windows torch wheels are CPU-only: the CUDA ones come from PyTorch's own index
        $index = $DefaultCudaIndex
        if ($env:HERITAGE_TAGGER_TORCH_INDEX_URL) { $index = $env:HERITAGE_TAGGER_TORCH_INDEX_URL }
        $reachable = $true
        try {
            Invoke-WebRequest -Uri ($index.TrimEnd("/") + "/torch/") -Method Head -TimeoutSec 15 -UseBasicParsing | Out-Null
        } catch {
            $reachable = $false
        }
        if ($reachable) {
            $TorchArgs = @("--extra-index-url", $index)
            $TorchNote = "torch: the CUDA build from $index (an NVIDIA driver was found)"
        } else {
            Write-Host "install.ps1: warning: $index cannot be reached; installing the CPU build of torch instead" -ForegroundColor Yellow
            $TorchNote = "torch: the CPU build from the default index ($index was unreachable)"
        }
    } else {
        $TorchNote = "torch: the CPU build from the default index"
    }
}

Write-Host "Installing Heritage Tagger"
Write-Host "  Python:      $($PythonCommand -join ' ')"
Write-Host "  environment: $Venv"
Write-Host "  $TorchNote"

# ------------------------------------------------------------------ the manifest
New-Item -ItemType Directory -Force -Path $AppData | Out-Null
$previous = @()
if (Test-Path -LiteralPath $Manifest) { $previous = @(Get-Content -LiteralPath $Manifest | Where-Object { $_ -notmatch '^#' }) }
Set-Content -LiteralPath $Manifest -Value "# Heritage Tagger install manifest, written by installer/install.ps1: what it wrote, for uninstall.ps1." -Encoding UTF8
foreach ($line in $previous) { Add-Content -LiteralPath $Manifest -Value $line -Encoding UTF8 }

# ------------------------------------------------------------------ the environment
if ((Test-Path -LiteralPath $VenvPython) -and (Get-PythonVersion @($VenvPython)) -eq (Get-PythonVersion $PythonCommand)) {
    Write-Host "Upgrading the existing environment in place."
} else {
    if (Test-Path -LiteralPath $Venv) {
        if (-not (Test-Path -LiteralPath (Join-Path $Venv "pyvenv.cfg"))) { Fail "$Venv exists and is not a Python environment; move it away and run again" }
        Remove-Item -LiteralPath $Venv -Recurse -Force
    }
    $exe = $PythonCommand[0]
    $rest = @($PythonCommand | Select-Object -Skip 1)
    Invoke-Checked $exe ($rest + @("-m", "venv", $Venv))
}
Add-ManifestLine "venv" $Venv

$PipOptions = @("-m", "pip", "--disable-pip-version-check", "--no-cache-dir")
$IndexOptions = @()
if ($Wheelhouse) { $IndexOptions = @("--no-index", "--find-links", $Wheelhouse) }
if (-not $Wheelhouse) {
    & $VenvPython @PipOptions install --quiet --upgrade pip
}

$Work = Join-Path ([IO.Path]::GetTempPath()) ("heritage-tagger-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $Work | Out-Null
try {
    if ($FromRepo) {
        Write-Host "Building the app from $RepoRoot ..."
        Invoke-Checked $VenvPython ($PipOptions + @("wheel", "--quiet", "--no-deps", "--wheel-dir", $Work, $RepoRoot))
        $Wheel = (Get-ChildItem -Path $Work -Filter "*.whl" | Select-Object -First 1).FullName
    }
    $Target = if ($Wheel) { $Wheel } else { "heritage-tagger" }
    if (-not $Wheelhouse) {
        Write-Host "Installing torch (this can take several minutes) ..."
        Invoke-Checked $VenvPython ($PipOptions + @("install", "--upgrade-strategy", "only-if-needed") + $TorchArgs + $TorchRequirements)
    }
    Write-Host "Installing Heritage Tagger and its dependencies ..."
    Invoke-Checked $VenvPython ($PipOptions + @("install", "--upgrade", "--upgrade-strategy", "only-if-needed") + $IndexOptions + @($Target))
    Invoke-Checked $VenvPython ($PipOptions + @("install", "--quiet", "--no-deps", "--force-reinstall") + $IndexOptions + @($Target))
} finally {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

$AppVersion = (& $AppExe --version)
if ($LASTEXITCODE -ne 0) { Fail "the installed app does not start: $AppExe --version failed" }

# ------------------------------------------------------------------ launcher, PATH, shortcut
New-Item -ItemType Directory -Force -Path $BinDir | Out-Null
Set-Content -LiteralPath $Launcher -Encoding ASCII -Value @(
    "@echo off",
    "rem Heritage Tagger launcher, written by installer/install.ps1 (uninstall.ps1 removes it).",
    "`"%~dp0..\app\Scripts\heritage-tagger.exe`" %*"
)
Add-ManifestLine "file" $Launcher
Add-ManifestLine "dir" $BinDir

$userPath = [Environment]::GetEnvironmentVariable("Path", "User")
if (-not $userPath) { $userPath = "" }
if (($userPath -split ";") -notcontains $BinDir) {
    $newPath = if ($userPath) { "$userPath;$BinDir" } else { $BinDir }
    [Environment]::SetEnvironmentVariable("Path", $newPath, "User")
    Add-ManifestLine "path" $BinDir
    Write-Host "Added $BinDir to your PATH (new terminals will find 'heritage-tagger')."
}

if (-not $NoShortcut) {
    # a Windows icon made from the package's PNG with Pillow (a dependency), kept inside the environment
    $ico = Join-Path $Venv "heritage-tagger.ico"
    $makeIcon = "import sys; from PIL import Image; from heritage_tagger.settings import resources_dir; " +
        "Image.open(resources_dir() / 'icons' / 'heritage-tagger.png').save(sys.argv[1], sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])"
    & $VenvPython -c $makeIcon $ico
    $shell = New-Object -ComObject WScript.Shell
    $shortcut = $shell.CreateShortcut($StartMenu)
    $shortcut.TargetPath = Join-Path $Venv "Scripts\pythonw.exe"   # no console window
    $shortcut.Arguments = "-m heritage_tagger gui"
    $shortcut.WorkingDirectory = $env:USERPROFILE
    $shortcut.Description = "Catalogue heritage photographs and review suggested subject tags"
    if (Test-Path -LiteralPath $ico) { $shortcut.IconLocation = "$ico,0" }
    $shortcut.Save()
    Add-ManifestLine "file" $StartMenu
}

Copy-Item -LiteralPath (Join-Path $PSScriptRoot "uninstall.ps1") -Destination (Join-Path $Venv "uninstall.ps1") -Force
$lines = @(Get-Content -LiteralPath $Manifest | Select-Object -Unique)
Set-Content -LiteralPath $Manifest -Value $lines -Encoding UTF8

Write-Host ""
Write-Host "$AppVersion is installed."
Write-Host "  Start it from the Start menu (Heritage Tagger), or with: heritage-tagger gui"
Write-Host "  Uninstall with: powershell -ExecutionPolicy Bypass -File `"$(Join-Path $Venv 'uninstall.ps1')`""
