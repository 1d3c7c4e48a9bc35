<#
.SYNOPSIS
Guided calibration of the mythos skill in Claude Code; writes calibration-report-YYYYMMDD-HHMM.md.

.DESCRIPTION
For each calibration case and mode in calibration/cases.json it prints the /mythos line to paste
into Claude Code, then judges what Claude Code did: a pasted reply ended by a line END (checked
with `mythos check` when the CLI is built in this checkout or on PATH), or answers to a few
questions. The report has the format `mythos calibrate` writes (src/check/calibration-report.ts)
and the same checks as install/calibrate.sh. Run with -Help for the answers file format.
Works in Windows PowerShell 5.1 and PowerShell 7. Keep this file ASCII-only: the report's few
non-ASCII characters are made with [char] below.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\calibrate.ps1
.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\calibrate.ps1 -Case pivot-or-stay -Modes agent
.EXAMPLE
powershell -ExecutionPolicy Bypass -File install\calibrate.ps1 -Answers answers.txt
#>
[CmdletBinding()]
param(
    [string[]]$Case,
    [string]$Modes = 'silent,trace,agent',
    [string]$Out,
    [string]$Answers,
    [switch]$Help,
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]]$Rest
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Write-Usage {
    @'
Usage: calibrate.ps1 [-Case ID[,ID...]] [-Modes LIST] [-Out DIR] [-Answers FILE] [-Help]

Walks through the calibration cases (calibration/cases.json) in Claude Code and
writes calibration-report-YYYYMMDD-HHMM.md, the report `mythos calibrate`
writes for the CLI.

  -Case ID        only these cases, comma-separated (default: every case)
  -Modes LIST     comma-separated from silent,trace,agent (default: all three)
  -Out DIR        where the report goes (default: install\ in this checkout)
  -Answers FILE   read answers from FILE (- for stdin) instead of asking
  -Help           show this help

For each case and mode it prints the line to paste into Claude Code, e.g.
  /mythos quick Our startup has ...
then asks for the reply Claude Code printed, ended by a line END. The reply is
judged with `mythos check` when the CLI is built in this checkout or on PATH.
Type a instead to answer questions about the reply, or s to skip the case.

Answers file (read from stdin too when stdin is redirected): one block of
`key: value` lines per case and mode, blocks separated by a line ---, lines
starting with # ignored. Cases and modes without a block are skipped.
  case: sqlite-vs-postgres
  mode: silent
  observed-mode: silent
  lens-path: Clarify, Deepen, Challenge
  depth: 3
  convergence: converged
  dispatch: n/a
  tensions: n/a
  ---
Keys:
  case, mode      which run the block is about (mode: silent, trace or agent)
  observed-mode   the mode Claude Code used: direct, silent, trace or agent
  lens-path       the lenses in order, comma or arrow separated (or none)
  depth           rounds, latent passes or subagents; a number or unknown
  convergence     converged, stopped or unknown
  dispatch        how subagents ran: parallel, sequential or n/a
  tensions        did the agent Merge keep a real tension: y, n or n/a
  transcript-file a saved reply to judge with `mythos check` instead of the
                  observed-mode .. tensions answers (dispatch still applies);
                  a relative path is read from the answers file's folder

Exit status: 0 every check passed, 1 a check failed, 2 bad usage.

Environment:
  MYTHOS_CLI      the mythos command that judges transcripts, or none
                  (default: node dist\cli\index.cjs here, else mythos)
  MYTHOS_CALIBRATE_INTERACTIVE=1  ask even when stdin is redirected
'@
}

function Stop-WithError([int]$Code, [string]$Message) {
    [Console]::Error.WriteLine("calibrate.ps1: $Message")
    exit $Code
}

function Stop-WithUsage([string]$Message) {
    [Console]::Error.WriteLine("calibrate.ps1: $Message")
    [Console]::Error.WriteLine('')
    [Console]::Error.WriteLine((Write-Usage))
    exit 2
}

# Dialogue and progress go to stderr; stdout carries only the report path.
function Write-Note([string]$Text) { [Console]::Error.WriteLine($Text) }

if ($Help) { Write-Usage; exit 0 }
if ($Rest -and $Rest.Count -gt 0) { Stop-WithUsage "unknown option: $($Rest[0])" }

$Arrow = [string][char]0x2192   # joins a lens path in the report
$EmDash = [string][char]0x2014  # the report's "unknown" cell
$MidDot = [string][char]0x00B7  # "### case . mode"
$Times = [string][char]0x00D7   # "2 x Steelman"
$Source = '`install/calibrate.ps1` in Claude Code'
$AllModes = @('silent', 'trace', 'agent')
$AnswerKeys = @('case', 'mode', 'observed-mode', 'lens-path', 'depth', 'convergence', 'dispatch', 'tensions', 'transcript-file')
$Utf8 = New-Object System.Text.UTF8Encoding $false

