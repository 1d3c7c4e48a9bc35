<#
.SYNOPSIS
Installs the mythos skill for Claude Code by copying skills/mythos from this checkout.

.DESCRIPTION
Default target: $env:CLAUDE_CONFIG_DIR\skills\mythos, or $HOME\.claude\skills\mythos.
With -Project: .\.claude\skills\mythos in the current directory.

Running it again is safe: an identical install is left alone. An install that differs from
this checkout is moved to <skills dir>\.mythos-backups\ first, never overwritten.
Works in Windows PowerShell 5.1 and PowerShell 7. Keep this file ASCII-only.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\install.ps1
.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\install.ps1 -Project -DryRun
#>
[CmdletBinding()]
param(
    [switch]$Project,
    [switch]$Uninstall,
    [switch]$DryRun,
    [switch]$Help,
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]]$Rest
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Write-Usage {
    @'
Usage: install.ps1 [-Project] [-Uninstall] [-DryRun] [-Help]

Installs the mythos skill for Claude Code from this checkout.

  (no option)   install for you: $env:CLAUDE_CONFIG_DIR\skills\mythos
                or $HOME\.claude\skills\mythos
  -Project      install for this project: .\.claude\skills\mythos
  -Uninstall    remove the installed skill
  -DryRun       print what would happen and change nothing
  -Help         show this help

Running it again is safe: an identical install is left alone. An install that
differs from this checkout is moved to <skills dir>\.mythos-backups\ first,
never overwritten. Then start a new Claude Code session and type:
  /mythos <question>
'@
}

function Stop-WithError([int]$Code, [string]$Message) {
    [Console]::Error.WriteLine("install.ps1: $Message")
    exit $Code
}

# Report: one line, phrased for a real run or for -DryRun.
function Write-Report([string]$Done, [string]$WouldDo) {
    if ($DryRun) { Write-Output "[dry run] would $WouldDo" } else { Write-Output $Done }
}

if ($Help) { Write-Usage; exit 0 }
if ($Rest -and $Rest.Count -gt 0) {
    [Console]::Error.WriteLine("install.ps1: unknown option: $($Rest[0])")
    [Console]::Error.WriteLine('')
    [Console]::Error.WriteLine((Write-Usage))
    exit 2
}

$RepoRoot = Split-Path -Parent $PSScriptRoot
$Src = Join-Path (Join-Path $RepoRoot 'skills') 'mythos'

if ($Project) {
    $SkillsDir = Join-Path (Join-Path (Get-Location).ProviderPath '.claude') 'skills'
} else {
    $ConfigDir = $env:CLAUDE_CONFIG_DIR
    if ([string]::IsNullOrEmpty($ConfigDir)) {
        if ([string]::IsNullOrEmpty($HOME)) {
            Stop-WithError 2 'neither CLAUDE_CONFIG_DIR nor HOME is set; cannot tell where Claude Code keeps its skills'
        }
        $ConfigDir = Join-Path $HOME '.claude'
    }
    $SkillsDir = Join-Path $ConfigDir 'skills'
}
$Target = Join-Path $SkillsDir 'mythos'
$BackupRoot = Join-Path $SkillsDir '.mythos-backups'

