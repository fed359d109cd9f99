//! Import shows what it would do before it does it, adds each entry once, and is recorded;
//! exports are refused until confirmed or given a password, and written for their owner only.

use std::path::{Path, PathBuf};

use vault::SecretText;
use vault::import::{Contents, Place, Read, SkipReason, Skipped, Source};

use super::super::Session;
use super::super::tests::{draft, unlocked_app};
use super::throttled;
use crate::error::ErrorCode;
use crate::view::{ActivityEvent, ActivityFilter, ImportMatch, PlaceView, SkipReasonView};

/// A Chrome export with two logins, a row with nothing in it and a row with a column missing.
const CHROME_CSV: &str = "name,url,username,password\n\
纷享销客,https://www.fxiaoke.com,li.wei,Fx-2024-secret\n\
ERP,https://erp.example.com,li,Erp-2024-secret\n\
,,,\n\
Broken,https://broken.example.com\n";

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn preview(app: &mut Session, path: &Path) -> crate::error::Result<crate::view::ImportPreview> {
    app.preview_import(path, None, None, None, false, &mut |_, _| {})
}

fn events(app: &Session, kind: &str) -> Vec<ActivityEvent> {
    let events = app.activity(&ActivityFilter::default()).unwrap().events;
    events.into_iter().filter(|e| e.kind == kind).collect()
}

fn titles(app: &mut Session) -> Vec<String> {
    let mut titles: Vec<String> = app.list_entries(None).unwrap().into_iter().map(|e| e.title).collect();
    titles.sort();
    titles
}

#[test]
fn a_csv_import_is_previewed_then_added_once_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let file = write(dir.path(), "chrome.csv", CHROME_CSV.as_bytes());

    let shown = preview(&mut app, &file).unwrap();
    assert_eq!((shown.source.as_str(), shown.arriving), ("Chrome/Edge CSV", 2));
    assert!(shown.already.is_empty());
    let skipped: Vec<(PlaceView, SkipReasonView)> =
        shown.skipped.iter().map(|s| (s.place.clone(), s.reason.clone())).collect();
    assert_eq!(skipped[0], (PlaceView::Line { line: 4 }, SkipReasonView::Empty));
    assert_eq!(skipped[1].0, PlaceView::Line { line: 5 });
    assert!(matches!(skipped[1].1, SkipReasonView::Unreadable { .. }), "{skipped:?}");
    assert_eq!(shown.secure_notes, 0);
    assert!(titles(&mut app).is_empty(), "a preview changes nothing");

    let done = app.apply_import(shown.token).unwrap();
    assert_eq!((done.added, done.already_present), (2, 0));
    assert_eq!(titles(&mut app), ["ERP", "纷享销客"]);
    let imports = events(&app, "import");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].detail, "Chrome/Edge CSV, 2 entries");
    assert_eq!(app.apply_import(shown.token).unwrap_err().code, ErrorCode::ImportExpired, "a preview is imported once");

    // The same file again: everything is already there, and nothing is added or recorded.
    let again = preview(&mut app, &file).unwrap();
    assert_eq!(again.arriving, 0);
    let mut already = again.already.clone();
    already.sort_by(|a, b| a.title.cmp(&b.title));
    let matched = |title: &str| ImportMatch { title: title.into(), in_trash: false };
    assert_eq!(already, [matched("ERP"), matched("纷享销客")]);
    assert_eq!(app.apply_import(again.token).unwrap().added, 0);
    assert_eq!(titles(&mut app).len(), 2);
    assert_eq!(events(&app, "import").len(), 1);

    // The vault on disk has them: a restart finds them.
    app.lock();
    app.unlock("pw", None).unwrap();
    assert_eq!(titles(&mut app), ["ERP", "纷享销客"]);
}

#[test]
fn a_lock_or_a_newer_preview_ends_the_held_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let file = write(dir.path(), "chrome.csv", CHROME_CSV.as_bytes());
    let first = preview(&mut app, &file).unwrap();
    let second = preview(&mut app, &file).unwrap();
    assert_eq!(app.apply_import(first.token).unwrap_err().code, ErrorCode::ImportExpired);
    app.lock();
    assert_eq!(app.apply_import(second.token).unwrap_err().code, ErrorCode::Locked);
    app.unlock("pw", None).unwrap();
    assert_eq!(app.apply_import(second.token).unwrap_err().code, ErrorCode::ImportExpired);
    assert!(titles(&mut app).is_empty());
}

#[test]
fn entries_already_there_are_named_and_only_the_others_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let mut erp = draft("ERP", Some("Erp-2024-secret"));
    erp.username = "li".into();
    erp.urls = vec!["https://erp.example.com".into()];
    let id = app.save_entry(None, erp).unwrap();
    let file = write(dir.path(), "chrome.csv", CHROME_CSV.as_bytes());
    let shown = preview(&mut app, &file).unwrap();
    assert_eq!((shown.arriving, shown.already.len()), (1, 1));
    assert!(!shown.already[0].in_trash);
    assert_eq!(app.apply_import(shown.token).unwrap().added, 1);
    app.delete_entry(&id).unwrap();
    // Matched by content among live entries only: the file's ERP would arrive again.
    let after = preview(&mut app, &file).unwrap();
    assert_eq!(after.arriving, 1);
    assert_eq!(after.already, [ImportMatch { title: "纷享销客".into(), in_trash: false }]);
}

