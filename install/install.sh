#!/usr/bin/env bash
# Installs the mythos skill for Claude Code by copying skills/mythos from this checkout.
# Works with the bash that ships on macOS (3.2) and on Linux. Run with --help for usage.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bash install/install.sh [--project] [--uninstall] [--dry-run] [--help]

Installs the mythos skill for Claude Code from this checkout.

  (no option)   install for you: ${CLAUDE_CONFIG_DIR:-$HOME/.claude}/skills/mythos
  --project     install for this project: ./.claude/skills/mythos
  --uninstall   remove the installed skill
  --dry-run     print what would happen and change nothing
  -h, --help    show this help

Running it again is safe: an identical install is left alone. An install that
differs from this checkout is moved to <skills dir>/.mythos-backups/ first,
never overwritten. Then start a new Claude Code session and type:
  /mythos <question>
EOF
}

say() { printf '%s\n' "$*"; }
fail() { # fail <exit code> <message>
  printf 'install.sh: %s\n' "$2" >&2
  exit "$1"
}

project=0
uninstall=0
dry_run=0
for arg in "$@"; do
  case "$arg" in
    --project) project=1 ;;
    --uninstall) uninstall=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option: %s\n\n' "$arg" >&2; usage >&2; exit 2 ;;
  esac
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$repo_root/skills/mythos"

if [ "$project" -eq 1 ]; then
  skills_dir="$PWD/.claude/skills"
else
  if [ -z "${CLAUDE_CONFIG_DIR:-}" ] && [ -z "${HOME:-}" ]; then
    fail 2 "neither CLAUDE_CONFIG_DIR nor HOME is set; cannot tell where Claude Code keeps its skills"
  fi
  skills_dir="${CLAUDE_CONFIG_DIR:-$HOME/.claude}/skills"
fi
target="$skills_dir/mythos"

# report <what was done> <what would be done>: one line either way.
report() {
  if [ "$dry_run" -eq 1 ]; then say "[dry run] would $2"; else say "$1"; fi
}

# The skill must be complete: SKILL.md plus every reference file it names.
check_checkout() {
  local missing="" name
  if [ ! -f "$src/SKILL.md" ]; then
    missing=" skills/mythos/SKILL.md"
  else
    while IFS= read -r name; do
      [ -z "$name" ] || [ -f "$src/references/$name" ] || missing="$missing skills/mythos/references/$name"
    done <<EOF
$(grep -o 'CLAUDE_SKILL_DIR}/references/[A-Za-z0-9._-]*\.md' "$src/SKILL.md" | sed 's|.*/references/||' | sort -u)
EOF
  fi
  if [ -n "$missing" ]; then
    fail 2 "incomplete checkout at $repo_root, missing:$missing
Clone the whole repository (or run 'node scripts/sync-skill.mjs' in it) and try again."
  fi
}

# True when the installed copy is a real folder with exactly the checkout's files.
up_to_date() {
  [ -d "$target" ] && [ ! -L "$target" ] && diff -r -q "$src" "$target" >/dev/null 2>&1
}

exists() { [ -e "$target" ] || [ -L "$target" ]; }

# Moves the current install aside to a fresh timestamped folder and prints where it went.
backup() {
  local base path n=1
  base="$skills_dir/.mythos-backups/mythos-$(date +%Y%m%d-%H%M%S)"
  path="$base"
  while [ -e "$path" ] || [ -L "$path" ]; do
    path="$base-$n"
    n=$((n + 1))
  done
  if [ "$dry_run" -eq 0 ]; then
    mkdir -p "$skills_dir/.mythos-backups"
    mv "$target" "$path"
  fi
  report "Moved the existing install (it differs from this checkout) to $path" \
    "move the existing install at $target (it differs from this checkout) to $path"
}

do_uninstall() {
  if ! exists; then
    say "The mythos skill is not installed at $target; nothing to do."
    return
  fi
  if up_to_date; then
    [ "$dry_run" -eq 1 ] || rm -rf "$target"
    report "Removed the mythos skill from $target" "remove the mythos skill from $target"
  else
    backup
    report "Uninstalled: nothing is left at $target" "leave nothing at $target"
  fi
  if [ -d "$skills_dir/.mythos-backups" ]; then
    say "Earlier backups remain in $skills_dir/.mythos-backups; delete them when you no longer need them."
  fi
}

do_install() {
  check_checkout
  if up_to_date; then
    say "The mythos skill at $target is already up to date."
    return
  fi
  if [ "$dry_run" -eq 1 ]; then
    exists && backup
    say "[dry run] would copy $src to $target"
    return
  fi
  # Stage the copy next to the target, nested one level down so Claude Code never sees a
  # half-written skill, then swap it in.
  mkdir -p "$skills_dir"
  staging=$(mktemp -d "$skills_dir/.mythos-install.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  mkdir "$staging/mythos"
  cp -R -L "$src/." "$staging/mythos/"
  exists && backup
  mv "$staging/mythos" "$target"
  say "Installed the mythos skill to $target"
  say "Start a new Claude Code session and type: /mythos <question>"
}

if [ "$uninstall" -eq 1 ]; then
  do_uninstall
else
  do_install
fi
