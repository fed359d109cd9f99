//! Writing a file so that a crash or power cut at any instant leaves either the old or the new
//! contents, never a mix: temp file in the same folder, fsync, rename over, fsync the folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = super::sibling(path, ".", &format!(".tmp-{:016x}", crate::crypto::random_u64()));
    let result = write_then_rename(&temp, path, bytes);
    if result.is_err() {
        // Best effort: a leftover temp file is harmless and removed by the next save.
        let _ = fs::remove_file(&temp);
    }
    result
}

fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    // `create_new` alone already refuses any existing name, a link included; no-follow says so
    // plainly and keeps it so if this ever stops being `create_new`.
    super::links::no_follow(options.write(true).create_new(true));
    // A vault is readable by its owner only; its backups are hard links and share the mode.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = super::links::open(&options, temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)?;
    sync_folder(path)
}

/// Makes a rename durable: on Unix the folder entry must be flushed as well as the file.
pub fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = (path, File::open::<&Path>);
    Ok(())
}

/// Removes temp files left by saves that were interrupted. Call only under the save lock, when
/// no save of this vault can be in progress.
pub fn remove_stale_temps(path: &Path) {
    let Some(folder) = path.parent() else { return };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return };
    let prefix = format!(".{name}.tmp-");
    let Ok(listing) = fs::read_dir(folder) else { return };
    for item in listing.flatten() {
        if item.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
            let _ = fs::remove_file(item.path());
        }
    }
}