$RepoRoot = Split-Path -Parent $PSScriptRoot
$CasesJson = Join-Path (Join-Path $RepoRoot 'calibration') 'cases.json'
if (-not $Out) { $Out = Join-Path $RepoRoot 'install' }

# A property of a JSON object, or $null when absent (StrictMode forbids reading a missing one).
function Get-Prop($Object, [string]$Name) {
    $p = $Object.PSObject.Properties[$Name]
    if ($p) { return $p.Value }
    return $null
}

# --- Cases ------------------------------------------------------------------------------------

function Read-Cases {
    if (-not (Test-Path -LiteralPath $CasesJson -PathType Leaf)) {
        Stop-WithError 1 "cannot find $CasesJson; run this script from a full checkout"
    }
    try {
        $file = [IO.File]::ReadAllText($CasesJson, [Text.Encoding]::UTF8) | ConvertFrom-Json
        return @($file.cases)
    } catch {
        Stop-WithError 1 "malformed calibration file ${CasesJson}: $($_.Exception.Message)"
    }
}

# The selected cases in the file's order, like `mythos calibrate --case`.
function Select-Cases($Cases) {
    $ids = @($Cases | ForEach-Object { $_.id })
    $wanted = @($Case | Where-Object { $_ } | ForEach-Object { $_.Split(',') } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    foreach ($id in $wanted) {
        if ($ids -cnotcontains $id) { Stop-WithError 2 ("unknown case $id (cases: " + ($ids -join ', ') + ')') }
    }
    return @($Cases | Where-Object { $wanted.Count -eq 0 -or $wanted -ccontains $_.id })
}

function Select-Modes {
    $selected = @()
    foreach ($m in $Modes.Split(',')) {
        $m = $m.Trim()
        if ($AllModes -cnotcontains $m) { Stop-WithError 2 "--modes takes silent, trace and agent; got `"$m`"" }
        $selected += $m
    }
    return $selected
}

# --- The mythos CLI ---------------------------------------------------------------------------
# This checkout's own build comes first: its checker matches its cases.json. MYTHOS_CLI
# overrides (none turns transcript judging off).

function Get-MythosCli {
    if ($env:MYTHOS_CLI) {
        if ($env:MYTHOS_CLI -eq 'none') { return @() }
        return @($env:MYTHOS_CLI)
    }
    $index = Join-Path (Join-Path (Join-Path $RepoRoot 'dist') 'cli') 'index.cjs'
    if ((Test-Path -LiteralPath $index -PathType Leaf) -and (Get-Command node -ErrorAction SilentlyContinue)) {
        return @('node', $index)
    }
    if (Get-Command mythos -ErrorAction SilentlyContinue) { return @('mythos') }
    return @()
}

# Runs `mythos check --mode <mode> --json` and returns its checks, or one saying why it could not.
function Invoke-MythosCheck([string]$File, [string]$Mode) {
    if ($Cli.Count -eq 0) {
        return @(New-Check 'mythos-check' $false 'not run: no mythos CLI (npm run build in this checkout, or put mythos on PATH)')
    }
    $exe = $Cli[0]
    $pre = @()
    if ($Cli.Count -gt 1) { $pre = @($Cli[1..($Cli.Count - 1)]) }
    $errFile = [IO.Path]::GetTempFileName()
    $savedPreference = $ErrorActionPreference
    $savedEncoding = [Console]::OutputEncoding
    try {
        # Native stderr must not become a terminating error, and the JSON is UTF-8.
        $ErrorActionPreference = 'Continue'
        try { [Console]::OutputEncoding = $Utf8 } catch { $null = $_ }
        $stdout = & $exe @pre 'check' '--mode' $Mode '--json' $File 2>$errFile
        $code = $LASTEXITCODE
    } catch {
        $stdout = $null
        $code = 127
    } finally {
        $ErrorActionPreference = $savedPreference
        try { [Console]::OutputEncoding = $savedEncoding } catch { $null = $_ }
    }
    $firstError = @(Get-Content -LiteralPath $errFile -ErrorAction SilentlyContinue) | Select-Object -First 1
    Remove-Item -LiteralPath $errFile -Force -ErrorAction SilentlyContinue
    if ($code -le 1) {
        try {
            $report = (@($stdout) -join "`n") | ConvertFrom-Json
            return @($report.checks | ForEach-Object { New-Check $_.id ([bool]$_.pass) (Format-OneLine $_.detail) })
        } catch { $null = $_ }
    }
    return @(New-Check 'mythos-check' $false "mythos check could not judge the transcript (exit $code): $firstError")
}

# --- Lenses -----------------------------------------------------------------------------------
# Lens names are matched like src/check/vocabulary.ts: decorations dropped (`**Deepen**`,
# `Steelman (pro)`, `Clarify x2` counts twice), case and spaces ignored. Every lens name is
# Title-Case-With-Hyphens, so canonical spelling needs no copy of the lens list.

function ConvertTo-Lenses([string]$Raw) {
    $s = $Raw -replace '[*`_]', ''
    $s = $s -replace '\s*\([^)]*\)\s*$', ''
    $times = 1
    $m = [regex]::Match($s, '\s*[x\u00D7]\s*(\d+)\s*$', 'IgnoreCase')
    if ($m.Success) { $times = [int]$m.Groups[1].Value; $s = $s.Substring(0, $m.Index) }
    $s = ($s -replace '[.:;,]+$', '').Trim()
    if (-not $s -or $times -lt 1) { return @() }
    $parts = ($s.ToLowerInvariant() -replace '[\s_-]+', '-').Split('-')
    $name = @($parts | ForEach-Object { if ($_.Length -gt 0) { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) } else { '' } }) -join '-'
    return @(1..$times | ForEach-Object { $name })
}

