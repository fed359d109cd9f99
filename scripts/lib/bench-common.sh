# What the comparison scripts share (sourced, not run): messages, the tools they need, and the
# crm-vault binary they time. Set BENCH_NAME before sourcing; it prefixes error messages.

say() { printf '%s\n' "$*" >&2; }
die() { say "${BENCH_NAME:-bench}: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# need_tools COMMAND:DEBIAN_PACKAGE...: installs the packages of missing commands with apt-get
# when run as root, or says how to.
need_tools() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    ((${#missing[@]})) || return 0
    [[ $(id -u) == 0 ]] || die "needs ${missing[*]}: run as root to install, or: sudo apt-get install ${missing[*]}"
    say "Installing ${missing[*]} with apt-get..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Sets CRM: $CRM_VAULT if given, else the release build of this repository (built now).
find_crm_vault() {
    local repo
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    if [[ -n ${CRM_VAULT:-} ]]; then
        CRM=$CRM_VAULT
    else
        say "Building crm-vault (release)..."
        (cd "$repo" && cargo build --release -q -p crm-vault-cli)
        CRM=$repo/target/release/crm-vault
    fi
    [[ -x $CRM ]] || die "no crm-vault binary at $CRM"
}
