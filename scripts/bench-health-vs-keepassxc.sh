#!/usr/bin/env bash
# Side by side on one machine: the security report of crm-vault (`crm-vault health`) and of
# keepassxc-cli (`keepassxc-cli analyze`) on the same entries, with and without a Have I Been Pwned
# "Pwned Passwords" file.
#
# It makes the same N entries (default 1,000) in a crm-vault vault and a KeePassXC database, and a
# 1-entry vault/database (entry #0 alone, identical to its row in the big set) with the same
# key-derivation settings; the entries' passwords are mostly random, some weak or common, some
# reused by several entries, some in the breach file. It writes a Pwned-Passwords-style file (SHA-1
# ordered by hash, `HEX40:COUNT`, CRLF; default 20,000,000 lines, about 900 MB) of random hashes
# with the SHA-1s of the breached passwords merged in at their places, checks that both tools find
# the same breached entries, then times with hyperfine:
#   hibp:   crm-vault health VAULT --hibp FILE      vs  keepassxc-cli analyze --hibp FILE DB
#   cold:   the same, with FILE dropped from the page cache before every run (dd iflag=nocache)
#   report: crm-vault health VAULT (weak, common, reused, incremental, personal, old, expired)
#           vs keepassxc-cli analyze --hibp TINY DB (a 1-line breach file). keepassxc-cli 2.7
#           has no report without a breach file: `analyze` alone fails ("Cannot find HIBP
#           file"), and it never rates strength or reuse. So this row is keepassxc's open + SHA-1
#           of every password + its report, not the same work as crm-vault's. `ls` of both
#           is timed next to it as each tool's "open and list" floor.
#
# Usage: scripts/bench-health-vs-keepassxc.sh [RESULTS_FILE]
#   The table goes to standard output, and also to RESULTS_FILE when given.
# Environment (all optional):
#   BENCH_ENTRIES=1000          entries in the big vault
#   BENCH_HIBP_LINES=20000000   lines in the breach file (0: skip the breach-file timings)
#   BENCH_RUNS=5                hyperfine runs per command (plus 1 warm-up)
#   BENCH_COLD=1                also time the breach-file look-ups with the file out of the page
#                               cache (0: skip)
#   BENCH_TMPDIR=DIR            where the work folder goes (default $TMPDIR or /tmp); it needs
#                               about 45 bytes per breach-file line
#   CRM_VAULT=PATH              a crm-vault binary to use instead of building target/release/crm-vault
#   CRM_KDF="19 2 1"            crm-vault's Argon2id MiB, passes, lanes
#   KEEP_WORK=1                 keep the work folder (vaults, CSV/XML, hyperfine JSON) after the
#                               run; the breach file is deleted all the same unless KEEP_HIBP=1
# Needs keepassxc-cli (Debian: keepassxc), hyperfine, mawk or gawk, perl (Digest::SHA) and GNU dd;
# installs keepassxc and hyperfine with apt-get when run as root.
set -euo pipefail

ENTRIES=${BENCH_ENTRIES:-1000}
HIBP_LINES=${BENCH_HIBP_LINES:-20000000}
RUNS=${BENCH_RUNS:-5}
COLD=${BENCH_COLD:-1}
read -r KDF_MIB KDF_T KDF_P <<<"${CRM_KDF:-19 2 1}"
RESULTS_FILE=${1:-}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

BENCH_NAME=bench-health-vs-keepassxc
source "$REPO/scripts/lib/bench-common.sh"
need_tools keepassxc-cli:keepassxc hyperfine:hyperfine
AWK=$(command -v mawk || command -v gawk || command -v awk) || die "needs awk"
perl -MDigest::SHA=sha1_hex -e1 2>/dev/null || die "needs perl with Digest::SHA"