# A lens path as typed or as a footer prints it: comma or arrow separated.
function Split-LensPath([string]$Text) {
    $t = $Text.Trim()
    if (@('', 'none', 'n/a', '-') -contains $t.ToLowerInvariant()) { return @() }
    $t = $t -replace '\([^)]*\)', ''  # a note in parentheses may hold a comma
    $lenses = @()
    foreach ($part in ($t -split '\u2192|->|>|,')) { $lenses += @(ConvertTo-Lenses $part) }
    return $lenses
}

# --- Reading a transcript ---------------------------------------------------------------------
# What the report and the expectations need from a reply, with src/check/parse-transcript.ts's
# own patterns: the last footer, round and subagent headings before the Answer, the first
# dispatch line and the first Merge's Tensions field.

$FooterPattern = '^Depth:\s*(.+?)\.\s*Mode:\s*([A-Za-z-]+)\s*\.?\s*(?:Lens path:\s*(.*?))?\s*$'
$LabelPattern = '\*\*([^*:\n]{1,40}?)(?::\*\*|\*\*\s*:)'

function Get-Unwrapped([string]$Line) {
    $m = [regex]::Match($Line.Trim(), '^([*_`]+)(.*?)([*_`]+)$')
    if ($m.Success) { return $m.Groups[2].Value.Trim() }
    return $Line.Trim()
}

function Read-Footer([string]$Line, $Facts) {
    $m = [regex]::Match((Get-Unwrapped $Line), $FooterPattern, 'IgnoreCase')
    if (-not $m.Success) { return $false }
    $Facts.Mode = $m.Groups[2].Value.ToLowerInvariant()
    $Facts.FooterLenses = @()
    if ($m.Groups[3].Success) { $Facts.FooterLenses = @(Split-LensPath $m.Groups[3].Value) }
    $depthText = $m.Groups[1].Value.Trim()
    $rounds = [regex]::Match($depthText, '^(\d+)\s+rounds?(?:\s*,\s*(converged|stopped)\s+at\s+round\s+(\d+)(?:\s*:\s*(.+))?)?$', 'IgnoreCase')
    $latent = [regex]::Match($depthText, '^(\d+)\s+latent\s+pass(?:es)?$', 'IgnoreCase')
    $agents = [regex]::Match($depthText, '^(\d+)\s+parallel\s+subagents?(\s+merged|,\s+not\s+merged)$', 'IgnoreCase')
    if ($rounds.Success) {
        $Facts.Depth = [int]$rounds.Groups[1].Value
        if ($rounds.Groups[2].Success) {
            $Facts.Convergence = $rounds.Groups[2].Value.ToLowerInvariant() + ' at round ' + $rounds.Groups[3].Value
            if ($rounds.Groups[4].Success) { $Facts.Convergence += ': ' + $rounds.Groups[4].Value.Trim().ToLowerInvariant() }
        }
    } elseif ($latent.Success) {
        $Facts.Depth = [int]$latent.Groups[1].Value
    } elseif ($agents.Success) {
        $Facts.Depth = [int]$agents.Groups[1].Value
        $Facts.Convergence = if ($agents.Groups[2].Value -match 'not') { 'not merged' } else { 'merged' }
    }
    return $true
}

# The labelled fields on a Merge line, or the line as a continuation of the last one.
function Read-MergeLine([string]$Line, $State) {
    $text = $Line -replace '^[-*+]\s+(?=\*\*)', ''
    $labels = [regex]::Matches($text, $LabelPattern)
    if ($labels.Count -eq 0 -or $labels[0].Index -ne 0) {
        if ($State.LastLabel -eq 'tensions') {
            $State.Tensions = if ($State.Tensions) { $State.Tensions + ' ' + $Line.Trim() } else { $Line.Trim() }
        }
        return
    }
    for ($i = 0; $i -lt $labels.Count; $i++) {
        $start = $labels[$i].Index + $labels[$i].Length
        $end = if ($i + 1 -lt $labels.Count) { $labels[$i + 1].Index } else { $text.Length }
        $value = ($text.Substring($start, $end - $start).Trim() -replace '\s*\|$', '').Trim()
        $label = ($labels[$i].Groups[1].Value.Trim().ToLowerInvariant() -replace '\s+', ' ')
        if ($label -eq 'tensions' -and $null -eq $State.Tensions) { $State.Tensions = $value }
        $State.LastLabel = $label
    }
}

