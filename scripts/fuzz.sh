#!/usr/bin/env bash
# Fuzzes every parser for SECONDS each (default 30), starting where earlier runs ended.
#
#   scripts/fuzz.sh [SECONDS]
#
# Each target starts from three corpora: fuzz/seeds/<target>/ (committed: a minimised corpus of
# earlier long runs), fuzz/regressions/<target>/ (committed: inputs that once crashed, kept whole
# so they are replayed at every run), and fuzz/corpus/<target>/ (this computer's own, not
# committed, kept between runs: what every earlier run here found). So a short run in CI starts
# from the coverage the committed seeds reach, and a long run here goes on from the last one.
#
# Targets (fuzz/fuzz_targets/): vault_file (the .crmvault reader), vault_payload (the decrypted
# JSON payload, behind a valid header), csv_import (other managers' CSV exports), otpauth_uri
# (TOTP links and keys typed or pasted), qr_image (image files imported as QR codes), merge_copy
# (a copy from the sync folder merged into a vault: no panic, no clock left a day ahead),
# autotype_sequence (auto-type sequences typed into an entry: no panic, written back the same),
# handover_file (.crmhandover files and their decrypted payload, received into a vault),
# company_policy (the company policy TOML: refused with a position, or obeyed by the generator),
# crm_vault_export (our encrypted JSON export given to import: checks before the key derivation,
# then the cheapest settings with the seed's password),
# bitwarden_json (Bitwarden JSON exports, plain and the data of a password-protected one),
# onepassword_1pux (1Password 1PUX zips, and any export.data inside one),
# kdbx_import (KeePass files opened with a fixed password: an error or entries, never a panic).
# Exits non-zero if any target crashes; the input is saved under fuzz/artifacts/<target>/ and the
# command to replay it is printed.
#
# Environment:
#   FUZZ_TARGETS="vault_file csv_import"   run only these targets
#   FUZZ_SANITIZER=none                    no AddressSanitizer (faster runs; default: address)
#   FUZZ_VERBOSE=1                         stream libFuzzer's output instead of a summary
#   FUZZ_UPDATE_SEEDS=1                    after each target's run, minimise seeds + local corpus
#                                          into fuzz/seeds/<target>/ (libFuzzer -merge=1), to be
#                                          committed after a long run
#
# cargo-fuzz needs nightly-only compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1 lets
# rustc accept them. New inputs found are kept in fuzz/corpus/<target>/ (not committed).
set -euo pipefail

duration="${1:-30}"
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
targets=(${FUZZ_TARGETS:-vault_file vault_payload csv_import otpauth_uri qr_image merge_copy autotype_sequence handover_file company_policy crm_vault_export bitwarden_json onepassword_1pux kdbx_import})
sanitizer="${FUZZ_SANITIZER:-address}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
if ! rustc --version | grep -q nightly; then
    export RUSTC_BOOTSTRAP=1
fi

# -a: debug assertions (overflow checks) on, in the library too.
build_flags=(--sanitizer "$sanitizer" -a)
echo "== building fuzz targets (sanitizer: $sanitizer)"
cargo fuzz build "${build_flags[@]}"

log_dir=fuzz/target/logs
mkdir -p "$log_dir"
failed=()
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    # New inputs go to the first folder; the committed ones are only read.
    corpora=("$corpus" "fuzz/seeds/$target")
    if [ -d "fuzz/regressions/$target" ]; then
        corpora+=("fuzz/regressions/$target")
    fi
    args=(-max_total_time="$duration" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1)
    if [ -f "fuzz/dicts/$target.dict" ]; then
        args+=(-dict="fuzz/dicts/$target.dict")
    fi
    echo "== fuzzing $target for ${duration}s"
    log="$log_dir/$target.log"
    status=0
    if [ -n "${FUZZ_VERBOSE:-}" ]; then
        cargo fuzz run "${build_flags[@]}" "$target" "${corpora[@]}" -- "${args[@]}" 2>&1 | tee "$log" || status=$?
    else
        cargo fuzz run "${build_flags[@]}" "$target" "${corpora[@]}" -- "${args[@]}" >"$log" 2>&1 || status=$?
    fi
    if [ "$status" -eq 0 ]; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
        echo "   ok: ${runs:-?} runs, ${cov:-cov: ?}, corpus $(find "$corpus" -type f | wc -l) files"
        if [ -n "${FUZZ_UPDATE_SEEDS:-}" ]; then
            # The smallest set of inputs that reaches the coverage of seeds and corpus together.
            merged="fuzz/target/seeds-$target"
            rm -rf "$merged" && mkdir -p "$merged"
            cargo fuzz run "${build_flags[@]}" "$target" "$merged" "fuzz/seeds/$target" "$corpus" -- -merge=1 \
                -timeout=20 -rss_limit_mb=2048 >"$log_dir/$target.merge.log" 2>&1
            rm -rf "fuzz/seeds/$target" && mv "$merged" "fuzz/seeds/$target"
            echo "   seeds: $(find "fuzz/seeds/$target" -type f | wc -l) files, $(du -sh "fuzz/seeds/$target" | cut -f1); commit them"
        fi
    else
        if [ -z "${FUZZ_VERBOSE:-}" ]; then
            # The start of the panic or sanitizer report; the full output is in the log.
            first=$(grep -n -m1 -E 'panicked at|==[0-9]+==ERROR|ERROR: libFuzzer' "$log" | cut -d: -f1 || true)
            [ -z "$first" ] || sed -n "${first},$((first + 14))p" "$log"
            echo "   ..."
        fi
        artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | head -n 1 | sed 's/^Test unit written to //' || true)
        echo "   CRASH in $target (exit $status); full log: $log" >&2
        [ -z "$artifact" ] || echo "   replay: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build_flags[*]} $target $artifact" >&2
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "== fuzzing found crashes in: ${failed[*]}" >&2
    exit 1
fi
echo "== no crashes"
