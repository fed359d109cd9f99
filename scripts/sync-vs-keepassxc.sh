#!/usr/bin/env bash
# The same offline edits on two laptops, merged by keepassxc-cli and by crm-vault: which edits
# each keeps. Prints a Markdown table (docs/SYNC.md has the last run's).
#
# Each scenario starts from one vault copied to laptop A and laptop B (what a sync folder does),
# makes an edit on A, waits a little over a second (KeePassXC keeps times to the second), makes an
# edit on B, then merges B into A the way each tool does (`keepassxc-cli merge -s A B`,
# `crm-vault merge A B`) and reads the result. It also merges A into B and says whether the two
# laptops end up the same.
#
# Usage: scripts/sync-vs-keepassxc.sh [RESULTS_FILE]
# Environment: CRM_VAULT=PATH to use a given crm-vault binary instead of building one;
# KEEP_WORK=1 keeps the work folder. Needs keepassxc-cli (Debian: keepassxc); installs it with
# apt-get when run as root.
set -euo pipefail

RESULTS_FILE=${1:-}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PW='sync comparison'

BENCH_NAME=sync-vs-keepassxc
source "$REPO/scripts/lib/bench-common.sh"
need_tools keepassxc-cli:keepassxc
find_crm_vault

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sync-vs-keepassxc.XXXXXX")
if [[ -z ${KEEP_WORK:-} ]]; then trap 'rm -rf "$WORK"' EXIT; else say "Work folder: $WORK"; fi
cd "$WORK"

# --- the two tools behind one set of verbs ----------------------------------------------------
# kp_* act on NAME.kdbx, crm_* on NAME.crmvault; laptop a or b writes with its own identity.

kp() { keepassxc-cli "$@" 2>/dev/null; }
kp_new() {
    printf '%s\n%s\n' "$PW" "$PW" | kp db-create -q -p "$1.kdbx" >/dev/null
    printf '%s\nP1\n' "$PW" | kp add -q -u li.wei -p "$1.kdbx" CRM
    printf '%s\nM1\n' "$PW" | kp add -q -u li@example.com -p "$1.kdbx" Mail
    printf '%s\nE1\n' "$PW" | kp add -q -u E1024 -p "$1.kdbx" ERP
}
kp_password() { printf '%s\n%s\n' "$PW" "$3" | kp edit -q -p "$1.kdbx" "$2"; }
kp_username() { printf '%s\n' "$PW" | kp edit -q -u "$3" "$1.kdbx" "$2"; }
kp_notes() { printf '%s\n' "$PW" | kp edit -q --notes "$3" "$1.kdbx" "$2"; }
kp_rm() { printf '%s\n' "$PW" | kp rm -q "$1.kdbx" "$2" >/dev/null; }
kp_add() { printf '%s\n%s\n' "$PW" "$3" | kp add -q -p "$1.kdbx" "$2"; }
kp_merge() { printf '%s\n' "$PW" | kp merge -q -s "$1.kdbx" "$2.kdbx" >/dev/null; }
kp_get() { # FILE TITLE ATTRIBUTE -> value, or "(deleted)" if it is not outside the Recycle Bin
    # `show` also finds entries in the Recycle Bin, so look at where the entry is first.
    if printf '%s\n' "$PW" | kp ls -q -R -f "$1.kdbx" | grep -qxF "$2"; then
        printf '%s\n' "$PW" | kp show -q -s -a "$3" "$1.kdbx" "$2"
    else
        echo "(deleted)"
    fi
}
kp_titles() { printf '%s\n' "$PW" | kp ls -q -R -f "$1.kdbx" | grep -v '^Recycle Bin/' | sort | tr '\n' ' '; }
kp_in_history() { # FILE VALUE -> yes/no: is VALUE among the entries' earlier versions?
    printf '%s\n' "$PW" | kp export -q -f xml "$1.kdbx" |
        awk '/<History>/{h=1} /<\/History>/{h=0} h' | grep -qF ">$2<" && echo yes || echo no
}
kp_copy() { cp "$1.kdbx" "$2.kdbx"; }