function Read-Transcript([string]$Path) {
    $text = [IO.File]::ReadAllText($Path, [Text.Encoding]::UTF8) -replace '^\uFEFF', ''
    # Claude Code exports prefix a reply with U+23FA and indent it; neither carries meaning.
    $lines = @(($text -replace '\r\n?', "`n").Split("`n") | ForEach-Object { ($_ -replace '^\s*\u23FA\s?', '').Trim() })
    $facts = New-Facts
    $footerAt = -1
    for ($i = $lines.Count - 1; $i -ge 0; $i--) {
        if (Read-Footer $lines[$i] $facts) { $footerAt = $i; break }
    }
    $bodyEnd = if ($footerAt -ge 0) { $footerAt } else { $lines.Count }
    $protocolEnd = $bodyEnd
    for ($i = 0; $i -lt $bodyEnd; $i++) {
        if (($lines[$i] -replace '\*\*', '') -match '^#{1,3}\s+Answer\s*$') { $protocolEnd = $i; break }
    }
    $rounds = @()
    $subagents = @()
    $roundCount = 0
    $subagentCount = 0
    $state = @{ Section = ''; LastLabel = $null; Tensions = $null; Merged = $false }
    for ($i = 0; $i -lt $protocolEnd; $i++) {
        $line = $lines[$i]
        $heading = [regex]::Match($line, '^#{1,4}\s+(.+?)\s*#*$')
        if ($heading.Success) {
            $title = ($heading.Groups[1].Value -replace '\*\*', '').Trim()
            $state.Section = ''
            $state.LastLabel = $null
            $round = [regex]::Match($title, '^Round\s+(\d+)\s*(?::|\u2014|\u2013|-)\s*(.+)$', 'IgnoreCase')
            $subagent = [regex]::Match($title, '^Subagent\s+([A-Z])\s*(?:\u2014|\u2013|-|:)\s*(.+)$')
            # A heading is one round or subagent whatever it says, so a `x2` there counts once.
            if ($round.Success) {
                $roundCount++
                $rounds += @(ConvertTo-Lenses $round.Groups[2].Value | Select-Object -First 1)
            } elseif ($subagent.Success) {
                $subagentCount++
                $subagents += @(ConvertTo-Lenses $subagent.Groups[2].Value | Select-Object -First 1)
            }
            elseif ($title -match '^Merge$' -and -not $state.Merged) { $state.Merged = $true; $state.Section = 'merge' }
            continue
        }
        if ((Get-Unwrapped $line) -match '^\[?\s*Dispatching\s+(\d+)\s+parallel\s+subagents?\s*:') {
            $state.LastLabel = $null
            continue
        }
        if ($state.Section -eq 'merge' -and $line) { Read-MergeLine $line $state }
    }
    $facts.Rounds = $roundCount
    $facts.Subagents = $subagentCount
    # The lenses the transcript's own mode applied, chosen as lensSequence() chooses them.
    $mode = $facts.Mode
    if ($mode -eq 'agent' -or ($mode -ne 'trace' -and $mode -ne 'silent' -and $subagentCount -gt 0)) { $facts.Lenses = $subagents }
    elseif ($mode -eq 'trace' -or ($mode -ne 'silent' -and $roundCount -gt 0)) { $facts.Lenses = $rounds }
    else { $facts.Lenses = $facts.FooterLenses }
    $facts.Merge = $state.Merged
    $facts.Tensions = if ($null -eq $state.Tensions) { '' } else { [string]$state.Tensions }
    return $facts
}

# --- What was observed ------------------------------------------------------------------------
# One set of facts per case x mode, from answers or from a transcript; the expectations only
# ever look at these.

function New-Facts {
    return @{
        Mode = 'none'; Lenses = @(); FooterLenses = @(); Rounds = 0; Subagents = 0; Depth = $null
        Convergence = 'unknown'; Dispatch = 'n/a'; Merge = $false; Tensions = ''
    }
}

function ConvertFrom-Answers($A) {
    $facts = New-Facts
    $facts.Mode = $A['observed-mode']
    $facts.Lenses = @(Split-LensPath ([string]$A['lens-path']))
    if ($A['depth'] -ne '') { $facts.Depth = [int]$A['depth'] }
    $facts.Convergence = $A['convergence']
    $facts.Dispatch = $A['dispatch']
    # Depth counts what the observed mode shows: rounds in trace, subagents in agent (as the CLI
    # counts round or subagent sections). Unknown depth falls back to one per lens.
    $n = if ($null -ne $facts.Depth) { $facts.Depth } else { $facts.Lenses.Count }
    if ($facts.Mode -eq 'trace') { $facts.Rounds = $n }
    if ($facts.Mode -eq 'agent') { $facts.Subagents = $n }
    if ($A['tensions'] -eq 'yes') { $facts.Merge = $true; $facts.Tensions = 'kept (observed in Claude Code)' }
    if ($A['tensions'] -eq 'no') { $facts.Merge = $true; $facts.Tensions = 'none' }
    return $facts
}