# The skill must be complete: SKILL.md plus every reference file it names.
function Assert-Checkout {
    $missing = @()
    $skillMd = Join-Path $Src 'SKILL.md'
    if (-not (Test-Path -LiteralPath $skillMd -PathType Leaf)) {
        $missing += 'skills/mythos/SKILL.md'
    } else {
        $names = @(Select-String -LiteralPath $skillMd -AllMatches `
                -Pattern 'CLAUDE_SKILL_DIR\}/references/([A-Za-z0-9._-]+\.md)' |
            ForEach-Object { $_.Matches } |
            ForEach-Object { $_.Groups[1].Value } |
            Sort-Object -Unique)
        foreach ($name in $names) {
            $path = Join-Path (Join-Path $Src 'references') $name
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { $missing += "skills/mythos/references/$name" }
        }
    }
    if ($missing.Count -gt 0) {
        Stop-WithError 2 ("incomplete checkout at $RepoRoot, missing: " + ($missing -join ' ') +
            "`nClone the whole repository (or run 'node scripts/sync-skill.mjs' in it) and try again.")
    }
}

function Test-Installed {
    return [bool](Get-ChildItem -LiteralPath $SkillsDir -Force -ErrorAction SilentlyContinue |
            Where-Object { $_.Name -eq 'mythos' })
}

# One line per file, "relative/path SHA256", sorted: equal strings mean equal trees.
function Get-TreeFingerprint([string]$Dir) {
    $root = (Resolve-Path -LiteralPath $Dir).ProviderPath.TrimEnd('\', '/')
    $lines = Get-ChildItem -LiteralPath $Dir -Recurse -Force -File | ForEach-Object {
        $relative = $_.FullName.Substring($root.Length + 1).Replace('\', '/')
        $hash = (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash
        "$relative $hash"
    }
    return (@($lines) | Sort-Object) -join "`n"
}

# True when the installed copy is a real folder with exactly the checkout's files.
function Test-UpToDate {
    if (-not (Test-Path -LiteralPath $Target -PathType Container)) { return $false }
    $item = Get-Item -LiteralPath $Target -Force
    if ([int]($item.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) { return $false }
    return (Get-TreeFingerprint $Src) -eq (Get-TreeFingerprint $Target)
}

# Moves the current install aside to a fresh timestamped folder.
function Backup-Install {
    $base = Join-Path $BackupRoot ('mythos-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
    $path = $base
    $n = 1
    while (Test-Path -LiteralPath $path) { $path = "$base-$n"; $n++ }
    if (-not $DryRun) {
        New-Item -ItemType Directory -Force -Path $BackupRoot | Out-Null
        Move-Item -LiteralPath $Target -Destination $path
    }
    Write-Report "Moved the existing install (it differs from this checkout) to $path" `
        "move the existing install at $Target (it differs from this checkout) to $path"
}

function Invoke-Uninstall {
    if (-not (Test-Installed)) {
        Write-Output "The mythos skill is not installed at $Target; nothing to do."
        return
    }
    if (Test-UpToDate) {
        if (-not $DryRun) { Remove-Item -LiteralPath $Target -Recurse -Force }
        Write-Report "Removed the mythos skill from $Target" "remove the mythos skill from $Target"
    } else {
        Backup-Install
        Write-Report "Uninstalled: nothing is left at $Target" "leave nothing at $Target"
    }
    if (Test-Path -LiteralPath $BackupRoot -PathType Container) {
        Write-Output "Earlier backups remain in $BackupRoot; delete them when you no longer need them."
    }
}

function Invoke-Install {
    Assert-Checkout
    if (Test-UpToDate) {
        Write-Output "The mythos skill at $Target is already up to date."
        return
    }
    if ($DryRun) {
        if (Test-Installed) { Backup-Install }
        Write-Output "[dry run] would copy $Src to $Target"
        return
    }
    # Stage the copy next to the target, nested one level down so Claude Code never sees a
    # half-written skill, then swap it in.
    New-Item -ItemType Directory -Force -Path $SkillsDir | Out-Null
    $staging = Join-Path $SkillsDir ('.mythos-install.' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $staging | Out-Null
    try {
        $staged = Join-Path $staging 'mythos'
        Copy-Item -LiteralPath $Src -Destination $staged -Recurse -Force
        if (Test-Installed) { Backup-Install }
        Move-Item -LiteralPath $staged -Destination $Target
    } finally {
        Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue
    }
    Write-Output "Installed the mythos skill to $Target"
    Write-Output 'Start a new Claude Code session and type: /mythos <question>'
}

if ($Uninstall) { Invoke-Uninstall } else { Invoke-Install }
exit 0
