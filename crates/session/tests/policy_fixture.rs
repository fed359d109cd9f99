//! The page's mock backend answers `policy()` from `ui/src/lib/ipc/fixtures/policy.json`, so the
//! UI's tests run against the limits Rust enforces. This test writes that file and fails when it
//! was stale, so a changed rule cannot leave the mock behind unnoticed (commit the new file).

use std::path::Path;

#[test]
fn the_ui_fixture_holds_the_current_policy() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/ipc/fixtures/policy.json");
    let current = serde_json::to_string_pretty(&session::policy::view()).unwrap() + "\n";
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored != current {
        std::fs::write(&path, &current).unwrap();
        panic!("{} was stale and has been rewritten: commit it", path.display());
    }
}