# --- Checks -----------------------------------------------------------------------------------
# Ids and details follow src/check/expectations.ts so a report reads the same from either tool.

function New-Check([string]$Id, [bool]$Pass, [string]$Detail) {
    return [pscustomobject]@{ Id = $Id; Pass = $Pass; Detail = $Detail }
}

function Format-OneLine([string]$Text) { return ($Text -replace '\s*\n\s*', ' ') }

function Test-Expectation($E, $Facts) {
    $kind = $E.kind
    $note = $E.note
    $value = Get-Prop $E 'value'
    $lenses = @($Facts.Lenses)
    $n = $lenses.Count
    switch ($kind) {
        'mode-is' { return New-Check 'expect-mode-is' ($Facts.Mode -ceq $value) "mode $($Facts.Mode); expected: $note" }
        'max-lenses' { return New-Check 'expect-max-lenses' ($n -le $value) "$n lenses (at most $value); expected: $note" }
        'lenses-between' {
            return New-Check 'expect-lenses-between' ($n -ge $E.min -and $n -le $E.max) "$n lenses ($($E.min)..$($E.max)); expected: $note"
        }
        'rounds-between' {
            $r = $Facts.Rounds
            return New-Check 'expect-rounds-between' ($r -ge $E.min -and $r -le $E.max) "$r visible rounds ($($E.min)..$($E.max)); expected: $note"
        }
        'min-subagents' {
            return New-Check 'expect-min-subagents' ($Facts.Subagents -ge $value) "$($Facts.Subagents) subagents (at least $value); expected: $note"
        }
        'includes-lens' {
            $among = if ($lenses -ccontains $value) { 'among' } else { 'not among' }
            $seen = if ($n -gt 0) { $lenses -join ', ' } else { '(no lenses)' }
            return New-Check "expect-includes-lens-$($value.ToLowerInvariant())" ($among -eq 'among') "$value $among ${seen}; expected: $note"
        }
        'lens-count-at-least' {
            $lens = $E.lens
            $count = @($lenses | Where-Object { $_ -ceq $lens }).Count
            return New-Check "expect-lens-count-at-least-$($lens.ToLowerInvariant())" ($count -ge $value) "$count $Times $lens (at least $value); expected: $note"
        }
        'last-lens-is' {
            $last = if ($n -gt 0) { $lenses[$n - 1] } else { '(none)' }
            return New-Check "expect-last-lens-is-$($value.ToLowerInvariant())" ($last -ceq $value) "last lens ${last}; expected: $note"
        }
        'nonempty-tensions' { return Test-Tensions $Facts $note }
    }
    Stop-WithError 1 "calibration/cases.json uses the expectation kind $kind, which this script does not know; update install/calibrate.ps1"
}

# A tension is only kept when it names one: "none", "n/a", "no tensions", "-" do not.
function Test-Tensions($Facts, [string]$Note) {
    if (-not $Facts.Merge) { return New-Check 'expect-nonempty-tensions' $false "no Merge section; expected: $Note" }
    $text = ([string]$Facts.Tensions).Trim()
    $empty = '^[\s[(]*(?:none\b|n/a\b|no (?:real |genuine )?tensions?\b|nothing\b|-+\s*$|\u2014\s*$)'
    $ok = $text -ne '' -and -not [regex]::IsMatch($text, $empty, 'IgnoreCase')
    $shown = if ($text) { $text } else { '(empty)' }
    return New-Check 'expect-nonempty-tensions' $ok "Tensions: ${shown}; expected: $Note"
}

# Agent mode exists for parallel dispatch; only a person watching Claude Code can see it.
function Test-Concurrency([string]$Dispatch) {
    if ($Dispatch -eq 'parallel') { return New-Check 'agent-concurrent' $true 'subagents were seen running in parallel' }
    if ($Dispatch -eq 'sequential') {
        return New-Check 'agent-concurrent' $false 'subagents ran one after another; parallel dispatch is the whole point of agent mode'
    }
    return New-Check 'agent-concurrent' $false 'dispatch not observed (parallel or sequential?)'
}

# --- Asking -----------------------------------------------------------------------------------

