#!/usr/bin/env bash
# Side by side on one machine: crm-vault and keepassxc-cli on the same 10,000 (or 100,000) entries.
#
# For each tool and each command (ls, show, add, and search as an extra) it times the command on
# a 10,000-entry vault and on a 1-entry vault with the same key-derivation settings. The 1-entry
# time is the tool's start-up + key derivation + file handling floor; "beyond baseline" is
# (10k time - 1-entry time), the cost that grows with the vault. The goal (docs/PERFORMANCE.md):
# crm-vault's cost beyond its baseline is at most 0.05 of keepassxc-cli's, and its file is no
# larger than KeePassXC's for the same entries.
#
# File sizes: the generator gives KeePassXC's entries sequential UUIDs, which compress well; real
# KeePass UUIDs are random (and crm-vault's import gives its entries random ids), so the compared
# sizes favour KeePassXC. The report also gives the size of a KeePassXC database of the same
# entries with random UUIDs (KPX_RANDOM_UUIDS=0 leaves that database out).
#
# Usage: scripts/bench-vs-keepassxc.sh [RESULTS_FILE]
#   The table goes to standard output, and also to RESULTS_FILE when given.
# Environment (all optional):
#   BENCH_ENTRIES=10000   entries in the big vault
#   BENCH_RUNS=10         hyperfine runs per command (plus 1 warm-up); default 3 when
#                         BENCH_ENTRIES > 20000 (keepassxc-cli takes ~10 s a command at 100,000)
#   BENCH_TMPDIR=DIR      where the work folder goes (default $TMPDIR or /tmp); use a real disk,
#                         not a tmpfs, if fsync should cost what it costs for users
#   CRM_VAULT=PATH        a crm-vault binary to use instead of building target/release/crm-vault
#   CRM_KDF="19 2 1"      crm-vault's Argon2id MiB, passes, lanes for the compared vaults
#   KEEP_WORK=1           keep the work folder (vaults, CSV/XML, hyperfine JSON) after the run
#   KPX_RANDOM_UUIDS=0    skip the extra KeePassXC database with random UUIDs (size only)
# Needs keepassxc-cli (Debian: keepassxc) and hyperfine; installs both with apt-get when run as root.
set -euo pipefail

ENTRIES=${BENCH_ENTRIES:-10000}
if ((ENTRIES > 20000)); then RUNS=${BENCH_RUNS:-3}; else RUNS=${BENCH_RUNS:-10}; fi
GOAL=0.05
read -r KDF_MIB KDF_T KDF_P <<<"${CRM_KDF:-19 2 1}"
RESULTS_FILE=${1:-}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

