use super::*;
use std::cell::Cell;

use crate::import::{self, Contents, FileKey};
use crate::model::{CustomField, EntryEdit, ExpiryDate, NewEntry};
use crate::{Author, Clock, DeviceId};

/// Seconds apart: KDBX keeps times to the second.
struct StepClock(Cell<u64>);
impl Clock for StepClock {
    fn now_ms(&self) -> u64 {
        let now = self.0.get();
        self.0.set(now + 1_000);
        now
    }
}

const LIGHT: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

fn vault(clock: &StepClock) -> (Vault, crate::EntryId) {
    let author = Author { device: DeviceId(3), clock };
    let mut vault = Vault::new("销售部", author, "laptop");
    let new = NewEntry {
        title: "纷享销客 🚀".into(),
        username: "li.lei".into(),
        password: "第一个".into(),
        urls: vec!["https://a.example.cn".into(), "https://b.example.cn".into(), "https://c.example.cn".into()],
        notes: "备注".into(),
        totp: "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
        tags: vec!["Sales/国内CRM".into(), "重要".into()],
        fields: vec![
            ("PIN".into(), CustomField { value: "4321".into(), hidden: true }),
            ("工号".into(), CustomField { value: "A-17".into(), hidden: false }),
        ],
        expires: Some("2027-01-31".parse::<ExpiryDate>().unwrap()),
        autotype_sequence: Some("{USERNAME}{TAB}{PASSWORD}{ENTER}".into()),
        autotype_windows: vec!["*CRM*".into()],
        ..NewEntry::default()
    };
    let id = vault.add_entry(new, author);
    for password in ["第二个", "第三个"] {
        let edit = EntryEdit { password: Some(password.into()), ..EntryEdit::default() };
        vault.edit_entry(id, edit, author).unwrap();
    }
    let gone = vault.add_entry(NewEntry { title: "In the trash".into(), ..NewEntry::default() }, author);
    vault.delete_entry(gone, author).unwrap();
    (vault, id)
}

#[test]
fn keepass_finds_every_field_where_keepassxc_looks() {
    let clock = StepClock(Cell::new(1_700_000_000_000));
    let (vault, id) = vault(&clock);
    let file = write(&vault, &SecretText::new("导出密码"), LIGHT).unwrap();
    let db = Database::parse(&file, DatabaseKey::new().with_password("导出密码")).unwrap();
    assert_eq!(db.root().name, "销售部");
    assert_eq!(db.num_entries(), 1, "the trash stays behind");
    let root = db.root();
    let entry = root.entries().next().unwrap();
    assert_eq!(entry.id().uuid(), id.0);
    assert_eq!(entry.get_title(), Some("纷享销客 🚀"));
    assert_eq!(entry.get_password(), Some("第三个"));
    assert!(entry.fields["Password"].is_protected());
    assert_eq!(entry.get_url(), Some("https://a.example.cn"));
    assert_eq!(entry.get("KP2A_URL"), Some("https://b.example.cn"));
    assert_eq!(entry.get("KP2A_URL_1"), Some("https://c.example.cn"));
    assert!(entry.fields["otp"].is_protected());
    assert!(entry.fields["PIN"].is_protected() && !entry.fields["工号"].is_protected());
    assert_eq!(entry.tags, ["Sales/国内CRM", "重要"]);
    assert_eq!(entry.times.expires, Some(true));
    assert_eq!(entry.times.expiry.date().to_string(), "2027-01-31");
    let autotype = entry.autotype.as_ref().unwrap();
    assert_eq!(autotype.default_sequence.as_deref(), Some("{USERNAME}{TAB}{PASSWORD}{ENTER}"));
    assert_eq!(autotype.associations[0].window, "*CRM*");
    let old: Vec<&str> =
        entry.history.as_ref().unwrap().get_entries().iter().map(|v| v.get_password().unwrap()).collect();
    assert_eq!(old, ["第一个", "第二个"], "oldest first, as KeePass keeps them");
}

#[test]
fn our_own_reader_gets_back_the_history() {
    let clock = StepClock(Cell::new(1_700_000_000_000));
    let (vault, id) = vault(&clock);
    let file = write(&vault, &SecretText::new("p"), LIGHT).unwrap();
    let pass = SecretText::new("p");
    let read = import::kdbx::read(&file, FileKey { password: Some(&pass), key_file: None }, &mut |_, _| {}).unwrap();
    let Contents::Entries(entries) = read.contents else { panic!("entries") };
    let back = &entries[0];
    assert_eq!(back.id, Some(id));
    let original = vault.entry(id).unwrap();
    let earlier: Vec<(&str, &str, u64)> =
        back.history.iter().map(|h| (h.field.as_str(), h.value.expose(), h.at_ms)).collect();
    let expected: Vec<(&str, &str, u64)> =
        original.history.iter().map(|h| (h.field.as_str(), h.value.expose(), h.clock.wall_ms / 1000 * 1000)).collect();
    assert_eq!(earlier, expected);
    assert_eq!(back.created_ms, Some(original.created.wall_ms / 1000 * 1000));
}

#[test]
fn an_empty_password_is_refused() {
    let clock = StepClock(Cell::new(1_700_000_000_000));
    let (vault, _) = vault(&clock);
    assert!(matches!(write(&vault, &SecretText::default(), LIGHT), Err(ExportError::NoPassword)));
}
