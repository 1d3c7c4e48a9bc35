#!/usr/bin/env bash
# Guided calibration of the mythos skill in Claude Code. For each calibration case and mode it
# prints the /mythos line to paste, judges what Claude Code did (a pasted transcript through
# `mythos check`, or answers to a few questions) against the expectations in
# calibration/cases.json, and writes calibration-report-YYYYMMDD-HHMM.md in the format
# `mythos calibrate` writes (src/check/calibration-report.ts). Run with --help for usage.
# Works with the bash that ships on macOS (3.2) and on Linux. Keep this file ASCII-only: the
# report's few non-ASCII characters are made with printf below.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bash install/calibrate.sh [--case ID]... [--modes LIST] [--out DIR]
                                 [--answers FILE] [--help]

Walks through the calibration cases (calibration/cases.json) in Claude Code and
writes calibration-report-YYYYMMDD-HHMM.md, the report `mythos calibrate`
writes for the CLI.

  --case ID       only this case; repeat for more (default: every case)
  --modes LIST    comma-separated from silent,trace,agent (default: all three)
  --out DIR       where the report goes (default: install/ in this checkout)
  --answers FILE  read answers from FILE (- for stdin) instead of asking
  -h, --help      show this help

For each case and mode it prints the line to paste into Claude Code, e.g.
  /mythos quick Our startup has ...
then asks for the reply Claude Code printed, ended by a line END. The reply is
judged with `mythos check` when the CLI is built in this checkout or on PATH.
Type a instead to answer questions about the reply, or s to skip the case.

Answers file (read from stdin too when stdin is not a terminal): one block of
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
  MYTHOS_JSON_READER  node, python3 or jq: what reads JSON (default: the first
                      of them on PATH)
  MYTHOS_CLI          the mythos command that judges transcripts, or none
                      (default: node dist/cli/index.cjs here, else mythos)
  MYTHOS_CALIBRATE_INTERACTIVE=1  ask even when stdin is not a terminal
EOF
}

note() { printf '%s\n' "$*" >&2; } # dialogue and progress; stdout carries only the report path
fail() { # fail <exit code> <message>
  printf 'calibrate.sh: %s\n' "$2" >&2
  exit "$1"
}
usage_error() {
  printf 'calibrate.sh: %s\n\n' "$1" >&2
  usage >&2
  exit 2
}

US=$(printf '\037')             # field separator of every internal table: never in the data
ARROW=$(printf '\342\206\222')  # U+2192, joins a lens path in the report
EMDASH=$(printf '\342\200\224') # U+2014, the report's "unknown" cell; also a heading separator
ENDASH=$(printf '\342\200\223') # U+2013, a heading separator
MIDDOT=$(printf '\302\267')     # U+00B7, "### case . mode"
TIMES=$(printf '\303\227')      # U+00D7, "2 x Steelman"
# shellcheck disable=SC2016 # backticks are Markdown here, not a command
SOURCE='`install/calibrate.sh` in Claude Code'

case_ids=""
modes="silent,trace,agent"
out_dir=""
answers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --case | --modes | --out | --answers)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      case "$1" in
        --case) case_ids="$case_ids $2" ;;
        --modes) modes=$2 ;;
        --out) out_dir=$2 ;;
        --answers) answers=$2 ;;
      esac
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cases_json="$repo_root/calibration/cases.json"
out_dir=${out_dir:-$repo_root/install}
work=$(mktemp -d "${TMPDIR:-/tmp}/mythos-calibrate.XXXXXX")
trap 'rm -rf "$work"' EXIT

trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  s=${s%"${s##*[![:space:]]}"}
  printf '%s' "$s"
}
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
# ok <test...>: 1 when the test holds, else 0 (a check's pass column).
ok() { if "$@"; then printf 1; else printf 0; fi; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# --- JSON ------------------------------------------------------------------------------------
# bash cannot parse JSON, so node, python3 or jq (the first found, or MYTHOS_JSON_READER)
# flattens what the script needs into US-separated lines. The three programs print the same:
#   cases:  case US id US question / invoke US id US mode US keyword /
#           expect US id US mode US kind US value US min US max US lens US note
#   checks: id US pass(1/0) US detail        (the `mythos check --json` report)
# Newlines inside strings become one space, as the report's cells do.

NODE_FLATTEN='
const [what, path] = process.argv.slice(1);
const data = JSON.parse(require("fs").readFileSync(path, "utf8"));
const text = (v) => (v === undefined || v === null ? "" : v === true ? "1" : v === false ? "0" : String(v)).replace(/\s*\n\s*/g, " ");
const rows = [];
if (what === "checks") {
  for (const c of data.checks) rows.push([c.id, c.pass, c.detail]);
} else {
  for (const c of data.cases) {
    rows.push(["case", c.id, c.question]);
    for (const m of ["silent", "trace", "agent"]) {
      rows.push(["invoke", c.id, m, c.invoke[m]]);
      for (const e of c.expect[m]) rows.push(["expect", c.id, m, e.kind, e.value, e.min, e.max, e.lens, e.note]);
    }
  }
}
process.stdout.write(rows.map((r) => r.map(text).join("\x1f") + "\n").join(""));
'

PYTHON_FLATTEN='
import json, re, sys
what, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    data = json.load(f)
def text(v):
    if v is None: return ""
    if v is True: return "1"
    if v is False: return "0"
    return re.sub(r"\s*\n\s*", " ", str(v))
rows = []
if what == "checks":
    rows = [[c["id"], c["pass"], c["detail"]] for c in data["checks"]]
else:
    for c in data["cases"]:
        rows.append(["case", c["id"], c["question"]])
        for m in ["silent", "trace", "agent"]:
            rows.append(["invoke", c["id"], m, c["invoke"][m]])
            for e in c["expect"][m]:
                rows.append(["expect", c["id"], m, e["kind"]] + [e.get(k) for k in ["value", "min", "max", "lens", "note"]])
sys.stdout.buffer.write("".join("\x1f".join(text(v) for v in r) + "\n" for r in rows).encode("utf-8"))
'

# shellcheck disable=SC2016 # a jq program: its $variables are jq's
JQ_FLATTEN='
def text: if . == null then "" elif . == true then "1" elif . == false then "0" else tostring | gsub("\\s*\n\\s*"; " ") end;
if $what == "checks" then .checks[] | [.id, .pass, .detail]
else .cases[] as $c
  | ["case", $c.id, $c.question],
    (("silent", "trace", "agent") as $m
      | ["invoke", $c.id, $m, $c.invoke[$m]],
        ($c.expect[$m][] | ["expect", $c.id, $m, .kind, .value, .min, .max, .lens, .note]))
end
| map(text) | join("\u001f")
'

pick_json_reader() {
  local r
  if [ -n "${MYTHOS_JSON_READER:-}" ]; then
    case "$MYTHOS_JSON_READER" in
      node | python3 | jq) ;;
      *) fail 2 "MYTHOS_JSON_READER must be node, python3 or jq; got $MYTHOS_JSON_READER" ;;
    esac
    command -v "$MYTHOS_JSON_READER" >/dev/null 2>&1 ||
      fail 2 "MYTHOS_JSON_READER is $MYTHOS_JSON_READER, but $MYTHOS_JSON_READER is not on PATH"
    json_reader=$MYTHOS_JSON_READER
    return
  fi
  for r in node python3 jq; do
    if command -v "$r" >/dev/null 2>&1; then
      json_reader=$r
      return
    fi
  done
  fail 2 "reading calibration/cases.json needs node, python3 or jq on PATH; install one and run again"
}

flatten_json() { # flatten_json cases|checks FILE
  case "$json_reader" in
    node) node -e "$NODE_FLATTEN" "$1" "$2" ;;
    python3) python3 -c "$PYTHON_FLATTEN" "$1" "$2" ;;
    jq) jq -r --arg what "$1" "$JQ_FLATTEN" "$2" ;;
  esac
}

# --- Cases -----------------------------------------------------------------------------------

load_cases() {
  [ -f "$cases_json" ] || fail 1 "cannot find $cases_json; run this script from a full checkout"
  flatten_json cases "$cases_json" >"$work/cases" 2>"$work/cases.err" ||
    fail 1 "malformed calibration file $cases_json: $json_reader could not read it ($(head -n 1 "$work/cases.err"))"
}
all_case_ids() { awk -F"$US" '$1 == "case" { print $2 }' "$work/cases"; }
question_of() { awk -F"$US" -v id="$1" '$1 == "case" && $2 == id { print $3 }' "$work/cases"; }
keyword_of() { awk -F"$US" -v id="$1" -v m="$2" '$1 == "invoke" && $2 == id && $3 == m { print $4 }' "$work/cases"; }
known_case() { awk -F"$US" -v id="$1" '$1 == "case" && $2 == id { found = 1 } END { exit !found }' "$work/cases"; }

# The selected cases in the file's order, like `mythos calibrate --case`.
select_cases() {
  local id
  for id in $case_ids; do
    known_case "$id" || fail 2 "unknown case $id (cases: $(join_lines "$(all_case_ids)" ', '))"
  done
  selected="" n_selected=0
  for id in $(all_case_ids); do
    case " $case_ids " in
      "  " | *" $id "*) selected="$selected $id" n_selected=$((n_selected + 1)) ;;
    esac
  done
}

select_modes() {
  local m rest=$modes
  selected_modes="" n_modes=0
  while [ -n "$rest" ]; do
    m=$(trim "${rest%%,*}")
    case "$rest" in *,*) rest=${rest#*,} ;; *) rest="" ;; esac
    case "$m" in
      silent | trace | agent) selected_modes="$selected_modes $m" n_modes=$((n_modes + 1)) ;;
      *) fail 2 "--modes takes silent, trace and agent; got \"$m\"" ;;
    esac
  done
  [ -n "$selected_modes" ] || fail 2 "--modes takes silent, trace and agent; got nothing"
}

# --- The mythos CLI --------------------------------------------------------------------------
# This checkout's own build comes first: its checker matches its cases.json. MYTHOS_CLI
# overrides (none turns transcript judging off).