BENCH_NAME=bench-vs-keepassxc
source "$REPO/scripts/lib/bench-common.sh"
need_tools keepassxc-cli:keepassxc hyperfine:hyperfine
command -v awk >/dev/null || die "needs awk"
find_crm_vault

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/crm-vault-bench.XXXXXX")
if [[ -n ${KEEP_WORK:-} ]]; then say "Work folder (kept): $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
# crm-vault keeps this laptop's device id in its config folder: keep the user's out of it.
export CRM_VAULT_CONFIG_DIR=$WORK/config
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the same entries for both tools -----------------------------------------------------------
# One generator writes a Bitwarden-style CSV (crm-vault import reads its folder as a tag and its
# "fields" as a custom field) and a KeePass 2 XML file (keepassxc-cli import) with the same
# title, username, password, URL, notes, tag and custom field per entry. `only=K` writes entry K
# alone, identical to its row in the full set. `randuuid=1` gives the entries random-looking UUIDs
# (from their own generator, so every other value stays the same as in the sequential set).
cat >"$WORK/gen.awk" <<'AWK'
function xesc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
function cesc(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
function pick(arr, len) { return arr[int(rand() * len) + 1] }
function pw(len,   s, i) { s = ""; for (i = 0; i < len; i++) s = s substr(CH, int(rand() * length(CH)) + 1, 1); return s }
function uuid(k,   s, i) { s = ""; for (i = 0; i < 21; i++) { s = substr(B64, k % 64 + 1, 1) s; k = int(k / 64) }; return s "A==" }
# 16 random bytes in base64 (MINSTD: exact in awk's doubles, and independent of rand()).
function ruuid(   s, i) { s = ""; for (i = 0; i < 21; i++) { RS_ = (RS_ * 48271) % 2147483647; s = s substr(B64, int(RS_ / 1024) % 64 + 1, 1) }; RS_ = (RS_ * 48271) % 2147483647; return s substr("AQgw", int(RS_ / 1024) % 4 + 1, 1) "==" }
BEGIN {
  srand(42); RS_ = 12345
  CH = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-=?@^_"
  B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  ns = split("Salesforce|纷享销客|HubSpot|企业微信|Outlook Mail|钉钉|SAP ERP|用友 U8|Zoho CRM|金蝶云星空|Partner Portal|销售易", SYS, "|")
  split("login.salesforce.com|www.fxiaoke.com|app.hubspot.com|work.weixin.qq.com|outlook.office.com|login.dingtalk.com|erp.example.com|u8.yonyou.com|accounts.zoho.com|cloud.kingdee.com|partners.example.net|login.xiaoshouyi.com", HOST, "|")
  nr = split("华东|华南|华北|West|East|Central|西南", REG, "|")
  nc = split("Acme Corp|上海贸易有限公司|Globex|深圳科技|Initech|北京咨询|Umbrella|杭州物流", CUS, "|")
  np = split("li.wei|wang.fang|zhang.min|chen.jing|j.smith|m.garcia|liu.yang|a.mueller", PEO, "|")
  nt = split("crm|mail|erp|daily|客户|partner|finance|重要", TAG, "|")
  print "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp" > csv
  print "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" > xml
  print "<KeePassFile>\n\t<Meta>\n\t\t<Generator>bench-vs-keepassxc</Generator>\n\t\t<DatabaseName>bench</DatabaseName>\n\t</Meta>" > xml
  print "\t<Root>\n\t\t<Group>\n\t\t\t<UUID>" uuid(999999999) "</UUID>\n\t\t\t<Name>Root</Name>" > xml
  for (i = 0; i < n; i++) {
    s = i % ns + 1
    region = pick(REG, nr); customer = pick(CUS, nc); person = pick(PEO, np); tag = pick(TAG, nt)
    title = SYS[s] " " region " " customer " #" i
    user = person (i % 97) "@example.com"
    pass = pw(20)
    url = "https://" HOST[s] "/login?account=" i
    notes = "Account for " customer " (" region "). 客户经理: " person ". Renewal due " (2026 + i % 3) "-" sprintf("%02d", 1 + i % 12) "; call the front desk before visiting."
    fname = (i % 2 == 0) ? "employee id" : "PIN"
    fval = (i % 2 == 0) ? sprintf("E%06d", i) : sprintf("%04d", int(rand() * 10000))
    if (only != "" && i != only) continue
    if (only != "") print title > titlefile
    print cesc(tag) ",," cesc("login") "," cesc(title) "," cesc(notes) "," cesc(fname ": " fval) ",0," cesc(url) "," cesc(user) "," cesc(pass) "," > csv
    printf "\t\t\t<Entry>\n\t\t\t\t<UUID>%s</UUID>\n\t\t\t\t<Tags>%s</Tags>\n", (randuuid ? ruuid() : uuid(i + 1)), xesc(tag) > xml
    printf "\t\t\t\t<String><Key>Title</Key><Value>%s</Value></String>\n", xesc(title) > xml
    printf "\t\t\t\t<String><Key>UserName</Key><Value>%s</Value></String>\n", xesc(user) > xml
    printf "\t\t\t\t<String><Key>Password</Key><Value ProtectInMemory=\"True\">%s</Value></String>\n", xesc(pass) > xml
    printf "\t\t\t\t<String><Key>URL</Key><Value>%s</Value></String>\n", xesc(url) > xml
    printf "\t\t\t\t<String><Key>Notes</Key><Value>%s</Value></String>\n", xesc(notes) > xml
    printf "\t\t\t\t<String><Key>%s</Key><Value ProtectInMemory=\"True\">%s</Value></String>\n\t\t\t</Entry>\n", fname, xesc(fval) > xml
  }
  print "\t\t</Group>\n\t</Root>\n</KeePassFile>" > xml
}
AWK
W=$WORK
SHOW_INDEX=$((ENTRIES / 2))
BIG="$ENTRIES entries"
say "Generating $ENTRIES entries..."
t0=$(now_ms)
awk -v n="$ENTRIES" -v only= -v csv="$W/big.csv" -v xml="$W/big.xml" -f "$W/gen.awk"
GEN_MS=$(( $(now_ms) - t0 ))
if [[ ${KPX_RANDOM_UUIDS:-1} != 0 ]]; then
    awk -v n="$ENTRIES" -v only= -v randuuid=1 -v csv=/dev/null -v xml="$W/rand.xml" -f "$W/gen.awk"
fi
awk -v n="$ENTRIES" -v only="$SHOW_INDEX" -v csv="$W/one.csv" -v xml="$W/one.xml" -v titlefile="$W/title" -f "$W/gen.awk"
TITLE=$(cat "$W/title")
# A word that the shown entry has, so the search matches in both vault sizes.
SEARCH=${TITLE%% *}

# Secrets on standard input: line 1 the master password, line 2 a new entry's password.
printf '%s\n' 'correct horse battery 马' >"$W/pw1"
printf '%s\n%s\n' 'correct horse battery 马' 'New-entry-pw-9!' >"$W/pw2"
printf '%s\n%s\n' 'correct horse battery 马' 'correct horse battery 马' >"$W/pw-new"

# --- vaults and databases ----------------------------------------------------------------------
crm_init() { "$CRM" init "$1" --kdf-memory-mib "$2" --kdf-iterations "$3" --kdf-parallelism "$4" <"$W/pw1" 2>/dev/null; }
say "Creating the vaults ($ENTRIES entries; crm-vault Argon2id ${KDF_MIB} MiB t=$KDF_T p=$KDF_P, keepassxc-cli defaults)..."
crm_init "$W/big.crmvault" "$KDF_MIB" "$KDF_T" "$KDF_P"
t0=$(now_ms); "$CRM" import "$W/big.crmvault" "$W/big.csv" <"$W/pw1" >/dev/null; CRM_IMPORT_MS=$(( $(now_ms) - t0 ))
crm_init "$W/one.crmvault" "$KDF_MIB" "$KDF_T" "$KDF_P"
"$CRM" import "$W/one.crmvault" "$W/one.csv" <"$W/pw1" >/dev/null
crm_init "$W/empty.crmvault" "$KDF_MIB" "$KDF_T" "$KDF_P"
crm_init "$W/empty-default.crmvault" 64 3 4

# keepassxc-cli 2.7 writes KDBX 3.1 with AES-KDF (1,000,000 rounds unless -t is given); import
# without -t gives both databases the same settings.
# It prompts on stderr even with -q; its messages are shown only if it fails.
kpx() { keepassxc-cli "$@" <"$W/pw-new" 2>"$W/kpx.log" || { cat "$W/kpx.log" >&2; die "keepassxc-cli $1 failed"; }; }
t0=$(now_ms); kpx import -q -p "$W/big.xml" "$W/big.kdbx"; KPX_IMPORT_MS=$(( $(now_ms) - t0 ))
kpx import -q -p "$W/one.xml" "$W/one.kdbx"
if [[ -f $W/rand.xml ]]; then kpx import -q -p "$W/rand.xml" "$W/rand.kdbx"; rm -f "$W/rand.xml"; fi
kpx db-create -q -p "$W/empty.kdbx"
KPX_KDF=$(keepassxc-cli db-info -q "$W/big.kdbx" <"$W/pw1" | sed -n 's/^KDF: //p')
KPX_KDF_ONE=$(keepassxc-cli db-info -q "$W/one.kdbx" <"$W/pw1" | sed -n 's/^KDF: //p')
[[ $KPX_KDF == "$KPX_KDF_ONE" ]] || die "keepassxc databases differ in KDF: $KPX_KDF vs $KPX_KDF_ONE"

# Both hold the same entries, and both find the entry that `show` asks for.
crm_count=$("$CRM" ls "$W/big.crmvault" <"$W/pw1" | wc -l)
kpx_count=$(keepassxc-cli ls -q "$W/big.kdbx" <"$W/pw1" | wc -l)
[[ $crm_count == "$ENTRIES" && $kpx_count == "$ENTRIES" ]] || die "entry counts: crm-vault $crm_count, keepassxc $kpx_count, wanted $ENTRIES"
"$CRM" show "$W/big.crmvault" "$TITLE" <"$W/pw1" >/dev/null || die "crm-vault cannot show \"$TITLE\""
keepassxc-cli show -q "$W/big.kdbx" "$TITLE" <"$W/pw1" >/dev/null || die "keepassxc-cli cannot show \"$TITLE\""

# --- timings -------------------------------------------------------------------------------------
q() { printf '%q' "$1"; }
C=$(q "$CRM")
HF=(hyperfine --shell bash --style basic --warmup 1 --runs "$RUNS")
# bench NAME with four commands: crm 10k, crm 1, keepassxc 10k, keepassxc 1 (and prepares for add)
bench() {
    local name=$1
    say "Timing $name..."
    "${HF[@]}" --export-json "$W/$name.json" --export-csv "$W/$name.csv" "${@:2}" >"$W/$name.log" 2>&1 \
        || { cat "$W/$name.log" >&2; die "hyperfine failed for $name"; }
}
QW=$(q "$W")
CV_big=$QW/big.crmvault CV_one=$QW/one.crmvault KD_big=$QW/big.kdbx KD_one=$QW/one.kdbx
T=$(q "$TITLE")
ADD_CRM=(--title "'Bench new entry 新客户'" --username new.user@example.com --url https://crm.example.com/login --notes "'added by the benchmark'" --tag crm)
ADD_KPX=(-u new.user@example.com --url https://crm.example.com/login --notes "'added by the benchmark'" -p)

bench ls \
    -n "crm-vault $BIG" "$C ls $CV_big < $QW/pw1" \
    -n "crm-vault 1 entry" "$C ls $CV_one < $QW/pw1" \
    -n "keepassxc-cli $BIG" "keepassxc-cli ls -q $KD_big < $QW/pw1" \
    -n "keepassxc-cli 1 entry" "keepassxc-cli ls -q $KD_one < $QW/pw1"
bench show \
    -n "crm-vault $BIG" "$C show $CV_big $T < $QW/pw1" \
    -n "crm-vault 1 entry" "$C show $CV_one $T < $QW/pw1" \
    -n "keepassxc-cli $BIG" "keepassxc-cli show -q $KD_big $T < $QW/pw1" \
    -n "keepassxc-cli 1 entry" "keepassxc-cli show -q $KD_one $T < $QW/pw1"
bench search \
    -n "crm-vault $BIG" "$C search $CV_big $(q "$SEARCH") < $QW/pw1" \
    -n "crm-vault 1 entry" "$C search $CV_one $(q "$SEARCH") < $QW/pw1" \
    -n "keepassxc-cli $BIG" "keepassxc-cli search -q $KD_big $(q "$SEARCH") < $QW/pw1" \
    -n "keepassxc-cli 1 entry" "keepassxc-cli search -q $KD_one $(q "$SEARCH") < $QW/pw1"
# add: every run starts from a fresh copy, so the big vault stays at 10,000 entries.
bench add \
    -n "crm-vault $BIG" -p "cp $CV_big $QW/add.crmvault && rm -rf $QW/add.backups" "$C add $QW/add.crmvault ${ADD_CRM[*]} < $QW/pw2" \
    -n "crm-vault 1 entry" -p "cp $CV_one $QW/add.crmvault && rm -rf $QW/add.backups" "$C add $QW/add.crmvault ${ADD_CRM[*]} < $QW/pw2" \
    -n "keepassxc-cli $BIG" -p "cp $KD_big $QW/add.kdbx" "keepassxc-cli add -q ${ADD_KPX[*]} $QW/add.kdbx 'Bench new entry 新客户' < $QW/pw2" \
    -n "keepassxc-cli 1 entry" -p "cp $KD_one $QW/add.kdbx" "keepassxc-cli add -q ${ADD_KPX[*]} $QW/add.kdbx 'Bench new entry 新客户' < $QW/pw2"
# The floors: an empty vault with the compared KDF settings, with crm-vault's defaults, and an
# empty keepassxc-cli database.
bench kdf \
    -n "crm-vault empty; Argon2id ${KDF_MIB} MiB t=$KDF_T p=$KDF_P" "$C ls $QW/empty.crmvault < $QW/pw1" \
    -n "crm-vault empty; default Argon2id 64 MiB t=3 p=4" "$C ls $QW/empty-default.crmvault < $QW/pw1" \
    -n "keepassxc-cli empty; $KPX_KDF" "keepassxc-cli ls -q $QW/empty.kdbx < $QW/pw1"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table -------------------------------------------------------------------------------
# From hyperfine's CSV (command,mean,stddev,median,user,system,min,max), in ms: the median wall
# time, or the mean CPU time (user + system), which another program's load on the machine
# disturbs less (but which leaves out time spent waiting for the disk).
stat_ms() {
    awk -F, -v name="$2" -v what="$3" 'NR > 1 && $1 == name {
        printf "%.1f", (what == "cpu" ? $5 + $6 : $4) * 1000 }' "$W/$1.csv"
}
table() {
    local what=$1 cmd
    printf '| command | crm-vault %s | keepassxc-cli %s | crm-vault 1 entry | keepassxc-cli 1 entry | crm-vault beyond baseline | keepassxc-cli beyond baseline | ratio | goal (ratio <= %s) |\n' "$BIG" "$BIG" "$GOAL"
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---|\n'
    for cmd in ls show add search; do
        awk -v cmd="$cmd" -v goal_ratio="$GOAL" -v c10="$(stat_ms "$cmd" "crm-vault $BIG" "$what")" -v c1="$(stat_ms "$cmd" "crm-vault 1 entry" "$what")" \
            -v k10="$(stat_ms "$cmd" "keepassxc-cli $BIG" "$what")" -v k1="$(stat_ms "$cmd" "keepassxc-cli 1 entry" "$what")" 'BEGIN {
            cd = c10 - c1; kd = k10 - k1
            ratio = (kd > 0) ? sprintf("%.3f", cd / kd) : "n/a"
            goal = (kd > 0 && cd / kd <= goal_ratio) ? "met" : ((kd > 0) ? sprintf("missed (%.1fx the allowance)", cd / kd / goal_ratio) : "n/a")
            if (cmd == "search") { cmd = "search (extra)"; goal = "-" }
            printf "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s | %s |\n", cmd, c10, k10, c1, k1, cd, kd, ratio, goal
        }'
    done
}
# The files' sizes; the goal: crm-vault's no larger than KeePassXC's (the compared database).
files() {
    local crm kpx
    crm=$(stat -c %s "$W/big.crmvault") kpx=$(stat -c %s "$W/big.kdbx")
    printf '| file (%s) | bytes | bytes per entry |\n|---|---:|---:|\n' "$BIG"
    size_row() { awk -v name="$1" -v b="$2" -v n="$ENTRIES" 'BEGIN { printf "| %s | %d | %.1f |\n", name, b, b / n }'; }
    size_row "crm-vault .crmvault (random entry ids, from its CSV import)" "$crm"
    size_row "keepassxc .kdbx, sequential UUIDs (compared)" "$kpx"
    [[ ! -f $W/rand.kdbx ]] || size_row "keepassxc .kdbx, random UUIDs (as KeePassXC makes them; not compared)" "$(stat -c %s "$W/rand.kdbx")"
    awk -v c="$crm" -v k="$kpx" 'BEGIN { printf "\nFile size: crm-vault / keepassxc = %.3f; goal (<= 1): %s\n", c / k, (c <= k) ? "met" : sprintf("missed by %.1f%%", (c / k - 1) * 100) }'
}
report() {
    printf 'crm-vault vs keepassxc-cli on the same %s entries (hyperfine, %s runs + 1 warm-up per command)\n' "$ENTRIES" "$RUNS"
    printf 'Machine: %s cores, %s, %s, kernel %s; load average before %s, after %s\n' "$(nproc)" \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(. /etc/os-release && echo "$PRETTY_NAME")" \
        "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf 'Versions: %s; keepassxc-cli %s; %s\n' "$("$CRM" --version)" "$(keepassxc-cli --version)" "$(hyperfine --version)"
    printf 'KDF: crm-vault Argon2id %s MiB t=%s p=%s; keepassxc-cli %s (KDBX 3.1, its CLI default)\n' "$KDF_MIB" "$KDF_T" "$KDF_P" "$KPX_KDF"
    printf 'Generating %s entries: %s ms; import: crm-vault %s ms, keepassxc-cli %s ms (one run each)\n\n' \
        "$ENTRIES" "$GEN_MS" "$CRM_IMPORT_MS" "$KPX_IMPORT_MS"
    files
    printf '\n' 
    printf 'beyond baseline = time on %s - time on the 1-entry vault (same KDF); ratio = crm-vault / keepassxc-cli\n\n' "$BIG"
    printf 'Wall time, median:\n\n'
    table wall
    printf '\nCPU time (user + system), mean:\n\n'
    table cpu
    printf '\nFloors (ls on an empty vault; wall median, CPU mean):\n'
    awk -F, 'NR > 1 { printf "  %-50s %7.1f ms wall (min %.1f, max %.1f), %6.1f ms CPU\n", $1, $4 * 1000, $7 * 1000, $8 * 1000, ($5 + $6) * 1000 }' "$W/kdf.csv"
    printf '\nhyperfine JSON: %s/{ls,show,add,search,kdf}.json%s\n' "$W" "$([[ -n ${KEEP_WORK:-} ]] || echo ' (deleted at exit; KEEP_WORK=1 keeps it)')"
}
if [[ -n $RESULTS_FILE ]]; then report | tee "$RESULTS_FILE"; else report; fi
