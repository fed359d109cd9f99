//! An entry's "also fill on" sites, auto-type sequence and window patterns: kept through save and
//! open, merged member by member like the entry's other settings, and absent from the files of
//! vaults that never used them.

use secrecy::SecretString;
use std::cell::Cell;
use vault::crypto::KdfParams;
use vault::model::merge;
use vault::{Author, Clock, DeviceId, EntryEdit, EntryId, NewEntry, Vault, VaultFile};

const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

/// A laptop's clock, set by the test.
struct TestClock(Cell<u64>);

impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn crm() -> NewEntry {
    NewEntry {
        title: "纷享销客 CRM".into(),
        username: "li.wei".into(),
        password: "S3cret-密码".into(),
        urls: texts(&["https://crm.example.com/login"]),
        also_fill_on: texts(&["https://sso.example.com", "http://127.0.0.1:8081"]),
        autotype_sequence: Some("{USERNAME}{TAB}{PASSWORD}{ENTER}{DELAY 1500}{TOTP}{ENTER}".into()),
        autotype_windows: texts(&["*纷享销客*", "//^(Sign in|登录) - //"]),
        ..Default::default()
    }
}

#[test]
fn the_settings_come_back_from_the_file_as_they_were_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let password = SecretString::from("pw");
    let clock = TestClock(Cell::new(1_795_000_000_000));
    let me = Author { device: DeviceId(1), clock: &clock };
    let mut vault = Vault::new("v", me, "laptop");
    let id = vault.add_entry(crm(), me);
    let mut file = VaultFile::create(&path, &password, CHEAP, &vault).unwrap();
    file.save(&mut vault, &clock).unwrap();

    let (_, opened) = VaultFile::open(&path, &password).unwrap();
    let entry = opened.entry(id).unwrap();
    assert_eq!(entry.also_fill_on.value, ["https://sso.example.com", "http://127.0.0.1:8081"]);
    assert_eq!(
        entry.autotype_sequence.value.as_deref(),
        Some("{USERNAME}{TAB}{PASSWORD}{ENTER}{DELAY 1500}{TOTP}{ENTER}")
    );
    assert_eq!(entry.autotype_windows.value, ["*纷享销客*", "//^(Sign in|登录) - //"]);
    assert_eq!(opened, vault);
}

#[test]
fn each_setting_takes_the_later_write_and_both_laptops_converge() {
    let clock = TestClock(Cell::new(1_000));
    let (one, two) = (Author { device: DeviceId(1), clock: &clock }, Author { device: DeviceId(2), clock: &clock });
    let mut base = Vault::new("v", one, "LAPTOP-1");
    let id: EntryId = base.add_entry(crm(), one);
    let (mut a, mut b) = (base.clone(), base);
    let edit = |vault: &mut Vault, at: u64, author: Author<'_>, edit: EntryEdit| {
        clock.0.set(at);
        assert!(vault.edit_entry(id, edit, author).unwrap());
    };
    // Laptop 1 narrows the sites, then changes the sequence last; laptop 2 changes the sequence
    // in between and clears the window patterns.
    edit(
        &mut a,
        2_000,
        one,
        EntryEdit { also_fill_on: Some(texts(&["https://sso.example.com"])), ..Default::default() },
    );
    edit(
        &mut b,
        3_000,
        two,
        EntryEdit { autotype_sequence: Some(Some("{PASSWORD}{ENTER}".into())), ..Default::default() },
    );
    edit(&mut b, 3_500, two, EntryEdit { autotype_windows: Some(vec![]), ..Default::default() });
    edit(&mut a, 4_000, one, EntryEdit { autotype_sequence: Some(None), ..Default::default() });

    let ab = merge(&a, &b).unwrap();
    assert_eq!(ab, merge(&b, &a).unwrap(), "the same vault whichever laptop merges");
    let entry = ab.entry(id).unwrap();
    assert_eq!(entry.also_fill_on.value, ["https://sso.example.com"]);
    assert_eq!(entry.autotype_sequence.value, None, "laptop 1 went back to the default after laptop 2's change");
    assert!(entry.autotype_windows.value.is_empty(), "the clearing travels");

    // Each laptop merging the other's copy reports the entry as changed and ends equal.
    let report = a.merge(&b).unwrap();
    assert_eq!(report.updated.len(), 1, "{report:?}");
    b.merge(&a).unwrap();
    assert_eq!(a, b);
}

#[test]
fn files_of_vaults_that_never_set_them_do_not_mention_them() {
    let clock = TestClock(Cell::new(1_000));
    let me = Author { device: DeviceId(1), clock: &clock };
    let mut vault = Vault::new("v", me, "laptop");
    let id = vault.add_entry(NewEntry { title: "Mail".into(), ..Default::default() }, me);
    let json = serde_json::to_string(&vault).unwrap();
    for member in ["also_fill_on", "autotype_sequence", "autotype_windows"] {
        assert!(!json.contains(member), "{member} in {json}");
    }
    // Once written, even back to empty, the member is kept so the change reaches other laptops.
    let set = EntryEdit { autotype_windows: Some(texts(&["*Mail*"])), ..Default::default() };
    vault.edit_entry(id, set, me).unwrap();
    vault.edit_entry(id, EntryEdit { autotype_windows: Some(vec![]), ..Default::default() }, me).unwrap();
    let json = serde_json::to_value(&vault).unwrap();
    let entry = &json["entries"][id.to_string()];
    assert_eq!(entry["autotype_windows"]["v"], serde_json::json!([]));
    assert!(entry.get("also_fill_on").is_none());
}

#[test]
fn an_entry_written_before_the_settings_existed_opens_with_none_of_them() {
    let payload = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/basic.payload.json");
    let text = std::fs::read_to_string(payload).unwrap();
    assert!(!text.contains("autotype"), "the vector predates the settings");
    let vault: Vault = serde_json::from_str(&text).unwrap();
    for entry in vault.entries.values() {
        assert!(entry.also_fill_on.is_unwritten() && entry.autotype_windows.is_unwritten());
        assert!(entry.autotype_sequence.is_unwritten());
        assert_eq!(
            vault::autofill::sequence::to_sequence(&entry.autotype_sequence().unwrap()),
            "{USERNAME}{TAB}{PASSWORD}{ENTER}"
        );
        assert!(entry.window_patterns().is_empty() && entry.also_fill_on().is_empty());
    }
    assert_eq!(serde_json::to_value(&vault).unwrap(), serde_json::from_str::<serde_json::Value>(&text).unwrap());
}