# The value as the script stores it, or $null when invalid. Answers are case-insensitive.
function ConvertTo-Answer([string]$Key, [string]$Value) {
    $v = $Value.Trim()
    $l = $v.ToLowerInvariant()
    if ($Key -eq 'mode') { if ($AllModes -contains $l) { return $l } else { return $null } }
    if ($Key -eq 'observed-mode') { if (@('direct') + $AllModes -contains $l) { return $l } else { return $null } }
    if ($Key -eq 'depth') {
        if (@('', 'unknown', '-', 'n/a') -contains $l) { return '' }
        if ($l -match '^[0-9]+$') { return [string][int]$l }
        return $null
    }
    if ($Key -eq 'convergence') {
        $word = ([regex]::Match($l, '^[a-z]*')).Value
        if (@('', 'unknown') -contains $word) { return 'unknown' }
        if (@('converged', 'stopped') -contains $word) { return $v }
        return $null
    }
    if ($Key -eq 'dispatch') {
        if (@('', 'n/a', 'none', '-') -contains $l) { return 'n/a' }
        if (@('parallel', 'sequential') -contains $l) { return $l }
        return $null
    }
    if ($Key -eq 'tensions') {
        if (@('y', 'yes') -contains $l) { return 'yes' }
        if (@('n', 'no') -contains $l) { return 'no' }
        if (@('', 'n/a', '-') -contains $l) { return 'n/a' }
        return $null
    }
    return $v
}

function Get-Hint([string]$Key) {
    switch ($Key) {
        'mode' { return 'silent, trace or agent' }
        'observed-mode' { return 'direct, silent, trace or agent' }
        'depth' { return 'a whole number, or unknown' }
        'convergence' { return 'converged, stopped or unknown' }
        'dispatch' { return 'parallel, sequential or n/a' }
        'tensions' { return 'y, n or n/a' }
    }
    return ''
}

# A line of the dialogue; input that ends mid-session leaves no report behind.
function Read-Reply {
    $line = [Console]::In.ReadLine()
    if ($null -eq $line) { Stop-WithError 2 'input ended before calibration finished; no report written' }
    return $line.TrimEnd("`r")
}

function Read-Answer([string]$Key, [string]$Question) {
    while ($true) {
        [Console]::Error.Write("$Question ")
        $answer = ConvertTo-Answer $Key (Read-Reply)
        if ($null -ne $answer) { return $answer }
        Write-Note "  Please answer $(Get-Hint $Key)."
    }
}

function Read-Questions([string]$Mode) {
    $a = @{ 'dispatch' = 'n/a'; 'tensions' = 'n/a' }
    $a['observed-mode'] = Read-Answer 'observed-mode' "Mode it ran in (the footer's Mode: direct, silent, trace or agent):"
    $a['lens-path'] = Read-Answer 'lens-path' "Lens path in order (footer Lens path, or the rounds' or subagents' lenses; comma separated):"
    $a['depth'] = Read-Answer 'depth' 'Depth (rounds shown, latent passes or subagents; unknown if not shown):'
    $a['convergence'] = Read-Answer 'convergence' 'Convergence (converged, stopped or unknown):'
    if ($Mode -eq 'agent') {
        $a['dispatch'] = Read-Answer 'dispatch' 'Did the subagents run in parallel (all started together) or sequential (one after another)?'
        $a['tensions'] = Read-Answer 'tensions' 'Did the Merge keep a real tension between positions, not a compromise? (y/n):'
    }
    return ConvertFrom-Answers $a
}

# Reads a pasted reply up to a line END; returns 'answer', 'skip' or the pasted text.
function Read-Paste {
    $text = New-Object System.Text.StringBuilder
    $first = $true
    while ($true) {
        $line = [Console]::In.ReadLine()
        if ($null -eq $line) {
            if ($first) { Stop-WithError 2 'input ended before calibration finished; no report written' }
            break
        }
        $line = $line.TrimEnd("`r")
        $t = $line.Trim()
        if ($first) {
            if ($t -eq '') { continue }
            if ($t -eq 'a') { return 'answer' }
            if ($t -eq 's') { return 'skip' }
            $first = $false
        }
        if ($t -ceq 'END') { break }
        [void]$text.Append($line).Append("`n")
    }
    return $text.ToString()
}

# Facts and mythos check results for one case x mode, asked in the terminal; $null to skip.
function Invoke-Interactive($C, [string]$Mode, [string]$Invocation) {
    Write-Note ''
    Write-Note "== $($C.id) $MidDot $Mode ($script:RunNumber of $script:RunTotal)"
    Write-Note 'Paste this into a new Claude Code session:'
    Write-Note ''
    Write-Note "  $Invocation"
    Write-Note ''
    if ($Cli.Count -gt 0) {
        Write-Note 'Then paste its whole reply here and a line END, or type a to answer questions instead, s to skip:'
        $pasted = Read-Paste
    } else {
        Write-Note 'Then press Enter to answer questions about its reply (no mythos CLI to judge a pasted one), or s to skip:'
        $pasted = if ((Read-Reply).Trim() -eq 's') { 'skip' } else { 'answer' }
    }
    if ($pasted -eq 'skip') { return $null }
    if ($pasted -eq 'answer') { return @{ Facts = (Read-Questions $Mode); Checks = @() } }
    $file = [IO.Path]::GetTempFileName()
    try {
        [IO.File]::WriteAllText($file, $pasted, $Utf8)
        $checks = @(Invoke-MythosCheck $file $Mode)
        $facts = Read-Transcript $file
    } finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
    if ($Mode -eq 'agent' -and $facts.Mode -eq 'agent') {
        $facts.Dispatch = Read-Answer 'dispatch' 'Did the subagents run in parallel (all started together) or sequential (one after another)?'
    }
    return @{ Facts = $facts; Checks = $checks }
}

