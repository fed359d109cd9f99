//! The session refuses a weak master password whichever screen sent it: the setup screen and the
//! master-password change check first, but a page that skipped the check is refused here too.

use session::Session;
use session::error::ErrorCode;
use session::policy::Refusal;

const STRONG: &str = "orbit kettle marble juniper";

fn session(dir: &std::path::Path) -> Session {
    Session::new(dir.join("config"), dir.join("data"), Err("no keyring in tests".into()))
}

#[test]
fn a_weak_master_password_makes_no_vault() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = session(dir.path());
    let path = dir.path().join("work.crmvault");
    for weak in ["", "a", "password1"] {
        let err = session.create_vault(&path, weak).unwrap_err();
        assert_eq!(err.code, ErrorCode::Invalid);
        assert!(!path.exists(), "{weak:?} made a vault");
    }
    let err = session.create_vault(&path, "a").unwrap_err();
    assert_eq!(err.message, Refusal::WeakMasterPassword.to_string());
}

#[test]
fn a_master_password_cannot_be_changed_to_a_weak_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = session(dir.path());
    let path = dir.path().join("work.crmvault");
    let cheap = session::view::KdfChoice { memory_mib: 19, iterations: 2, parallelism: 1 };
    session.create_vault(&path, STRONG).unwrap();
    let err = session.change_master_password(STRONG, "a", Some(cheap)).unwrap_err();
    assert_eq!(err.message, Refusal::WeakMasterPassword.to_string());
    session.lock();
    session.unlock(STRONG, None).unwrap();
}