find_crm_vault

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/crm-vault-bench-health.XXXXXX")
HIBP=$WORK/pwned-passwords-sha1-ordered-by-hash.txt
cleanup() {
    if [[ -n ${KEEP_WORK:-} ]]; then
        [[ -n ${KEEP_HIBP:-} ]] || rm -f "$HIBP"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
[[ -z ${KEEP_WORK:-} ]] || say "Work folder (kept): $WORK"
# crm-vault keeps this computer's device id in its config folder: keep the user's out of it.
export CRM_VAULT_CONFIG_DIR=$WORK/config
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
W=$WORK

# --- the same entries for both tools -----------------------------------------------------------
# A Bitwarden-style CSV (crm-vault import) and a KeePass 2 XML file (keepassxc-cli import) with the
# same title, username, password, URL and notes per entry, as in scripts/bench-vs-keepassxc.sh.
# Passwords by entry number i:
#   i % 10 == 0         one of 16 weak passwords (common ones, name + year, ...): 12 of them breached
#   i % 10 == 1         a random 16-character password shared by the 5 such entries of each block
#                       of 50 (reused); every other block's is breached
#   i % 20 == 5         a random 20-character password that is breached
#   otherwise           a random 20-character password
# `only=K` writes entry K alone, identical to its row in the full set. `bfile` gets the distinct
# breached passwords, `expfile` the number of entries whose password is breached.
cat >"$W/gen.awk" <<'AWK'
function xesc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
function cesc(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
function pick(arr, len) { return arr[int(rand() * len) + 1] }
function pw(len,   s, i) { s = ""; for (i = 0; i < len; i++) s = s substr(CH, int(rand() * length(CH)) + 1, 1); return s }
function uuid(k,   s, i) { s = ""; for (i = 0; i < 21; i++) { s = substr(B64, k % 64 + 1, 1) s; k = int(k / 64) }; return s "A==" }
function breach(p) { if (!(p in BREACHED)) { BREACHED[p] = 1; if (only == "") print p > bfile } }
BEGIN {
  srand(42)
  CH = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-=?@^_"
  B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  ns = split("Salesforce|纷享销客|HubSpot|企业微信|Outlook Mail|钉钉|SAP ERP|用友 U8|Zoho CRM|金蝶云星空|Partner Portal|销售易", SYS, "|")
  split("login.salesforce.com|www.fxiaoke.com|app.hubspot.com|work.weixin.qq.com|outlook.office.com|login.dingtalk.com|erp.example.com|u8.yonyou.com|accounts.zoho.com|cloud.kingdee.com|partners.example.net|login.xiaoshouyi.com", HOST, "|")
  nr = split("华东|华南|华北|West|East|Central|西南", REG, "|")
  nc = split("Acme Corp|上海贸易有限公司|Globex|深圳科技|Initech|北京咨询|Umbrella|杭州物流", CUS, "|")
  np = split("li.wei|wang.fang|zhang.min|chen.jing|j.smith|m.garcia|liu.yang|a.mueller", PEO, "|")
  nt = split("crm|mail|erp|daily|客户|partner|finance|重要", TAG, "|")
  # The first 12 are in the breach file, the last 4 not.
  nweak = split("password1|123456789|P@ssw0rd|qwerty123|iloveyou|Welcome1|woaini1314|1qaz2wsx|Summer2024!|我爱你1314|Zhang@123|admin123|Liwei1987|acme2025|Shanghai88|Dragon#7", WEAK, "|")
  for (g = 0; g <= int(n / 50); g++) GROUP[g] = pw(16)
  print "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp" > csv
  print "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" > xml
  print "<KeePassFile>\n\t<Meta>\n\t\t<Generator>bench-health-vs-keepassxc</Generator>\n\t\t<DatabaseName>bench</DatabaseName>\n\t</Meta>" > xml
  print "\t<Root>\n\t\t<Group>\n\t\t\t<UUID>" uuid(999999999) "</UUID>\n\t\t\t<Name>Root</Name>" > xml
  expected = 0
  for (i = 0; i < n; i++) {
    s = i % ns + 1
    region = pick(REG, nr); customer = pick(CUS, nc); person = pick(PEO, np); tag = pick(TAG, nt)
    title = SYS[s] " " region " " customer " #" i
    user = person (i % 97) "@example.com"
    pass = pw(20)
    url = "https://" HOST[s] "/login?account=" i
    notes = "Account for " customer " (" region "). 客户经理: " person ". Renewal due " (2026 + i % 3) "-" sprintf("%02d", 1 + i % 12) "."
    if (i % 10 == 0) {
      w = int(i / 10) % nweak + 1; pass = WEAK[w]; if (w <= 12) breach(pass)
    } else if (i % 10 == 1) {
      g = int(i / 50); pass = GROUP[g]; if (g % 2 == 0) breach(pass)
    } else if (i % 20 == 5) {
      breach(pass)
    }
    if (pass in BREACHED) expected++
    if (only != "" && i != only) continue
    print cesc(tag) ",," cesc("login") "," cesc(title) "," cesc(notes) ",,0," cesc(url) "," cesc(user) "," cesc(pass) "," > csv
    printf "\t\t\t<Entry>\n\t\t\t\t<UUID>%s</UUID>\n\t\t\t\t<Tags>%s</Tags>\n", uuid(i + 1), xesc(tag) > xml
    printf "\t\t\t\t<String><Key>Title</Key><Value>%s</Value></String>\n", xesc(title) > xml
    printf "\t\t\t\t<String><Key>UserName</Key><Value>%s</Value></String>\n", xesc(user) > xml
    printf "\t\t\t\t<String><Key>Password</Key><Value ProtectInMemory=\"True\">%s</Value></String>\n", xesc(pass) > xml
    printf "\t\t\t\t<String><Key>URL</Key><Value>%s</Value></String>\n", xesc(url) > xml
    printf "\t\t\t\t<String><Key>Notes</Key><Value>%s</Value></String>\n\t\t\t</Entry>\n", xesc(notes) > xml
  }
  print "\t\t</Group>\n\t</Root>\n</KeePassFile>" > xml
  if (only == "") print expected > expfile
}
AWK
LC_ALL=C "$AWK" -v n="$ENTRIES" -v only= -v csv="$W/big.csv" -v xml="$W/big.xml" -v bfile="$W/breached.txt" \
    -v expfile="$W/expected" -f "$W/gen.awk"
LC_ALL=C "$AWK" -v n="$ENTRIES" -v only=0 -v csv="$W/one.csv" -v xml="$W/one.xml" -f "$W/gen.awk"
EXPECTED=$(cat "$W/expected")
DISTINCT_BREACHED=$(wc -l <"$W/breached.txt")

# --- the breach file -------------------------------------------------------------------------------
# The real SHA-1s (upper-case hex of the UTF-8 bytes, as the site publishes them), with counts.
perl -MDigest::SHA=sha1_hex -ne 'chomp; printf "%s:%d\n", uc sha1_hex($_), 1 + ($. * 7919) % 250000' \
    "$W/breached.txt" | LC_ALL=C sort -u >"$W/real"
# Random filler, written already in order of hash so that no sort of ~900 MB is needed: an
# 8-hex-digit prefix that grows by a random gap (mean 2^32 / lines, so the last is near FFFFFFFF)
# and 32 random hex digits; the real lines are merged in at their places. Counts are skewed low,
# as in the real file.
cat >"$W/fill.awk" <<'AWK'
function rnd8() { return sprintf("%08X", int(rand() * 4294967296)) }
BEGIN {
  srand(7)
  gap = 2 * 4294967296 / m
  have = (getline r < real) > 0
  p = 0
  for (i = 0; i < m; i++) {
    p += 1 + int(rand() * (gap - 1))
    h = sprintf("%08X", p) rnd8() rnd8() rnd8() rnd8()
    while (have && substr(r, 1, 40) "" < h "") { printf "%s\r\n", r; have = (getline r < real) > 0 }
    printf "%s:%d\r\n", h, 1 + int(rand() * rand() * 5000)
  }
  while (have) { printf "%s\r\n", r; have = (getline r < real) > 0 }
}
AWK
HIBP_MS=0
if ((HIBP_LINES > 0)); then
    say "Writing the breach file ($HIBP_LINES random lines + $DISTINCT_BREACHED real ones)..."
    t0=$(now_ms)
    LC_ALL=C "$AWK" -v m="$HIBP_LINES" -v real="$W/real" -f "$W/fill.awk" >"$HIBP"
    HIBP_MS=$(( $(now_ms) - t0 ))
fi
# keepassxc-cli's stand-in for "no breach file": one line that matches nothing.
printf '0000000000000000000000000000000000000000:1\r\n' >"$W/tiny-hibp.txt"

# Secrets on standard input: the master password (twice when a tool creates a database).
printf '%s\n' 'correct horse battery 马' >"$W/pw1"
printf '%s\n%s\n' 'correct horse battery 马' 'correct horse battery 马' >"$W/pw-new"

# --- vaults and databases ----------------------------------------------------------------------
crm_init() { "$CRM" init "$1" --kdf-memory-mib "$KDF_MIB" --kdf-iterations "$KDF_T" --kdf-parallelism "$KDF_P" <"$W/pw1" 2>/dev/null; }
say "Creating the vaults ($ENTRIES entries; crm-vault Argon2id ${KDF_MIB} MiB t=$KDF_T p=$KDF_P, keepassxc-cli defaults)..."
for v in big one; do
    crm_init "$W/$v.crmvault"
    "$CRM" import "$W/$v.crmvault" "$W/$v.csv" <"$W/pw1" >/dev/null
done
# keepassxc-cli 2.7 writes KDBX 3.1 with AES-KDF (1,000,000 rounds unless -t is given); import
# without -t gives both databases the same settings. It prompts on stderr even with -q.
kpx() { keepassxc-cli "$@" <"$W/pw-new" 2>"$W/kpx.log" || { cat "$W/kpx.log" >&2; die "keepassxc-cli $1 failed"; }; }
kpx import -q -p "$W/big.xml" "$W/big.kdbx"
kpx import -q -p "$W/one.xml" "$W/one.kdbx"
KPX_KDF=$(keepassxc-cli db-info -q "$W/big.kdbx" <"$W/pw1" | sed -n 's/^KDF: //p')

crm_count=$("$CRM" ls "$W/big.crmvault" <"$W/pw1" | wc -l)
kpx_count=$(keepassxc-cli ls -q "$W/big.kdbx" <"$W/pw1" | wc -l)
[[ $crm_count == "$ENTRIES" && $kpx_count == "$ENTRIES" ]] || die "entry counts: crm-vault $crm_count, keepassxc $kpx_count, wanted $ENTRIES"

# --- what each tool finds ----------------------------------------------------------------------
# crm-vault's second line: "breached B, common C, weak W, reused R, ...". keepassxc-cli: one line
# "Password for 'TITLE' has been leaked N times!" per entry.
crm_counts() { "$CRM" health "$@" <"$W/pw1" | sed -n 2p; }
crm_kind() { sed -n "s/.*\\b$1 \\([0-9]*\\).*/\\1/p" <<<"$2"; }
FOUND_NOTE=""
CRM_REPORT_BIG=$(crm_counts "$W/big.crmvault")
if ((HIBP_LINES > 0)); then
    say "Checking what both tools find in the breach file..."
    CRM_REPORT_BIG=$(crm_counts "$W/big.crmvault" --hibp "$HIBP")
    CRM_BREACHED=$(crm_kind breached "$CRM_REPORT_BIG")
    KPX_BREACHED=$(keepassxc-cli analyze -q --hibp "$HIBP" "$W/big.kdbx" <"$W/pw1" | grep -c 'has been leaked' || true)
    CRM_BREACHED_ONE=$(crm_kind breached "$(crm_counts "$W/one.crmvault" --hibp "$HIBP")")
    KPX_BREACHED_ONE=$(keepassxc-cli analyze -q --hibp "$HIBP" "$W/one.kdbx" <"$W/pw1" | grep -c 'has been leaked' || true)
    FOUND_NOTE="Breached entries ($ENTRIES-entry set; $DISTINCT_BREACHED distinct breached passwords): expected $EXPECTED, crm-vault $CRM_BREACHED, keepassxc-cli $KPX_BREACHED; 1-entry set: crm-vault $CRM_BREACHED_ONE, keepassxc-cli $KPX_BREACHED_ONE"
    if [[ $CRM_BREACHED == "$EXPECTED" && $KPX_BREACHED == "$EXPECTED" ]]; then
        FOUND_NOTE+=" (all agree)"
    else
        FOUND_NOTE+=" (MISMATCH)"
    fi
    say "$FOUND_NOTE"
fi

# --- timings -------------------------------------------------------------------------------------
q() { printf '%q' "$1"; }
C=$(q "$CRM")
QW=$(q "$W")
QH=$(q "$HIBP")
BIG="$ENTRIES entries"
HF=(hyperfine --shell bash --style basic --warmup 1 --runs "$RUNS")
GROUPS_RUN=()
bench() {
    local name=$1
    say "Timing $name..."
    "${HF[@]}" --export-json "$W/$name.json" --export-csv "$W/$name.csv" "${@:2}" >"$W/$name.log" 2>&1 \
        || { cat "$W/$name.log" >&2; die "hyperfine failed for $name"; }
    GROUPS_RUN+=("$name")
}
if ((HIBP_LINES > 0)); then
    bench hibp \
        -n "crm-vault health --hibp; $BIG" "$C health $QW/big.crmvault --hibp $QH < $QW/pw1" \
        -n "crm-vault health --hibp; 1 entry" "$C health $QW/one.crmvault --hibp $QH < $QW/pw1" \
        -n "keepassxc-cli analyze --hibp; $BIG" "keepassxc-cli analyze -q --hibp $QH $QW/big.kdbx < $QW/pw1" \
        -n "keepassxc-cli analyze --hibp; 1 entry" "keepassxc-cli analyze -q --hibp $QH $QW/one.kdbx < $QW/pw1"
    if [[ $COLD == 1 ]]; then
        DROP="dd if=$QH iflag=nocache count=0 status=none"
        bench cold \
            -n "crm-vault health --hibp; $BIG" -p "$DROP" "$C health $QW/big.crmvault --hibp $QH < $QW/pw1" \
            -n "keepassxc-cli analyze --hibp; $BIG" -p "$DROP" "keepassxc-cli analyze -q --hibp $QH $QW/big.kdbx < $QW/pw1"
    fi
fi
bench report \
    -n "crm-vault health; $BIG" "$C health $QW/big.crmvault < $QW/pw1" \
    -n "crm-vault health; 1 entry" "$C health $QW/one.crmvault < $QW/pw1" \
    -n "keepassxc-cli analyze --hibp 1-line file; $BIG" "keepassxc-cli analyze -q --hibp $QW/tiny-hibp.txt $QW/big.kdbx < $QW/pw1" \
    -n "keepassxc-cli analyze --hibp 1-line file; 1 entry" "keepassxc-cli analyze -q --hibp $QW/tiny-hibp.txt $QW/one.kdbx < $QW/pw1" \
    -n "crm-vault ls; $BIG" "$C ls $QW/big.crmvault < $QW/pw1" \
    -n "crm-vault ls; 1 entry" "$C ls $QW/one.crmvault < $QW/pw1" \
    -n "keepassxc-cli ls; $BIG" "keepassxc-cli ls -q $QW/big.kdbx < $QW/pw1" \
    -n "keepassxc-cli ls; 1 entry" "keepassxc-cli ls -q $QW/one.kdbx < $QW/pw1"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table -------------------------------------------------------------------------------
# From hyperfine's CSV (command,mean,stddev,median,user,system,min,max), in ms.
stat_ms() {
    awk -F, -v name="$2" -v what="$3" 'NR > 1 && $1 == name {
        if (what == "cpu") v = $5 + $6; else if (what == "min") v = $7; else if (what == "max") v = $8; else v = $4
        printf "%.1f", v * 1000 }' "$W/$1.csv"
}
row() { # group, label, command name without the "; size" part
    local g=$1 label=$2 cmd=$3 big one
    big=$(stat_ms "$g" "$cmd; $BIG" wall)
    one=$(stat_ms "$g" "$cmd; 1 entry" wall)
    if [[ -z $one ]]; then
        printf '| %s | %s ms (%s–%s) | | | %s ms |\n' "$label" "$big" "$(stat_ms "$g" "$cmd; $BIG" min)" \
            "$(stat_ms "$g" "$cmd; $BIG" max)" "$(stat_ms "$g" "$cmd; $BIG" cpu)"
    else
        awk -v l="$label" -v b="$big" -v o="$one" -v bmin="$(stat_ms "$g" "$cmd; $BIG" min)" -v bmax="$(stat_ms "$g" "$cmd; $BIG" max)" \
            -v cb="$(stat_ms "$g" "$cmd; $BIG" cpu)" -v co="$(stat_ms "$g" "$cmd; 1 entry" cpu)" 'BEGIN {
            printf "| %s | %.1f ms (%.1f–%.1f) | %.1f ms | %.1f ms | %.1f ms / %.1f ms |\n", l, b, bmin, bmax, o, b - o, cb, co }'
    fi
}
report() {
    printf 'Security report: crm-vault health vs keepassxc-cli analyze on the same %s entries (hyperfine, %s runs + 1 warm-up)\n' "$ENTRIES" "$RUNS"
    printf 'Machine: %s cores, %s, %s, kernel %s; load average before %s, after %s\n' "$(nproc)" \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(. /etc/os-release && echo "$PRETTY_NAME")" \
        "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf 'Versions: %s; keepassxc-cli %s; %s\n' "$("$CRM" --version)" "$(keepassxc-cli --version)" "$(hyperfine --version)"
    printf 'KDF: crm-vault Argon2id %s MiB t=%s p=%s; keepassxc-cli %s (KDBX 3.1, its CLI default)\n' "$KDF_MIB" "$KDF_T" "$KDF_P" "$KPX_KDF"
    if ((HIBP_LINES > 0)); then
        printf 'Breach file: %s lines, %s bytes (SHA-1 ordered by hash, CRLF), written in %s ms\n' \
            "$(( HIBP_LINES + DISTINCT_BREACHED ))" "$(stat -c %s "$HIBP")" "$HIBP_MS"
        printf '%s\n' "$FOUND_NOTE"
    fi
    printf 'crm-vault health without a breach file, %s entries: %s\n\n' "$ENTRIES" "$(crm_counts "$W/big.crmvault")"
    printf '| command | %s: wall median (min–max) | 1 entry: wall median | beyond 1 entry | CPU mean (user+sys): %s / 1 entry |\n' "$BIG" "$BIG"
    printf '|---|---:|---:|---:|---:|\n'
    if [[ " ${GROUPS_RUN[*]} " == *" hibp "* ]]; then
        row hibp "crm-vault health --hibp FILE" "crm-vault health --hibp"
        row hibp "keepassxc-cli analyze --hibp FILE" "keepassxc-cli analyze --hibp"
    fi
    if [[ " ${GROUPS_RUN[*]} " == *" cold "* ]]; then
        row cold "crm-vault health --hibp FILE, FILE not in page cache" "crm-vault health --hibp"
        row cold "keepassxc-cli analyze --hibp FILE, FILE not in page cache" "keepassxc-cli analyze --hibp"
    fi
    row report "crm-vault health (no breach file)" "crm-vault health"
    row report "keepassxc-cli analyze --hibp 1-line file" "keepassxc-cli analyze --hibp 1-line file"
    row report "crm-vault ls" "crm-vault ls"
    row report "keepassxc-cli ls" "keepassxc-cli ls"
    printf '\nhyperfine JSON: %s/{%s}.json%s\n' "$W" "$(IFS=,; echo "${GROUPS_RUN[*]}")" \
        "$([[ -n ${KEEP_WORK:-} ]] || echo ' (deleted at exit; KEEP_WORK=1 keeps it)')"
}
if [[ -n $RESULTS_FILE ]]; then report | tee "$RESULTS_FILE"; else report; fi