# --- Answers file -----------------------------------------------------------------------------
# Parsed up front, so a mistake anywhere stops the run before any report is written.

function Complete-Block($Block, [int]$Line, $Blocks, [string]$Name) {
    if ($Block.Count -eq 0) { return }
    if (-not $Block.ContainsKey('case') -or -not $Block.ContainsKey('mode')) {
        Stop-WithError 2 "$Name line ${Line}: a block needs case: and mode:"
    }
    $key = $Block['case'] + ' ' + $Block['mode']
    if ($Blocks.ContainsKey($key)) { Stop-WithError 2 "$Name line ${Line}: a second block for $($Block['case']) $MidDot $($Block['mode'])" }
    if ($Block.ContainsKey('transcript-file')) {
        foreach ($k in @('observed-mode', 'lens-path', 'depth', 'convergence', 'tensions')) {
            if ($Block.ContainsKey($k)) { Stop-WithError 2 "$Name line ${Line}: a block gives transcript-file (and dispatch) or the observed answers, not both" }
        }
    } elseif (-not $Block.ContainsKey('observed-mode')) {
        Stop-WithError 2 "$Name line ${Line}: the block for $($Block['case']) $MidDot $($Block['mode']) needs observed-mode: or transcript-file:"
    }
    $Blocks[$key] = $Block
}