pick_cli() {
  cli=()
  if [ -n "${MYTHOS_CLI:-}" ]; then
    if [ "$MYTHOS_CLI" != none ]; then cli=("$MYTHOS_CLI"); fi
  elif [ -f "$repo_root/dist/cli/index.cjs" ] && command -v node >/dev/null 2>&1; then
    cli=(node "$repo_root/dist/cli/index.cjs")
  elif command -v mythos >/dev/null 2>&1; then
    cli=(mythos)
  fi
}
have_cli() { [ "${#cli[@]}" -gt 0 ]; }

# --- Lenses ----------------------------------------------------------------------------------
# Lens names are matched like src/check/vocabulary.ts: decorations dropped (`**Deepen**`,
# `Steelman (pro)`, `Clarify x2` counts twice), case and spaces ignored. Every lens name is
# Title-Case-With-Hyphens, so canonical spelling needs no copy of the lens list.

AWK_LENS='
function canon(s, expand,   times, t, n, parts, i, out) {
  gsub(/[*`_]/, "", s)
  sub(/[ \t]*\([^)]*\)[ \t]*$/, "", s)
  times = 1
  if (match(s, "[ \t]*(x|X|" TIMES ")[ \t]*[0-9]+[ \t]*$")) {
    t = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", t); times = expand ? t + 0 : 1
    s = substr(s, 1, RSTART - 1)
  }
  sub(/[.:;,]+$/, "", s)
  gsub(/^[ \t]+|[ \t]+$/, "", s)
  if (s == "") return
  s = tolower(s); gsub(/[ \t_-]+/, "-", s)
  n = split(s, parts, "-"); out = ""
  for (i = 1; i <= n; i++) out = out (i > 1 ? "-" : "") toupper(substr(parts[i], 1, 1)) substr(parts[i], 2)
  for (i = 1; i <= times; i++) print out
}
'

# A lens path as typed or as a footer prints it: one canonical lens a line.
lens_list() {
  awk -v TIMES="$TIMES" -v ARROW="$ARROW" "$AWK_LENS"'
    {
      s = $0; low = tolower(s); gsub(/^[ \t]+|[ \t]+$/, "", low)
      if (low == "none" || low == "n/a" || low == "-") next
      gsub(/\([^)]*\)/, "", s)  # a note in parentheses may hold a comma
      gsub(ARROW, ",", s); gsub(/->/, ",", s); gsub(/>/, ",", s)
      n = split(s, parts, ",")
      for (i = 1; i <= n; i++) canon(parts[i], 1)
    }'
}

# Round or subagent headings' lens text, one a line: one canonical lens each (a heading is one
# round, whatever it says).
heading_lenses() { awk -v TIMES="$TIMES" "$AWK_LENS"'{ canon($0, 0) }'; }

count_lines() { if [ -z "$1" ]; then printf 0; else printf '%s\n' "$1" | awk 'END { print NR }'; fi; }
join_lines() { printf '%s\n' "$1" | awk -v sep="$2" 'NF { printf "%s%s", (n++ ? sep : ""), $0 }'; }

# --- Reading a transcript --------------------------------------------------------------------
# What the report and the expectations need from a reply, the way src/check/parse-transcript.ts
# reads it: the last `Depth: ... Mode: ...` footer, round and subagent headings before the
# Answer, the first dispatch line and the first Merge's Tensions field. Prints key US value
# lines: mode, depth, convergence, lens-path, round*, subagent*, dispatch, merge, tensions.

# shellcheck disable=SC2016 # an awk program: its $0 is awk's
AWK_TRANSCRIPT='
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
function unwrap(s,   a) {  # one level of italics, bold or backticks around a whole line
  if (match(s, /^[*_`]+/)) {
    a = RLENGTH
    if (length(s) > a && match(s, /[*_`]+$/)) return trim(substr(s, a + 1, RSTART - a - 1))
  }
  return trim(s)
}
function parse_footer(u,   lu, at, len, m, rest) {
  lu = tolower(u)
  if (lu !~ /^depth:/ || !match(lu, /\.[ \t]*mode:[ \t]*[a-z-]+/)) return 0
  at = RSTART; len = RLENGTH
  rest = trim(substr(u, at + len)); sub(/^\.[ \t]*/, "", rest)
  if (rest != "" && tolower(rest) !~ /^lens path:/) return 0
  has_lens = (rest != ""); f_lens = has_lens ? trim(substr(rest, 11)) : ""
  m = substr(lu, at, len); sub(/^\.[ \t]*mode:[ \t]*/, "", m); f_mode = m
  parse_depth(trim(substr(lu, 7, at - 7)))
  return 1
}
function parse_depth(d,   n, rest) {
  f_depth = ""; f_conv = ""
  if (!match(d, /^[0-9]+/)) return
  n = substr(d, 1, RLENGTH); rest = substr(d, RLENGTH + 1)
  if (rest ~ /^[ \t]+rounds?$/ || rest ~ /^[ \t]+latent[ \t]+pass(es)?$/) f_depth = n
  else if (rest ~ /^[ \t]+rounds?[ \t]*,[ \t]*(converged|stopped)[ \t]+at[ \t]+round[ \t]+[0-9]+([ \t]*:.*)?$/) {
    f_depth = n; f_conv = rest; sub(/^[ \t]+rounds?[ \t]*,[ \t]*/, "", f_conv)
  }
  else if (rest ~ /^[ \t]+parallel[ \t]+subagents?[ \t]+merged$/) { f_depth = n; f_conv = "merged" }
  else if (rest ~ /^[ \t]+parallel[ \t]+subagents?,[ \t]+not[ \t]+merged$/) { f_depth = n; f_conv = "not merged" }
}
function open_section(title,   lt) {
  section = ""; lt = tolower(title)
  if (match(lt, "^round[ \t]+[0-9]+[ \t]*(:|" EM "|" EN "|-)[ \t]*")) {
    if (RLENGTH < length(title)) print "round" US substr(title, RSTART + RLENGTH)
  } else if (match(title, "^Subagent[ \t]+[A-Z][ \t]*(" EM "|" EN "|-|:)[ \t]*")) {
    if (RLENGTH < length(title)) print "subagent" US substr(title, RSTART + RLENGTH)
  } else if (lt == "merge" && !merged) { merged = 1; section = "merge" }
}
function merge_line(s,   rest, lab, val) {  # the Tensions field, continuation lines included
  sub(/^[-*+][ \t]+\*\*/, "**", s)
  if (!match(s, LABEL) || RSTART != 1) {
    if (last == "tensions") tensions = tensions == "" ? s : tensions " " s
    return
  }
  rest = s
  while (match(rest, LABEL)) {
    lab = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
    val = rest; if (match(rest, LABEL)) val = substr(rest, 1, RSTART - 1)
    gsub(/[*:]/, "", lab); lab = tolower(trim(lab)); gsub(/[ \t]+/, " ", lab)
    val = trim(val); sub(/[ \t]*\|$/, "", val)
    if (lab == "tensions" && !has_tensions) { has_tensions = 1; tensions = val }
    last = lab
  }
}
function protocol_line(line,   title, u) {
  if (line ~ /^#(#(#(#)?)?)?[ \t]+[^ \t]/) {
    title = line; sub(/^#+[ \t]+/, "", title); sub(/[ \t]*#*$/, "", title); gsub(/\*\*/, "", title)
    open_section(trim(title)); last = ""
    return
  }
  u = tolower(unwrap(line))
  if (u ~ /^\[?[ \t]*dispatching[ \t]+[0-9]+[ \t]+parallel[ \t]+subagents?[ \t]*:/) {
    if (dispatch == "") { dispatch = u; sub(/^\[?[ \t]*dispatching[ \t]+/, "", dispatch); sub(/[^0-9].*$/, "", dispatch) }
    last = ""
    return
  }
  if (section == "merge" && line != "") merge_line(line)
}
BEGIN { LABEL = "\\*\\*[^*:]+(:\\*\\*|\\*\\*[ \t]*:)" }
{
  line = $0; sub(/\r$/, "", line)
  if (NR == 1) sub("^" BOM, "", line)
  sub("^[ \t]*" RECORD " ?", "", line)  # Claude Code exports prefix a reply with U+23FA
  lines[NR] = trim(line)
}
END {
  footer = 0
  for (i = NR; i >= 1 && !footer; i--) if (parse_footer(unwrap(lines[i]))) footer = i
  body_end = footer ? footer : NR + 1
  answer = 0
  for (i = 1; i < body_end && !answer; i++) {
    t = lines[i]; gsub(/\*\*/, "", t)
    if (tolower(t) ~ /^#(#(#)?)?[ \t]+answer[ \t]*$/) answer = i
  }
  proto_end = answer ? answer : body_end
  for (i = 1; i < proto_end; i++) protocol_line(lines[i])
  if (footer) {
    print "mode" US f_mode
    if (f_depth != "") print "depth" US f_depth
    if (f_conv != "") print "convergence" US f_conv
    if (has_lens) print "lens-path" US f_lens
  }
  if (dispatch != "") print "dispatch" US dispatch
  if (merged) print "merge" US 1
  if (has_tensions) print "tensions" US trim(tensions)
}
'

read_transcript() {
  awk -v US="$US" -v EM="$EMDASH" -v EN="$ENDASH" -v BOM="$(printf '\357\273\277')" \
    -v RECORD="$(printf '\342\217\272')" "$AWK_TRANSCRIPT" "$1"
}

# --- What was observed -----------------------------------------------------------------------
# One set of facts per case x mode, from answers or from a transcript; the expectations only
# ever look at these.

reset_facts() {
  f_mode=none f_lenses="" f_rounds=0 f_subagents=0 f_depth="" f_conv=unknown
  f_dispatch=n/a f_merge=0 f_tensions=""
}

# facts_from_answers <observed-mode> <lens-path> <depth> <convergence> <dispatch> <tensions>
facts_from_answers() {
  f_mode=$1
  f_lenses=$(printf '%s\n' "$2" | lens_list)
  f_depth=$3
  f_conv=${4:-unknown}
  f_dispatch=${5:-n/a}
  # Depth counts what the observed mode shows: rounds in trace, subagents in agent (as the CLI
  # counts round or subagent sections). Unknown depth falls back to one per lens.
  local n=${3:-$(count_lines "$f_lenses")}
  case "$f_mode" in
    trace) f_rounds=$n ;;
    agent) f_subagents=$n ;;
  esac
  case "$6" in
    yes) f_merge=1 f_tensions="kept (observed in Claude Code)" ;;
    no) f_merge=1 f_tensions="none" ;;
  esac
}

facts_from_transcript() {
  local key value rounds="" subagents="" footer_path="" nl=$'\n'
  while IFS="$US" read -r key value; do
    case "$key" in
      mode) f_mode=$value ;;
      depth) f_depth=$value ;;
      convergence) f_conv=$value ;;
      lens-path) footer_path=$value ;;
      round) rounds="$rounds$value$nl" f_rounds=$((f_rounds + 1)) ;;
      subagent) subagents="$subagents$value$nl" f_subagents=$((f_subagents + 1)) ;;
      merge) f_merge=1 ;;
      tensions) f_tensions=$value ;;
    esac
  done < <(read_transcript "$1")
  # The lenses the transcript's own mode applied, chosen as lensSequence() chooses them.
  if [ "$f_mode" = agent ] || { [ "$f_mode" != trace ] && [ "$f_mode" != silent ] && [ "$f_subagents" -gt 0 ]; }; then
    f_lenses=$(printf '%s' "$subagents" | heading_lenses)
  elif [ "$f_mode" = trace ] || { [ "$f_mode" != silent ] && [ "$f_rounds" -gt 0 ]; }; then
    f_lenses=$(printf '%s' "$rounds" | heading_lenses)
  else
    f_lenses=$(printf '%s\n' "$footer_path" | lens_list)
  fi
}

# --- Checks ----------------------------------------------------------------------------------
# Ids and details follow src/check/expectations.ts so a report reads the same from either tool.

add_check() { printf '%s%s%s%s%s\n' "$1" "$US" "$2" "$US" "$3" >>"$work/checks"; }

expect_one() { # kind value min max lens note
  local kind=$1 value=$2 min=$3 max=$4 lens=$5 note=$6 n=$f_count last
  case "$kind" in
    mode-is) add_check expect-mode-is "$(ok [ "$f_mode" = "$value" ])" "mode $f_mode; expected: $note" ;;
    max-lenses) add_check expect-max-lenses "$(ok [ "$n" -le "$value" ])" "$n lenses (at most $value); expected: $note" ;;
    lenses-between)
      add_check expect-lenses-between "$(ok between "$n" "$min" "$max")" "$n lenses ($min..$max); expected: $note" ;;
    rounds-between)
      add_check expect-rounds-between "$(ok between "$f_rounds" "$min" "$max")" \
        "$f_rounds visible rounds ($min..$max); expected: $note" ;;
    min-subagents)
      add_check expect-min-subagents "$(ok [ "$f_subagents" -ge "$value" ])" "$f_subagents subagents (at least $value); expected: $note" ;;
    includes-lens) includes_lens "$value" "$note" ;;
    lens-count-at-least)
      n=$(grep -cxF -- "$lens" <<<"$f_lenses" || true)
      add_check "expect-lens-count-at-least-$(lower "$lens")" "$(ok [ "$n" -ge "$value" ])" "$n $TIMES $lens (at least $value); expected: $note" ;;
    last-lens-is)
      last=$(printf '%s\n' "$f_lenses" | tail -n 1)
      add_check "expect-last-lens-is-$(lower "$value")" "$(ok [ "${last:-(none)}" = "$value" ])" "last lens ${last:-(none)}; expected: $note" ;;
    nonempty-tensions) nonempty_tensions "$note" ;;
    *) fail 1 "calibration/cases.json uses the expectation kind $kind, which this script does not know; update install/calibrate.sh" ;;
  esac
}

includes_lens() { # lens note
  local seen among=among
  seen=$(join_lines "$f_lenses" ', ')
  if ! grep -qxF -- "$1" <<<"$f_lenses"; then among="not among"; fi
  add_check "expect-includes-lens-$(lower "$1")" "$(ok [ "$among" = among ])" "$1 $among ${seen:-(no lenses)}; expected: $2"
}

# A tension is only kept when it names one: "none", "n/a", "no tensions", "-" do not.
nonempty_tensions() { # note
  local text pass=0
  if [ "$f_merge" != 1 ]; then
    add_check expect-nonempty-tensions 0 "no Merge section; expected: $1"
    return
  fi
  text=$(trim "$f_tensions")
  if [ -n "$text" ] && ! grep -Eiq "^[[:space:][(]*((none|n/a|nothing|no (real |genuine )?tensions?)([^a-z0-9]|$)|-+[[:space:]]*$|${EMDASH}[[:space:]]*$)" <<<"$text"; then
    pass=1
  fi
  add_check expect-nonempty-tensions "$pass" "Tensions: ${text:-(empty)}; expected: $1"
}

apply_expectations() { # case mode
  local kind value min max lens note
  awk -F"$US" -v id="$1" -v m="$2" '$1 == "expect" && $2 == id && $3 == m' "$work/cases" >"$work/expect"
  while IFS="$US" read -r _ _ _ kind value min max lens note; do
    expect_one "$kind" "$value" "$min" "$max" "$lens" "$note"
  done <"$work/expect"
}

# Agent mode exists for parallel dispatch; only a person watching Claude Code can see it.
concurrency_check() {
  case "$f_dispatch" in
    parallel) add_check agent-concurrent 1 "subagents were seen running in parallel" ;;
    sequential) add_check agent-concurrent 0 "subagents ran one after another; parallel dispatch is the whole point of agent mode" ;;
    *) add_check agent-concurrent 0 "dispatch not observed (parallel or sequential?)" ;;
  esac
}

# Runs `mythos check --mode <mode> --json` and keeps its checks, or says why it could not.
mythos_check() { # file mode
  local rc=0
  if ! have_cli; then
    add_check mythos-check 0 "not run: no mythos CLI (npm run build in this checkout, or put mythos on PATH)"
    return
  fi
  "${cli[@]}" check --mode "$2" --json "$1" >"$work/check.json" 2>"$work/check.err" || rc=$?
  if [ "$rc" -gt 1 ] || ! flatten_json checks "$work/check.json" >>"$work/checks" 2>/dev/null; then
    add_check mythos-check 0 "mythos check could not judge the transcript (exit $rc): $(head -n 1 "$work/check.err")"
  fi
}

# --- Asking ----------------------------------------------------------------------------------

# normalise <key> <value>: prints the value as the script stores it, or fails when invalid.
# Answers are case-insensitive; the body is a subshell so nocasematch cannot leak out.
normalise() (
  shopt -s nocasematch
  v=$(trim "$2")
  case "$1" in
    key) one_of "$v" case mode observed-mode lens-path depth convergence dispatch tensions transcript-file || printf '%s' "$v" ;;
    mode) one_of "$v" silent trace agent ;;
    observed-mode) one_of "$v" direct silent trace agent ;;
    depth) case "$v" in '' | unknown | - | n/a) ;; *[!0-9]*) return 1 ;; *) printf '%s' "$((10#$v))" ;; esac ;;
    convergence) case "${v%%[!a-z]*}" in '' | unknown) printf unknown ;; converged | stopped) printf '%s' "$v" ;; *) return 1 ;; esac ;;
    dispatch) case "$v" in '' | n/a | none | -) printf n/a ;; *) one_of "$v" parallel sequential ;; esac ;;
    tensions) case "$v" in y | yes) printf yes ;; n | no) printf no ;; '' | n/a | -) printf n/a ;; *) return 1 ;; esac ;;
    *) printf '%s' "$v" ;;
  esac
)

# one_of <value> <word>...: prints the word the value names (spelled as the word), or fails.
one_of() {
  local v=$1 w
  shift
  for w in "$@"; do
    case "$v" in "$w") printf '%s' "$w"; return 0 ;; esac
  done
  return 1
}

hint_for() {
  case "$1" in
    mode) printf 'silent, trace or agent' ;;
    observed-mode) printf 'direct, silent, trace or agent' ;;
    depth) printf 'a whole number, or unknown' ;;
    convergence) printf 'converged, stopped or unknown' ;;
    dispatch) printf 'parallel, sequential or n/a' ;;
    tensions) printf 'y, n or n/a' ;;
  esac
}

# A line of the dialogue into $reply; input that ends mid-session leaves no report behind.
read_reply() {
  IFS= read -r reply || fail 2 "input ended before calibration finished; no report written"
  reply=${reply%$'\r'}
}

ask() { # ask <key> <question>: sets $answer, asking again until it is valid
  while :; do
    printf '%s ' "$2" >&2
    read_reply
    if answer=$(normalise "$1" "$reply"); then return; fi
    note "  Please answer $(hint_for "$1")."
  done
}

ask_dispatch() {
  ask dispatch "Did the subagents run in parallel (all started together) or sequential (one after another)?"
  f_dispatch=$answer
}

ask_questions() { # mode
  local observed path depth conv dispatch=n/a tensions=n/a
  ask observed-mode "Mode it ran in (the footer's Mode: direct, silent, trace or agent):"
  observed=$answer
  ask lens-path "Lens path in order (footer Lens path, or the rounds' or subagents' lenses; comma separated):"
  path=$answer
  ask depth "Depth (rounds shown, latent passes or subagents; unknown if not shown):"
  depth=$answer
  ask convergence "Convergence (converged, stopped or unknown):"
  conv=$answer
  if [ "$1" = agent ]; then
    ask dispatch "Did the subagents run in parallel (all started together) or sequential (one after another)?"
    dispatch=$answer
    ask tensions "Did the Merge keep a real tension between positions, not a compromise? (y/n):"
    tensions=$answer
  fi
  facts_from_answers "$observed" "$path" "$depth" "$conv" "$dispatch" "$tensions"
}

# Reads a pasted reply up to a line END into $work/pasted; sets choice to paste, answer or skip.
read_paste() {
  local first=1 t
  : >"$work/pasted"
  while IFS= read -r reply; do
    reply=${reply%$'\r'}
    t=$(trim "$reply")
    if [ "$first" -eq 1 ]; then
      case "$t" in
        '') continue ;;
        a | A) choice=answer; return ;;
        s | S) choice=skip; return ;;
      esac
      first=0
    fi
    if [ "$t" = END ]; then break; fi
    printf '%s\n' "$reply" >>"$work/pasted"
  done
  if [ "$first" -eq 1 ]; then fail 2 "input ended before calibration finished; no report written"; fi
  choice='paste'
}

interactive_one() { # case mode invocation
  note ""
  note "== $1 $MIDDOT $2 ($run_number of $run_total)"
  note "Paste this into a new Claude Code session:"
  note ""
  note "  $3"
  note ""
  if have_cli; then
    note "Then paste its whole reply here and a line END, or type a to answer questions instead, s to skip:"
    read_paste
  else
    note "Then press Enter to answer questions about its reply (no mythos CLI to judge a pasted one), or s to skip:"
    read_reply
    case "$(trim "$reply")" in s | S) choice=skip ;; *) choice=answer ;; esac
  fi
  case "$choice" in
    skip) skipped=1 ;;
    answer) ask_questions "$2" ;;
    paste)
      mythos_check "$work/pasted" "$2"
      facts_from_transcript "$work/pasted"
      if [ "$2" = agent ] && [ "$f_mode" = agent ]; then ask_dispatch; fi
      ;;
  esac
}

# --- Answers file ----------------------------------------------------------------------------
# Parsed up front into $work/answers, one "case US mode US key US value" line per answer, so a
# mistake anywhere stops the run before any report is written.

ANSWER_KEYS=" case mode observed-mode lens-path depth convergence dispatch tensions transcript-file "

block_start() {
  b_case="" b_mode="" b_line=0 b_keys=" "
  : >"$work/block"
}

block_add() { # line key value
  local value raw
  raw=$(trim "$3")
  case "$ANSWER_KEYS" in *" $2 "*) ;; *) fail 2 "$answers_name line $1: unknown key $2 (keys:$ANSWER_KEYS)" ;; esac
  case "$b_keys" in *" $2 "*) fail 2 "$answers_name line $1: $2 given twice in one block" ;; esac
  b_keys="$b_keys$2 "
  value=$(normalise "$2" "$raw") || fail 2 "$answers_name line $1: $2 takes $(hint_for "$2"); got \"$raw\""
  case "$2" in
    case) known_case "$value" || fail 2 "$answers_name line $1: unknown case $value (cases: $(join_lines "$(all_case_ids)" ', '))"; b_case=$value ;;
    mode) b_mode=$value ;;
    transcript-file) value=$(transcript_path "$1" "$value") ;;
  esac
  [ "$b_line" -ne 0 ] || b_line=$1
  printf '%s%s%s\n' "$2" "$US" "$value" >>"$work/block"
}

transcript_path() { # line path: absolute, relative to the answers file's folder
  local path=$2
  case "$path" in /*) ;; *) path="$answers_dir/$path" ;; esac
  [ -f "$path" ] || fail 2 "$answers_name line $1: transcript file not found: $2"
  printf '%s' "$path"
}

block_end() {
  [ -s "$work/block" ] || return 0
  if [ -z "$b_case" ] || [ -z "$b_mode" ]; then fail 2 "$answers_name line $b_line: a block needs case: and mode:"; fi
  if awk -F"$US" -v c="$b_case" -v m="$b_mode" '$1 == c && $2 == m { found = 1 } END { exit !found }' "$work/answers"; then
    fail 2 "$answers_name line $b_line: a second block for $b_case $MIDDOT $b_mode"
  fi
  case "$b_keys" in
    *" transcript-file "*)
      case "$b_keys" in *observed-mode* | *lens-path* | *depth* | *convergence* | *tensions*)
        fail 2 "$answers_name line $b_line: a block gives transcript-file (and dispatch) or the observed answers, not both" ;;
      esac ;;
    *" observed-mode "*) ;;
    *) fail 2 "$answers_name line $b_line: the block for $b_case $MIDDOT $b_mode needs observed-mode: or transcript-file:" ;;
  esac
  awk -F"$US" -v p="$b_case$US$b_mode$US" '$1 != "case" && $1 != "mode" { print p $0 }' "$work/block" >>"$work/answers"
  block_start
}

parse_answers() { # file
  local n=0 line key
  : >"$work/answers"
  block_start
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    line=$(trim "${line%$'\r'}")
    case "$line" in
      '' | '#'*) continue ;;
      ---*) if [ -z "${line//-/}" ]; then block_end; continue; fi ;;
    esac
    case "$line" in *:*) ;; *) fail 2 "$answers_name line $n: expected key: value, got: $line" ;; esac
    key=$(normalise key "${line%%:*}")
    block_add "$n" "$key" "${line#*:}"
  done <"$1"
  block_end
}

answers_one() { # case mode
  local key value found=0 a_file="" a_mode="" a_path="" a_depth="" a_conv=unknown a_dispatch=n/a a_tensions=n/a
  awk -F"$US" -v OFS="$US" -v c="$1" -v m="$2" '$1 == c && $2 == m { print $3, $4 }' "$work/answers" >"$work/block.answers"
  while IFS="$US" read -r key value; do
    found=1
    case "$key" in
      transcript-file) a_file=$value ;;
      observed-mode) a_mode=$value ;;
      lens-path) a_path=$value ;;
      depth) a_depth=$value ;;
      convergence) a_conv=$value ;;
      dispatch) a_dispatch=$value ;;
      tensions) a_tensions=$value ;;
    esac
  done <"$work/block.answers"
  if [ "$found" -eq 0 ]; then
    note "$1 $MIDDOT $2: no answers; skipped"
    skipped=1
  elif [ -n "$a_file" ]; then
    mythos_check "$a_file" "$2"
    facts_from_transcript "$a_file"
    f_dispatch=$a_dispatch
  else
    facts_from_answers "$a_mode" "$a_path" "$a_depth" "$a_conv" "$a_dispatch" "$a_tensions"
  fi
}

# --- Report ----------------------------------------------------------------------------------
# Exactly renderCalibrationReport (src/check/calibration-report.ts); test/calibrate compares.

cell() { case "$1" in *'|'*) printf '%s' "$1" | sed 's/|/\\|/g' ;; *) printf '%s' "$1" ;; esac; }

# Counts the run's checks into the table and its failures into the Failures section.
record_result() { # case mode invocation
  local counts pass fail path
  counts=$(awk -F"$US" '{ n[$2 == 1]++ } END { print n[1] + 0, n[0] + 0 }' "$work/checks")
  pass=${counts% *} fail=${counts#* }
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  path=$(join_lines "$f_lenses" " $ARROW ")
  # shellcheck disable=SC2016 # the backticks are Markdown
  printf '| %s | %s | `%s` | %s | %s | %s | %s | %s |\n' "$1" "$2" "$(cell "$3")" "$(cell "${path:-$EMDASH}")" \
    "${f_depth:-$EMDASH}" "$(cell "$f_conv")" "$pass" "$fail" >>"$work/rows"
  if [ "$fail" -gt 0 ]; then
    printf '\n### %s %s %s\n\n' "$1" "$MIDDOT" "$2" >>"$work/failures"
    awk -F"$US" -v OFS="$US" '$2 != 1 { print $1, $3 }' "$work/checks" | while IFS="$US" read -r id detail; do
      printf -- '- FAIL %s: %s\n' "$id" "$(cell "$detail")"
    done >>"$work/failures"
  fi
  note "$1 $MIDDOT $2: $pass passed, $fail failed"
}

write_report() { # path stamp(YYYYMMDDHHMM)
  local s=$2
  {
    printf '# mythos calibration report\n\n'
    printf 'Generated %s-%s-%s %s:%s UTC from %s.\n' "${s:0:4}" "${s:4:2}" "${s:6:2}" "${s:8:2}" "${s:10:2}" "$SOURCE"
    printf 'Only structure is checked: a FAIL is a signal to re-read the protocol, not proof of bad reasoning.\n\n'
    printf '| case | mode | invoked as | lens path | depth | convergence | pass | fail |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    cat "$work/rows"
    printf '\n**Total: %s passed, %s failed.**\n' "$total_pass" "$total_fail"
    if [ -s "$work/failures" ]; then
      printf '\n## Failures\n'
      cat "$work/failures"
    fi
  } >"$1"
}

# --- Main ------------------------------------------------------------------------------------

run_one() { # case mode
  local question keyword invocation
  question=$(question_of "$1")
  keyword=$(keyword_of "$1" "$2")
  invocation="/mythos ${keyword:+$keyword }$question"
  reset_facts
  : >"$work/checks"
  skipped=0
  if [ "$interactive" -eq 1 ]; then interactive_one "$1" "$2" "$invocation"; else answers_one "$1" "$2"; fi
  if [ "$skipped" -eq 1 ]; then return; fi
  f_count=$(count_lines "$f_lenses")
  apply_expectations "$1" "$2"
  # As in `mythos calibrate`: dispatch is judged only when the run really was agent mode.
  if [ "$2" = agent ] && [ "$f_mode" = agent ]; then concurrency_check; fi
  record_result "$1" "$2" "$invocation"
}

main() {
  local c m stamp report
  pick_json_reader
  load_cases
  select_cases
  select_modes
  pick_cli
  interactive=0
  if [ -z "$answers" ] && { [ "${MYTHOS_CALIBRATE_INTERACTIVE:-}" = 1 ] || [ -t 0 ]; }; then
    interactive=1
  else
    if [ -z "$answers" ] || [ "$answers" = - ]; then
      cat >"$work/answers.in"
      answers_name=stdin answers_dir=$PWD
      parse_answers "$work/answers.in"
    else
      [ -f "$answers" ] || fail 2 "cannot read the answers file $answers"
      answers_name=$answers answers_dir=$(cd "$(dirname "$answers")" && pwd)
      parse_answers "$answers"
    fi
  fi

  : >"$work/rows"
  : >"$work/failures"
  total_pass=0 total_fail=0 run_number=0
  run_total=$((n_selected * n_modes))
  for c in $selected; do
    for m in $selected_modes; do
      run_number=$((run_number + 1))
      run_one "$c" "$m"
    done
  done
  [ -s "$work/rows" ] || fail 2 "nothing was judged (every case skipped or without answers); no report written"

  mkdir -p "$out_dir" || fail 2 "cannot create $out_dir"
  stamp=$(date -u +%Y%m%d%H%M)
  report="$out_dir/calibration-report-${stamp:0:8}-${stamp:8:4}.md"
  write_report "$report" "$stamp"
  printf '%s\n' "$report"
  if [ "$total_fail" -gt 0 ]; then exit 1; fi
}

main
