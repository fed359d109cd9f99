#!/usr/bin/env bash
# Importing a 10,000-entry KeePass file (KDBX 4, Argon2id) into a fresh vault with `crm-vault
# import`, next to `keepassxc-cli ls -R` opening the same file.
#
# Both tools derive the file's key first, and crm-vault also unlocks and saves its own vault, so
# each is timed on the 10,000-entry file and on a 1-entry file with the same key-derivation
# settings: "beyond key derivation" is (10k time - 1-entry time), the cost that grows with the
# file (decrypting, parsing, mapping the entries, and for crm-vault adding them and saving).
#
# Usage: scripts/bench-import-vs-keepassxc.sh [RESULTS_FILE]
#   The table goes to standard output, and also to RESULTS_FILE when given.
# Environment (all optional):
#   BENCH_ENTRIES=10000   entries in the big file
#   BENCH_RUNS=5          hyperfine runs per command (plus 1 warm-up)
#   BENCH_TMPDIR=DIR      where the work folder goes (default $TMPDIR or /tmp)
#   CRM_VAULT=PATH        a crm-vault binary to use instead of building target/release/crm-vault
#   CRM_KDF="19 2 1"      crm-vault's own vault: Argon2id MiB, passes, lanes
#   KDBX_KDF="19 2 1"     the KeePass files: Argon2id MiB, passes, lanes
#   CRM_VAULT_PEERS_PYTHON=PATH  python with pykeepass (default <repo>/.venv-peers/bin/python,
#                         made by scripts/install-deps); it writes the KeePass files
#   KEEP_WORK=1           keep the work folder after the run
# Needs keepassxc-cli (Debian: keepassxc) and hyperfine; installs both with apt-get when run as root.
set -euo pipefail

ENTRIES=${BENCH_ENTRIES:-10000}
RUNS=${BENCH_RUNS:-5}
read -r KDF_MIB KDF_T KDF_P <<<"${CRM_KDF:-19 2 1}"
read -r KDBX_MIB KDBX_T KDBX_P <<<"${KDBX_KDF:-19 2 1}"
RESULTS_FILE=${1:-}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${CRM_VAULT_PEERS_PYTHON:-$REPO/.venv-peers/bin/python}

BENCH_NAME=bench-import-vs-keepassxc
source "$REPO/scripts/lib/bench-common.sh"
need_tools keepassxc-cli:keepassxc hyperfine:hyperfine
[[ -x $PYTHON ]] && "$PYTHON" -c 'import pykeepass' 2>/dev/null \
    || die "no python with pykeepass at $PYTHON: run scripts/install-deps (or set CRM_VAULT_PEERS_PYTHON)"
find_crm_vault

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/crm-vault-bench.XXXXXX")
if [[ -n ${KEEP_WORK:-} ]]; then say "Work folder (kept): $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
export CRM_VAULT_CONFIG_DIR=$WORK/config
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
W=$WORK

# --- the KeePass files ---------------------------------------------------------------------------
# pykeepass writes KDBX 4 with Argon2id at the given settings. Entries are made with its Entry
# class directly: its add_entry looks for a duplicate first, which makes 10,000 adds quadratic.
# Each has a title, user name, password, URL, notes, a tag, a protected custom field (kept with
# the other strings, as KeePass writes them), and every fifth one a TOTP.
cat >"$W/make.py" <<'PY'
import random, sys
from lxml.builder import E
from pykeepass import PyKeePass
from pykeepass.entry import Entry
from pykeepass.pykeepass import BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD

n, only, out, password, mib, passes, lanes = sys.argv[1:8]
n, mib, passes, lanes = int(n), int(mib), int(passes), int(lanes)
kp = PyKeePass(BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD)
kdf = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
kdf['$UUID'].value = bytes.fromhex('9e298b1956db4773b23dfc3ec6f0a1e6')  # Argon2id
kdf['M'].value, kdf['I'].value, kdf['P'].value = mib << 20, passes, lanes
kp.filename, kp.password = out, password
systems = ['Salesforce', '纷享销客', 'HubSpot', '企业微信', 'Outlook Mail', '钉钉', 'SAP ERP', '用友 U8']
regions = ['华东', '华南', '华北', 'West', 'East', 'Central']
tags = ['crm', 'mail', 'erp', '客户', 'partner', '重要']
chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-=?@^_'
rng = random.Random(42)
root = kp.root_group._element
for i in range(n):
    system, region, tag = systems[i % len(systems)], rng.choice(regions), rng.choice(tags)
    pw = ''.join(rng.choice(chars) for _ in range(20))
    if only != '' and i != int(only):
        continue
    otp = 'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' if i % 5 == 0 else None
    e = Entry(f'{system} {region} #{i}', f'user{i % 97}@example.com', pw, url=f'https://crm{i % 12}.example.com/login',
              notes=f'Account {i} ({region}). 客户经理: li.wei. Call before visiting.', tags=[tag], otp=otp, kp=kp)
    e._element.findall('String')[-1].addnext(E.String(E.Key('PIN'), E.Value('%04d' % (i % 10000), Protected='True')))
    root.append(e._element)
