<#
.SYNOPSIS
Uninstalls Heritage Tagger for the current Windows user.

.DESCRIPTION
Removes exactly what install.ps1 wrote (listed in %LOCALAPPDATA%\heritage-tagger\install-manifest.txt):
the environment, the heritage-tagger.cmd launcher and its PATH entry, and the Start-menu shortcut.
Catalogues and models are kept unless -Purge is given (then it asks first, unless -Yes).

.EXAMPLE
powershell -ExecutionPolicy Bypass -File "$env:LOCALAPPDATA\heritage-tagger\app\uninstall.ps1"
#>
[CmdletBinding()]
param(
    [switch]$Purge,   # also delete the data folder (catalogues, models) and the preferences
    [switch]$Yes      # do not ask before -Purge deletes data
)

$ErrorActionPreference = "Stop"
$AppName = "heritage-tagger"
$AppData = Join-Path $env:LOCALAPPDATA $AppName
$Manifest = Join-Path $AppData "install-manifest.txt"
$Venv = Join-Path $AppData "app"
$ConfigDir = Join-Path $env:APPDATA $AppName   # Qt's INI preferences on Windows

function Remove-PathEntry([string]$Folder) {
    $userPath = [Environment]::GetEnvironmentVariable("Path", "User")
    if (-not $userPath) { return }
    $kept = @($userPath -split ";" | Where-Object { $_ -and ($_ -ne $Folder) })
    [Environment]::SetEnvironmentVariable("Path", ($kept -join ";"), "User")
}

$entries = @()
if (Test-Path -LiteralPath $Manifest) {
    $entries = @(Get-Content -LiteralPath $Manifest | Where-Object { $_ -and ($_ -notmatch '^#') })
} else {
    Write-Host "No install manifest at $Manifest; looking in the usual places."
    $programs = [Environment]::GetFolderPath("Programs")
    $entries = @(
        "venv`t$Venv",
        "file`t$(Join-Path $AppData 'bin\heritage-tagger.cmd')",
        "dir`t$(Join-Path $AppData 'bin')",
        "path`t$(Join-Path $AppData 'bin')",
        "file`t$(Join-Path $programs 'Heritage Tagger.lnk')"
    )
}

Write-Host "Removing Heritage Tagger:"
$folders = @()
foreach ($entry in $entries) {
    $kind, $path = $entry -split "`t", 2
    if (-not $path) { continue }
    switch ($kind) {
        "file" {
            if (Test-Path -LiteralPath $path) { Write-Host "  removing $path"; Remove-Item -LiteralPath $path -Force }
        }
        "venv" {
            if (Test-Path -LiteralPath (Join-Path $path "pyvenv.cfg")) {
                Write-Host "  removing $path"
                # this script may run from inside the environment: PowerShell has read it already
                try {
                    Remove-Item -LiteralPath $path -Recurse -Force
                } catch {
                    Write-Host "uninstall.ps1: error: could not remove $path. Close Heritage Tagger and run this again." -ForegroundColor Red
                    exit 1
                }
            }
        }
        "path" { Remove-PathEntry $path }
        "dir" { $folders += $path }
    }
}
if (Test-Path -LiteralPath $Manifest) { Remove-Item -LiteralPath $Manifest -Force }
[array]::Reverse($folders)
foreach ($folder in $folders) {
    if ((Test-Path -LiteralPath $folder) -and -not (Get-ChildItem -LiteralPath $folder -Force)) {
        Remove-Item -LiteralPath $folder -Force
    }
}

if ($Purge) {
    Write-Host ""
    Write-Host "-Purge deletes your data as well:"
    foreach ($folder in @($AppData, $ConfigDir)) { if (Test-Path -LiteralPath $folder) { Write-Host "  $folder" } }
    Write-Host "Catalogues kept elsewhere (opened from the File menu) are not touched."
    if (-not $Yes) {
        $answer = Read-Host 'Delete these folders for good? Type "yes"'
        if ($answer -ne "yes") { Write-Host "Your data was kept."; exit 0 }
    }
    foreach ($folder in @($AppData, $ConfigDir)) {
        if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force }
    }
    Write-Host "Your Heritage Tagger data was deleted."
} elseif (Test-Path -LiteralPath $AppData) {
    if (-not (Get-ChildItem -LiteralPath $AppData -Force)) {
        Remove-Item -LiteralPath $AppData -Force
    } else {
        Write-Host "Your data was kept in $AppData (uninstall.ps1 -Purge deletes it)."
    }
}
Write-Host "Heritage Tagger was uninstalled."
