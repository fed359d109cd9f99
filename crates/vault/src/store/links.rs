//! Never through a link: the lock file, temporary files and the backups folder are ours, in the
//! vault's folder, and a symbolic link planted there under one of their names (by anyone who can
//! write to the sync folder) must not make us create, truncate or write a file somewhere else.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// A symbolic link where CRM Vault keeps a file or folder of its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is a symbolic link; CRM Vault does not follow links where it keeps its own files beside the vault (one put there could have files written elsewhere). Remove the link and try again",
    path.display()
)]
pub struct LinkRefused {
    pub path: PathBuf,
}

impl LinkRefused {
    fn at(path: &Path) -> io::Error {
        // `SaveError` finds it inside the I/O error again (see its `From<io::Error>`).
        io::Error::new(io::ErrorKind::InvalidInput, LinkRefused { path: path.to_owned() })
    }
}

/// Makes `options` fail on a symbolic link at the path instead of following it.
pub(super) fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NOFOLLOW);
    options
}

/// Opens `path` with `options` (see [`no_follow`]); a link there is a [`LinkRefused`].
pub(super) fn open(options: &OpenOptions, path: &Path) -> io::Result<fs::File> {
    options.open(path).map_err(|err| if is_link(path) { LinkRefused::at(path) } else { err })
}

/// Whether anything is at `path`, a dangling link included (`Path::exists` follows links).
pub(super) fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

/// Makes sure `path` is a real folder, creating it if missing; a link there is refused.
pub(super) fn real_folder(path: &Path) -> io::Result<()> {
    if let Err(err) = fs::create_dir(path)
        && err.kind() != io::ErrorKind::AlreadyExists
    {
        return Err(err);
    }
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(LinkRefused::at(path));
    }
    if !meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} is not a folder", path.display())));
    }
    Ok(())
}

/// Refuses a link at `path`, if one is there; anything else (or nothing) is fine.
pub(super) fn refuse_link(path: &Path) -> io::Result<()> {
    if is_link(path) { Err(LinkRefused::at(path)) } else { Ok(()) }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_temporary_file_planted_as_a_link_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        fs::write(&target, b"mine").unwrap();
        let temp = dir.path().join(".v.crmvault.tmp-0123456789abcdef");
        symlink(&target, &temp).unwrap();
        let mut options = OpenOptions::new();
        // Without `create_new`, which refuses links by itself: no-follow alone must hold.
        no_follow(options.write(true).create(true).truncate(true));
        let err = open(&options, &temp).unwrap_err();
        assert_eq!(err.downcast::<LinkRefused>().unwrap(), LinkRefused { path: temp });
        assert_eq!(fs::read(&target).unwrap(), b"mine");
    }

    #[test]
    fn a_linked_folder_is_not_taken_for_a_real_one() {
        let dir = tempfile::tempdir().unwrap();
        let (real, linked) = (dir.path().join("real"), dir.path().join("linked"));
        real_folder(&real).unwrap();
        real_folder(&real).unwrap();
        symlink(&real, &linked).unwrap();
        assert!(real_folder(&linked).unwrap_err().downcast::<LinkRefused>().is_ok());
        assert!(exists(&linked) && refuse_link(&real).is_ok() && refuse_link(&linked).is_err());
        fs::remove_dir(&real).unwrap();
        assert!(exists(&linked), "a dangling link is still something at that name");
    }
}