kp.save()
PY
FILE_PW='KeePass 文件密码 9!'
MASTER='correct horse battery 马'
say "Writing the KeePass files ($ENTRIES entries and 1; Argon2id ${KDBX_MIB} MiB t=$KDBX_T p=$KDBX_P)..."
"$PYTHON" "$W/make.py" "$ENTRIES" '' "$W/big.kdbx" "$FILE_PW" "$KDBX_MIB" "$KDBX_T" "$KDBX_P"
"$PYTHON" "$W/make.py" "$ENTRIES" "$((ENTRIES / 2))" "$W/one.kdbx" "$FILE_PW" "$KDBX_MIB" "$KDBX_T" "$KDBX_P"

# Standard input: crm-vault takes its master password on line 1 and the file's on line 2;
# keepassxc-cli the file's on line 1.
printf '%s\n' "$MASTER" >"$W/pw-master"
printf '%s\n%s\n' "$MASTER" "$FILE_PW" >"$W/pw-import"
printf '%s\n' "$FILE_PW" >"$W/pw-file"

"$CRM" init "$W/empty.crmvault" --kdf-memory-mib "$KDF_MIB" --kdf-iterations "$KDF_T" --kdf-parallelism "$KDF_P" \
    <"$W/pw-master" >/dev/null 2>&1 || die "crm-vault init failed"
# Both tools must see every entry before anything is timed.
cp "$W/empty.crmvault" "$W/check.crmvault"
"$CRM" import "$W/check.crmvault" "$W/big.kdbx" <"$W/pw-import" >"$W/check.log" 2>&1 \
    || { cat "$W/check.log" >&2; die "crm-vault cannot import the KeePass file"; }
crm_count=$("$CRM" ls "$W/check.crmvault" <"$W/pw-master" | wc -l)
kpx_count=$(keepassxc-cli ls -R -f -q "$W/big.kdbx" <"$W/pw-file" | grep -vc '/$' || true)
[[ $crm_count == "$ENTRIES" && $kpx_count == "$ENTRIES" ]] \
    || die "entry counts: crm-vault $crm_count, keepassxc-cli $kpx_count, wanted $ENTRIES"

# --- timings -------------------------------------------------------------------------------------
# hyperfine takes --prepare for every command or none: keepassxc-cli's is `true`.
q() { printf '%q' "$1"; }
C=$(q "$CRM") QW=$(q "$W")
say "Timing ($RUNS runs each)..."
hyperfine --shell bash --style basic --warmup 1 --runs "$RUNS" --export-csv "$W/import.csv" \
    -n "crm-vault import $ENTRIES entries" -p "cp $QW/empty.crmvault $QW/run.crmvault && rm -rf $QW/run.backups" \
    "$C import $QW/run.crmvault $QW/big.kdbx < $QW/pw-import" \
    -n "crm-vault import 1 entry" -p "cp $QW/empty.crmvault $QW/run.crmvault && rm -rf $QW/run.backups" \
    "$C import $QW/run.crmvault $QW/one.kdbx < $QW/pw-import" \
    -n "keepassxc-cli ls -R $ENTRIES entries" -p true "keepassxc-cli ls -R -q $QW/big.kdbx < $QW/pw-file" \
    -n "keepassxc-cli ls -R 1 entry" -p true "keepassxc-cli ls -R -q $QW/one.kdbx < $QW/pw-file" \
    >"$W/hyperfine.log" 2>&1 || { cat "$W/hyperfine.log" >&2; die "hyperfine failed"; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table -------------------------------------------------------------------------------------
# hyperfine's CSV (command names hold no comma): command,mean,stddev,median,user,system,min,max (seconds).
median_ms() { awk -F, -v name="$1" 'NR > 1 && $1 == name { printf "%.1f", $4 * 1000 }' "$W/import.csv"; }
report() {
    local c10 c1 k10 k1
    c10=$(median_ms "crm-vault import $ENTRIES entries") c1=$(median_ms "crm-vault import 1 entry")
    k10=$(median_ms "keepassxc-cli ls -R $ENTRIES entries") k1=$(median_ms "keepassxc-cli ls -R 1 entry")
    printf 'Importing a %s-entry KeePass file (KDBX 4, Argon2id %s MiB t=%s p=%s, %s bytes) vs keepassxc-cli opening it\n' \
        "$ENTRIES" "$KDBX_MIB" "$KDBX_T" "$KDBX_P" "$(stat -c %s "$W/big.kdbx")"
    printf 'Machine: %s cores, %s; load average before %s, after %s\n' "$(nproc)" \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf 'Versions: %s; keepassxc-cli %s; %s; crm-vault vault Argon2id %s MiB t=%s p=%s\n\n' "$("$CRM" --version)" \
        "$(keepassxc-cli --version)" "$(hyperfine --version)" "$KDF_MIB" "$KDF_T" "$KDF_P"
    printf '| command | %s entries | 1 entry | beyond key derivation |\n|---|---:|---:|---:|\n' "$ENTRIES"
    awk -v a="$c10" -v b="$c1" 'BEGIN { printf "| crm-vault import (into a fresh vault, saved) | %.1f ms | %.1f ms | %.1f ms |\n", a, b, a - b }'
    awk -v a="$k10" -v b="$k1" 'BEGIN { printf "| keepassxc-cli ls -R (open and list) | %.1f ms | %.1f ms | %.1f ms |\n", a, b, a - b }'
    printf '\nWall time, median of %s runs (hyperfine, 1 warm-up). beyond key derivation = %s-entry time - 1-entry time.\n' "$RUNS" "$ENTRIES"
}
if [[ -n $RESULTS_FILE ]]; then report | tee "$RESULTS_FILE"; else report; fi
