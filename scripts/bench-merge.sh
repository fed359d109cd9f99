#!/usr/bin/env bash
# How long taking in another laptop's copy costs on a big vault: `crm-vault merge` of two copies of
# a 10,000-entry vault that differ in one entry (what the app does when the sync service brings a
# new version, plus the CLI's start-up and key derivation), next to `crm-vault ls` of the same
# vault (start-up, key derivation, reading: the floor).
#
# Usage: scripts/bench-merge.sh        Environment: BENCH_ENTRIES (10000), CRM_VAULT=PATH.
# Needs hyperfine (installed with apt-get when run as root).
set -euo pipefail
ENTRIES=${BENCH_ENTRIES:-10000}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=bench-merge
source "$REPO/scripts/lib/bench-common.sh"
need_tools hyperfine:hyperfine
find_crm_vault
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-merge.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
python3 - "$ENTRIES" >entries.csv <<'PY'
import random, string, sys
print("title,username,password,url,notes")
for i in range(int(sys.argv[1])):
    pw = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(20))
    print(f"System {i},user{i}@example.com,{pw},https://s{i}.example.com/login,notes for {i}")
PY
export CRM_VAULT_CONFIG_DIR=$WORK/laptop-a
printf 'pw\n' | "$CRM" init a.crmvault --kdf-memory-mib 19 --kdf-iterations 2 --kdf-parallelism 1 2>/dev/null
printf 'pw\n' | "$CRM" import a.crmvault entries.csv >/dev/null 2>&1
cp a.crmvault b.crmvault
printf 'pw\n' | CRM_VAULT_CONFIG_DIR=$WORK/laptop-b "$CRM" edit b.crmvault "System 5" --notes "from laptop B" 2>/dev/null
# Debian 12's hyperfine (1.15) has no --input: the master password comes through a shell pipe,
# the same small cost in both rows.
hyperfine -w 1 -r 10 --prepare "cp a.crmvault work.crmvault" \
    -n "merge ($ENTRIES entries, 1 changed)" "printf 'pw\\n' | $CRM merge work.crmvault b.crmvault" \
    -n "ls ($ENTRIES entries)" "printf 'pw\\n' | $CRM ls a.crmvault >/dev/null"