#[test]
fn bad_files_are_refused_with_a_code_that_names_the_trouble_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let cases: [(&str, &[u8], ErrorCode); 4] = [
        ("columns.csv", b"a,b,c\n1,2,3\n", ErrorCode::ImportCsv),
        ("other.json", br#"{"accounts": []}"#, ErrorCode::ImportWrongShape),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ErrorCode::ImportWrongShape),
        ("empty.csv", b"", ErrorCode::ImportCsv),
    ];
    for (name, contents, code) in cases {
        let file = write(dir.path(), name, contents);
        let err = preview(&mut app, &file).unwrap_err();
        assert_eq!(err.code, code, "{name}: {}", err.message);
        assert!(err.message.contains(name), "{}", err.message);
    }
    let err = app.preview_import(&dir.path().join("x.csv"), Some("lotus"), None, None, false, &mut |_, _| {});
    assert_eq!(err.unwrap_err().code, ErrorCode::ImportUnsupported);
    assert_eq!(preview(&mut app, &dir.path().join("gone.csv")).unwrap_err().code, ErrorCode::Io);

    // Larger than any export: refused from its size, without reading it (the file is sparse).
    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge).unwrap().set_len(vault::import::MAX_IMPORT_BYTES + 1).unwrap();
    assert_eq!(preview(&mut app, &huge).unwrap_err().code, ErrorCode::ImportTooLarge);
    assert!(titles(&mut app).is_empty());
}

#[test]
fn secure_notes_left_out_are_counted_for_the_keep_notes_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let note = |title: &str, kind: &str| Skipped {
        place: Place::Item(title.into()),
        reason: SkipReason::NotALogin { kind: kind.into() },
    };
    let read = Read {
        source: Source::BitwardenJson { encrypted: false },
        contents: Contents::Entries(Vec::new()),
        skipped: vec![note("Wifi", "secure note"), note("Visa", "card"), note("Door code", "Secure Note")],
    };
    let shown = app.hold_import(read, false).unwrap();
    assert_eq!((shown.source.as_str(), shown.secure_notes, shown.keep_notes), ("Bitwarden JSON", 2, false));
    assert_eq!(shown.skipped[1].place, PlaceView::Item { title: "Visa".into() });
    assert_eq!(shown.skipped[1].reason, SkipReasonView::NotALogin { what: "card".into() });
}

#[test]
fn progress_is_told_once_per_percent() {
    let mut told = Vec::new();
    {
        let mut progress = throttled(|done, total| told.push((done, total)));
        for done in 0..=10_000 {
            progress(done, 10_000);
        }
    }
    assert_eq!(told.len(), 101);
    assert_eq!((told[1], told[100]), ((100, 10_000), (10_000, 10_000)));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_csv_export_needs_confirmation_and_is_written_for_its_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    app.save_entry(None, draft("纷享销客 CRM", Some("Fx-2024-secret"))).unwrap();
    let out = dir.path().join("out.csv");

    let refused = app.export(&out, "csv", None, false).unwrap_err();
    assert_eq!(refused.code, ErrorCode::ExportNeedsConfirmation);
    assert!(!out.exists(), "nothing is written before the confirmation");
    assert!(events(&app, "export").is_empty());

    // A file already there (readable by all) is replaced whole, and private from then on.
    std::fs::write(&out, "old").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let done = app.export(&out, "csv", None, true).unwrap();
    assert_eq!((done.format.as_str(), done.entries), ("csv", 1));
    assert_eq!(done.path, out.display().to_string());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("纷享销客 CRM"), "{written}");
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    let exports = events(&app, "export");
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].detail, "CSV, 1 entries");
    assert!(!exports[0].detail.contains("secret"));
    // No temp file is left beside it.
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(beside.iter().all(|n| !n.to_string_lossy().contains(".tmp-")), "{beside:?}");
}

#[test]
fn encrypted_exports_need_a_password_and_the_vault_itself_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    app.save_entry(None, draft("ERP", Some("Erp-2024-secret"))).unwrap();
    let out = dir.path().join("out.kdbx");
    for format in ["kdbx", "json"] {
        assert_eq!(app.export(&out, format, None, true).unwrap_err().code, ErrorCode::ExportNeedsPassword);
        let empty = SecretText::new("");
        assert_eq!(app.export(&out, format, Some(&empty), true).unwrap_err().code, ErrorCode::ExportNeedsPassword);
    }
    assert!(!out.exists());
    assert_eq!(app.export(&out, "xml", None, true).unwrap_err().code, ErrorCode::Invalid);

    let vault_file = app.state().vault_path.map(PathBuf::from).unwrap();
    let before = std::fs::read(&vault_file).unwrap();
    let err = app.export(&vault_file, "csv", None, true).unwrap_err();
    assert_eq!(err.code, ErrorCode::ExportFailed);
    assert_eq!(std::fs::read(&vault_file).unwrap(), before);
    app.lock();
    assert_eq!(app.export(&out, "csv", None, true).unwrap_err().code, ErrorCode::Locked);
}