crm() { # LAPTOP ARGS... (standard input passes through)
    local laptop=$1
    shift
    CRM_VAULT_CONFIG_DIR="$WORK/config-$laptop" "$CRM" "$@" 2>/dev/null
}
crm_new() {
    printf '%s\n' "$PW" | crm a init "$1.crmvault" --kdf-memory-mib 19 --kdf-iterations 2 --kdf-parallelism 1
    printf '%s\nP1\n' "$PW" | crm a add "$1.crmvault" --title CRM --username li.wei >/dev/null
    printf '%s\nM1\n' "$PW" | crm a add "$1.crmvault" --title Mail --username li@example.com >/dev/null
    printf '%s\nE1\n' "$PW" | crm a add "$1.crmvault" --title ERP --username E1024 >/dev/null
}
crm_password() { printf '%s\n%s\n' "$PW" "$3" | crm "$1" edit "$1.crmvault" "$2" --password-stdin; }
crm_username() { printf '%s\n' "$PW" | crm "$1" edit "$1.crmvault" "$2" --username "$3"; }
crm_notes() { printf '%s\n' "$PW" | crm "$1" edit "$1.crmvault" "$2" --notes "$3"; }
crm_rm() { printf '%s\n' "$PW" | crm "$1" rm "$1.crmvault" "$2"; }
crm_add() { printf '%s\n%s\n' "$PW" "$3" | crm "$1" add "$1.crmvault" --title "$2" >/dev/null; }
crm_merge() { printf '%s\n' "$PW" | crm "$1" merge "$1.crmvault" "$2.crmvault" >/dev/null; }
crm_get() {
    local field=${3,,}
    [[ $field == notes || $field == username || $field == password ]] || die "unknown field $3"
    printf '%s\n' "$PW" | crm a show "$1.crmvault" "$2" --field "$field" || echo "(deleted)"
}
crm_titles() { printf '%s\n' "$PW" | crm a ls "$1.crmvault" | cut -f2 | sort | tr '\n' ' '; }
crm_in_history() {
    local found=no title
    for title in $(crm_titles "$1"); do
        printf '%s\n' "$PW" | crm a show "$1.crmvault" "$title" --json -s | grep -qF "\"value\": \"$2\"" && found=yes
    done
    echo "$found"
}
crm_copy() { cp "$1.crmvault" "$2.crmvault"; }

# --- scenarios -----------------------------------------------------------------------------------
# Each prints "expected|keepassxc result|crm-vault result" after running on both tools.

run_scenario() { # NAME: runs scenario_NAME for tool $1 in a fresh pair of laptops
    local tool=$1 name=$2
    rm -rf a.* b.* a0.* base.* .a.* .b.* .a0.* .base.*
    "${tool}_new" base
    "${tool}_copy" base a
    "${tool}_copy" base b
    "scenario_$name" "$tool"
}

# A changes CRM's password; a moment later, B changes CRM's username.
scenario_fields() {
    local t=$1
    "${t}_password" a CRM P-from-A
    sleep 1.2
    "${t}_username" b CRM user-from-B
    "${t}_copy" a a0
    "${t}_merge" a b
    "${t}_merge" b a0
    echo "password $("${t}_get" a CRM Password), username $("${t}_get" a CRM UserName)"
}

# A writes CRM's notes; a moment later B writes them too.
scenario_same_field() {
    local t=$1
    "${t}_notes" a CRM notes-from-A
    sleep 1.2
    "${t}_notes" b CRM notes-from-B
    "${t}_copy" a a0
    "${t}_merge" a b
    "${t}_merge" b a0
    echo "notes $("${t}_get" a CRM Notes); A's notes in history: $("${t}_in_history" a notes-from-A)"
}

# A deletes Mail; a moment later B, still offline, changes Mail's password.
scenario_delete_then_edit() {
    local t=$1
    "${t}_rm" a Mail
    sleep 1.2
    "${t}_password" b Mail M-from-B
    "${t}_copy" a a0
    "${t}_merge" a b
    "${t}_merge" b a0
    echo "Mail's password: $("${t}_get" a Mail Password)"
}

# B changes ERP's password; a moment later A deletes ERP.
scenario_edit_then_delete() {
    local t=$1
    "${t}_password" b ERP E-from-B
    sleep 1.2
    "${t}_rm" a ERP
    "${t}_copy" a a0
    "${t}_merge" a b
    "${t}_merge" b a0
    echo "ERP: $("${t}_get" a ERP Password)"
}

# Both laptops add an entry.
scenario_both_add() {
    local t=$1
    "${t}_add" a Partner X1
    sleep 1.2
    "${t}_add" b Expenses X2
    "${t}_copy" a a0
    "${t}_merge" a b
    "${t}_merge" b a0
    echo "entries: $("${t}_titles" a)"
}

converged() { # TOOL: do laptops A and B read the same after merging both ways?
    local t=$1 title field same=yes
    for title in CRM Mail ERP Partner Expenses; do
        for field in Password UserName Notes; do
            [[ $("${t}_get" a "$title" "$field") == $("${t}_get" b "$title" "$field") ]] || same=no
        done
    done
    echo "$same"
}

declare -A EXPECTED=(
    [fields]="password P-from-A, username user-from-B (both edits)"
    [same_field]="notes notes-from-B; A's notes in history"
    [delete_then_edit]="Mail back, password M-from-B (edited after the deletion)"
    [edit_then_delete]="ERP deleted (deleted after the edit)"
    [both_add]="both new entries"
)
TABLE="| scenario | what should survive | keepassxc-cli $(keepassxc-cli --version) merge | crm-vault merge |
|---|---|---|---|"
for name in fields same_field delete_then_edit edit_then_delete both_add; do
    say "Scenario $name..."
    kp_result=$(run_scenario kp "$name")
    kp_same=$(converged kp)
    crm_result=$(run_scenario crm "$name")
    crm_same=$(converged crm)
    TABLE+="
| $name | ${EXPECTED[$name]} | $kp_result; laptops agree: $kp_same | $crm_result; laptops agree: $crm_same |"
done

printf '%s\n' "$TABLE"
[[ -z $RESULTS_FILE ]] || printf '%s\n' "$TABLE" >"$RESULTS_FILE"
