//! Reading a vault file, or a file that claims to be a copy of one, without trusting its size.
//!
//! Anyone who can write to the sync folder can leave a file of any size beside the vault (a
//! sparse file of 3 GiB costs nothing to make). Every read of a vault file goes through
//! [`read`]: the size is checked before a byte is read, and the read itself stops one byte past
//! the limit, so a file that grows meanwhile cannot make us allocate more either.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest vault file read: 512 MiB. An entry takes about 1 KB in the file and each earlier
/// value in its history about 100 bytes, so 100,000 entries take about 100 MB and still fit with
/// some 40 earlier values each. A larger file is planted or broken, and reading it (then
/// decrypting a copy of it) would only cost memory. See docs/FORMAT.md.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A file too large to be a vault: refused before it was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is {}, more than a vault file can be (at most {}); it was not read", path.display(), Size(*size), Size(*limit))]
pub struct TooLarge {
    pub path: PathBuf,
    /// Its size in bytes, as far as it was found out.
    pub size: u64,
    /// [`MAX_FILE_BYTES`].
    pub limit: u64,
}

/// Why a vault file was not read.
#[derive(Debug)]
pub(super) enum ReadProblem {
    TooLarge(TooLarge),
    Io(io::Error),
}

impl From<io::Error> for ReadProblem {
    fn from(err: io::Error) -> Self {
        ReadProblem::Io(err)
    }
}

impl From<ReadProblem> for io::Error {
    /// For callers that report I/O errors only; `SaveError` finds the `TooLarge` inside again.
    fn from(problem: ReadProblem) -> Self {
        match problem {
            ReadProblem::TooLarge(too_large) => io::Error::new(io::ErrorKind::InvalidData, too_large),
            ReadProblem::Io(err) => err,
        }
    }
}

/// The whole file at `path`, if it is at most [`MAX_FILE_BYTES`] long.
pub(super) fn read(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    read_at_most(path, MAX_FILE_BYTES)
}

fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let too_large = |size| ReadProblem::TooLarge(TooLarge { path: path.to_owned(), size, limit });
    let file = File::open(path)?;
    // The size of the file we opened, not of whatever the path names a moment later.
    let size = file.metadata()?.len();
    if size > limit {
        return Err(too_large(size));
    }
    // Exactly the size it claims: a file that is shorter allocates no more than it holds, one
    // that grows meanwhile is caught by `take` below.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(too_large(read.max(size)));
    }
    Ok(bytes)
}

/// A size as people read it: "3.0 GiB", "512 MiB", "900 bytes".
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: u64 = 1024;
        let bytes = self.0;
        let (unit, name) = match bytes {
            b if b >= KIB * KIB * KIB => (KIB * KIB * KIB, "GiB"),
            b if b >= KIB * KIB => (KIB * KIB, "MiB"),
            b if b >= KIB => (KIB, "KiB"),
            _ => return write!(f, "{bytes} bytes"),
        };
        if bytes.is_multiple_of(unit) {
            write!(f, "{} {name}", bytes / unit)
        } else {
            write!(f, "{:.1} {name}", bytes as f64 / unit as f64)
        }
    }
}

impl TooLarge {
    /// Its size and the limit, in words, for messages that name the file already.
    pub fn sizes(&self) -> String {
        format!("{}, more than a vault file can be (at most {})", Size(self.size), Size(self.limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.crmvault");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_at_most(&path, 10).unwrap(), b"0123456789");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.crmvault");
        std::fs::write(&path, b"0123456789").unwrap();
        match read_at_most(&path, 9) {
            Err(ReadProblem::TooLarge(too_large)) => {
                assert_eq!(too_large, TooLarge { path: path.clone(), size: 10, limit: 9 });
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_claims_no_size_is_still_read_only_up_to_the_limit() {
        // Character devices report a length of 0 and never end.
        match read_at_most(Path::new("/dev/zero"), 4096) {
            Err(ReadProblem::TooLarge(too_large)) => assert_eq!(too_large.size, 4097),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(Size(MAX_FILE_BYTES).to_string(), "512 MiB");
        assert_eq!(Size(3 * 1024 * 1024 * 1024).to_string(), "3 GiB");
        assert_eq!(Size(1536 * 1024 * 1024).to_string(), "1.5 GiB");
        assert_eq!(Size(900).to_string(), "900 bytes");
    }
}