function Read-AnswersFile([string]$Text, [string]$Name, [string]$Dir, $CaseIds) {
    $blocks = @{}
    $block = @{}
    $start = 0
    $n = 0
    foreach ($textLine in ($Text -replace '\r\n?', "`n").Split("`n")) {
        $n++
        $line = $textLine.Trim()
        if ($line -eq '' -or $line.StartsWith('#')) { continue }
        if ($line -match '^---+$') { Complete-Block $block $start $blocks $Name; $block = @{}; continue }
        $colon = $line.IndexOf(':')
        if ($colon -lt 0) { Stop-WithError 2 "$Name line ${n}: expected key: value, got: $line" }
        $key = $line.Substring(0, $colon).Trim().ToLowerInvariant()
        $given = $line.Substring($colon + 1).Trim()
        if ($AnswerKeys -cnotcontains $key) { Stop-WithError 2 ("$Name line ${n}: unknown key $key (keys: " + ($AnswerKeys -join ' ') + ')') }
        if ($block.ContainsKey($key)) { Stop-WithError 2 "$Name line ${n}: $key given twice in one block" }
        $value = ConvertTo-Answer $key $given
        if ($null -eq $value) { Stop-WithError 2 "$Name line ${n}: $key takes $(Get-Hint $key); got `"$given`"" }
        if ($key -eq 'case' -and $CaseIds -cnotcontains $value) {
            Stop-WithError 2 ("$Name line ${n}: unknown case $value (cases: " + ($CaseIds -join ', ') + ')')
        }
        if ($key -eq 'transcript-file') {
            $path = if ([IO.Path]::IsPathRooted($value)) { $value } else { Join-Path $Dir $value }
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { Stop-WithError 2 "$Name line ${n}: transcript file not found: $value" }
            $value = $path
        }
        if ($block.Count -eq 0) { $start = $n }
        $block[$key] = $value
    }
    Complete-Block $block $start $blocks $Name
    return $blocks
}

# Facts and mythos check results for one case x mode from its block; $null when there is none.
function Invoke-FromAnswers([string]$CaseId, [string]$Mode) {
    $key = "$CaseId $Mode"
    if (-not $AnswerBlocks.ContainsKey($key)) {
        Write-Note "$CaseId $MidDot ${Mode}: no answers; skipped"
        return $null
    }
    $a = @{ 'lens-path' = ''; 'depth' = ''; 'convergence' = 'unknown'; 'dispatch' = 'n/a'; 'tensions' = 'n/a' }
    foreach ($k in $AnswerBlocks[$key].Keys) { $a[$k] = $AnswerBlocks[$key][$k] }
    if ($a.ContainsKey('transcript-file')) {
        $checks = @(Invoke-MythosCheck $a['transcript-file'] $Mode)
        $facts = Read-Transcript $a['transcript-file']
        $facts.Dispatch = $a['dispatch']
        return @{ Facts = $facts; Checks = $checks }
    }
    return @{ Facts = (ConvertFrom-Answers $a); Checks = @() }
}

# --- Report -----------------------------------------------------------------------------------
# Exactly renderCalibrationReport (src/check/calibration-report.ts).

function Format-Cell([string]$Text) { return ((Format-OneLine $Text) -replace '\|', '\|') }

function Format-Report($Results, [DateTime]$At) {
    $passed = 0
    $failed = 0
    $rows = @()
    $failures = @()
    foreach ($r in $Results) {
        $p = @($r.Checks | Where-Object { $_.Pass }).Count
        $f = @($r.Checks | Where-Object { -not $_.Pass }).Count
        $passed += $p
        $failed += $f
        $path = if (@($r.Lenses).Count -gt 0) { @($r.Lenses) -join " $Arrow " } else { $EmDash }
        $depth = if ($null -ne $r.Depth) { [string]$r.Depth } else { $EmDash }
        $rows += "| $($r.CaseId) | $($r.Mode) | ``$(Format-Cell $r.Invocation)`` | $(Format-Cell $path) | $depth | $(Format-Cell $r.Convergence) | $p | $f |"
        if ($f -gt 0) {
            $failures += "### $($r.CaseId) $MidDot $($r.Mode)"
            $failures += ''
            $failures += @($r.Checks | Where-Object { -not $_.Pass } | ForEach-Object { "- FAIL $($_.Id): $(Format-Cell $_.Detail)" })
            $failures += ''
        }
    }
    $stamp = $At.ToString('yyyy-MM-dd HH:mm', [Globalization.CultureInfo]::InvariantCulture)
    $lines = @(
        '# mythos calibration report', '',
        "Generated $stamp UTC from $Source.",
        'Only structure is checked: a FAIL is a signal to re-read the protocol, not proof of bad reasoning.', '',
        '| case | mode | invoked as | lens path | depth | convergence | pass | fail |',
        '|---|---|---|---|---|---|---|---|'
    ) + $rows + @('', "**Total: $passed passed, $failed failed.**", '')
    if ($failures.Count -gt 0) { $lines += @('## Failures', '') + $failures }
    return ($lines -join "`n")
}

# --- Main -------------------------------------------------------------------------------------

# @() everywhere a function returns a list: PowerShell unrolls a one-item list into its item.
$Cases = @(Read-Cases)
$SelectedCases = @(Select-Cases $Cases)
$SelectedModes = @(Select-Modes)
$Cli = @(Get-MythosCli)
$Interactive = $false
$AnswerBlocks = @{}
$caseIds = @($Cases | ForEach-Object { $_.id })
if (-not $Answers -and ($env:MYTHOS_CALIBRATE_INTERACTIVE -eq '1' -or -not [Console]::IsInputRedirected)) {
    $Interactive = $true
} elseif (-not $Answers -or $Answers -eq '-') {
    $AnswerBlocks = Read-AnswersFile ([Console]::In.ReadToEnd()) 'stdin' (Get-Location).ProviderPath $caseIds
} else {
    if (-not (Test-Path -LiteralPath $Answers -PathType Leaf)) { Stop-WithError 2 "cannot read the answers file $Answers" }
    $full = (Resolve-Path -LiteralPath $Answers).ProviderPath
    $AnswerBlocks = Read-AnswersFile ([IO.File]::ReadAllText($full, [Text.Encoding]::UTF8)) $Answers (Split-Path -Parent $full) $caseIds
}

$Results = @()
$script:RunNumber = 0
$script:RunTotal = $SelectedCases.Count * $SelectedModes.Count
foreach ($c in $SelectedCases) {
    foreach ($mode in $SelectedModes) {
        $script:RunNumber++
        $keyword = [string](Get-Prop $c.invoke $mode)
        $invocation = if ($keyword) { "/mythos $keyword $($c.question)" } else { "/mythos $($c.question)" }
        $observed = if ($Interactive) { Invoke-Interactive $c $mode $invocation } else { Invoke-FromAnswers $c.id $mode }
        if ($null -eq $observed) { continue }
        $facts = $observed.Facts
        $checks = @($observed.Checks) + @(@(Get-Prop $c.expect $mode) | ForEach-Object { Test-Expectation $_ $facts })
        # As in `mythos calibrate`: dispatch is judged only when the run really was agent mode.
        if ($mode -eq 'agent' -and $facts.Mode -eq 'agent') { $checks += Test-Concurrency $facts.Dispatch }
        $Results += [pscustomobject]@{
            CaseId = $c.id; Mode = $mode; Invocation = $invocation; Lenses = @($facts.Lenses); Depth = $facts.Depth
            Convergence = $facts.Convergence; Checks = $checks
        }
        $f = @($checks | Where-Object { -not $_.Pass }).Count
        Write-Note "$($c.id) $MidDot ${mode}: $($checks.Count - $f) passed, $f failed"
    }
}
if ($Results.Count -eq 0) { Stop-WithError 2 'nothing was judged (every case skipped or without answers); no report written' }

$At = [DateTime]::UtcNow
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$ReportPath = Join-Path $Out ('calibration-report-' + $At.ToString('yyyyMMdd-HHmm', [Globalization.CultureInfo]::InvariantCulture) + '.md')
[IO.File]::WriteAllText($ReportPath, (Format-Report $Results $At), $Utf8)
Write-Output $ReportPath
if (@($Results | ForEach-Object { $_.Checks } | Where-Object { -not $_.Pass }).Count -gt 0) { exit 1 }
exit 0
