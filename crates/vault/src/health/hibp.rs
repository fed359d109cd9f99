//! Offline look-ups in Have I Been Pwned's "Pwned Passwords" file, which the user downloaded
//! themselves: nothing about a password ever leaves the computer.
//!
//! The file has one line per breached password, `SHA1HEX:COUNT` (40 upper-case hex digits, the
//! number of times it was seen), CRLF or LF line ends, sorted by hash. It is about 40 GB, so it is
//! never loaded: a look-up bisects byte offsets, reading a small window at each probe and skipping
//! to the next line start, then scans the last few kilobytes: for the full file, about 45 reads
//! of a hundred-odd bytes and one of 16 KiB per password.
//!
//! The site also offers the file ordered by prevalence, and an NTLM variant. Bisection would give
//! wrong answers on those, so each probe checks the order it sees and the first and last lines
//! are checked on opening: a file that is not the SHA-1 one ordered by hash is refused by name.

use sha1::{Digest, Sha1};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use thiserror::Error;

/// The longest line accepted. A real one is at most 40 + 1 + 20 digits + CRLF = 63 bytes.
const MAX_LINE: usize = 128;
/// Below this many bytes left to search, one read and a scan beat more probes.
const SCAN_BYTES: u64 = 16 * 1024;

/// A hash as it is written in the file: 40 upper-case hex digits.
pub type HashHex = [u8; 40];

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HibpError {
    #[error("could not read the Pwned Passwords file: {0}")]
    Io(#[from] io::Error),
    #[error("the Pwned Passwords file is empty; it should hold one line per breached password")]
    Empty,
    #[error("this is the NTLM file from haveibeenpwned.com/Passwords; CRM Vault needs the SHA-1 file ordered by hash")]
    Ntlm,
    #[error(
        "this is not the SHA-1 file ordered by hash from haveibeenpwned.com/Passwords: {reason} (at byte {offset})"
    )]
    Malformed { offset: u64, reason: &'static str },
    #[error(
        "this is not the SHA-1 file ordered by hash from haveibeenpwned.com/Passwords: its lines are not in \
         order of hash (at byte {offset}); the file ordered by prevalence cannot be searched"
    )]
    NotSorted { offset: u64 },
}

trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

/// An open Pwned Passwords file, checked to look like the right one.
pub struct HibpFile {
    source: Box<dyn Source>,
    len: u64,
}

impl fmt::Debug for HibpFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HibpFile").field("len", &self.len).finish_non_exhaustive()
    }
}

/// One parsed line: where it starts, where the next one starts, its hash and count.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: u64,
    next: u64,
    hash: HashHex,
    count: u64,
}

impl HibpFile {
    pub fn open(path: &Path) -> Result<HibpFile, HibpError> {
        HibpFile::from_reader(File::open(path)?)
    }

    /// Any seekable source of the file's bytes (an in-memory copy in tests).
    pub fn from_reader(mut source: impl Read + Seek + Send + 'static) -> Result<HibpFile, HibpError> {
        let len = source.seek(SeekFrom::End(0))?;
        let mut file = HibpFile { source: Box::new(source), len };
        let first = file.line_at(0)?.ok_or(HibpError::Empty)?;
        let last = file.last_line()?;
        if last.start > first.start && last.hash <= first.hash {
            return Err(HibpError::NotSorted { offset: last.start });
        }
        Ok(file)
    }

    /// How many times the password with this SHA-1 was seen in breaches; `None` if never.
    pub fn seen(&mut self, sha1: &[u8; 20]) -> Result<Option<u64>, HibpError> {
        let target = hex(sha1);
        // The target's line, if any, starts in lo..hi; lo is always a line start. `below` and
        // `above` are the hashes of the lines that set lo and hi: every probe must fall between.
        let (mut lo, mut hi) = (0, self.len);
        let (mut below, mut above) = (None, None);
        while hi - lo > SCAN_BYTES {
            let mid = lo + (hi - lo) / 2;
            let line = match self.next_line_start(mid)? {
                Some(start) if start < hi => self.line_at(start)?,
                _ => None,
            };
            let Some(line) = line else {
                hi = mid;
                continue;
            };
            check_order(&line, below.as_ref(), above.as_ref())?;
            match line.hash.cmp(&target) {
                std::cmp::Ordering::Less => (lo, below) = (line.next, Some(line.hash)),
                std::cmp::Ordering::Greater => (hi, above) = (line.start, Some(line.hash)),
                std::cmp::Ordering::Equal => return Ok(Some(line.count)),
            }
        }
        self.scan(lo, hi, &target, below, above)
    }

    /// [`HibpFile::seen`] for a password.
    pub fn seen_password(&mut self, password: &str) -> Result<Option<u64>, HibpError> {
        self.seen(&sha1(password))
    }

    /// Reads the lines starting in lo..hi in one go. Past the target's place it goes on checking
    /// their order to the end of the window: a few hundred comparisons that catch a wrong file.
    fn scan(
        &mut self,
        lo: u64,
        hi: u64,
        target: &HashHex,
        mut below: Option<HashHex>,
        above: Option<HashHex>,
    ) -> Result<Option<u64>, HibpError> {
        let window = self.read_at(lo, (hi - lo) as usize + MAX_LINE + 1)?;
        let at_end = lo + window.len() as u64 == self.len;
        let mut at = 0;
        while lo + (at as u64) < hi {
            let Some(line) = parse_line(lo + at as u64, &window[at..], at_end)? else { break };
            check_order(&line, below.as_ref(), above.as_ref())?;
            if line.hash == *target {
                return Ok(Some(line.count));
            }
            below = Some(line.hash);
            at = (line.next - lo) as usize;
        }
        Ok(None)
    }

    /// The start of the first line that starts at or after `pos`; `None` past the last line.
    fn next_line_start(&mut self, pos: u64) -> Result<Option<u64>, HibpError> {
        if pos == 0 {
            return Ok(Some(0));
        }
        let window = self.read_at(pos - 1, MAX_LINE + 1)?;
        match window.iter().position(|&b| b == b'\n') {
            Some(i) => Ok(Some(pos + i as u64).filter(|&start| start < self.len)),
            None if pos - 1 + (window.len() as u64) == self.len => Ok(None),
            None => Err(HibpError::Malformed { offset: pos, reason: "a line is far too long" }),
        }
    }

    fn line_at(&mut self, start: u64) -> Result<Option<Line>, HibpError> {
        let window = self.read_at(start, MAX_LINE + 1)?;
        parse_line(start, &window, start + window.len() as u64 == self.len)
    }

    fn last_line(&mut self) -> Result<Line, HibpError> {
        let tail_start = self.len.saturating_sub(2 * MAX_LINE as u64);
        let tail = self.read_at(tail_start, 2 * MAX_LINE)?;
        let body = trim_line_ends(&tail);
        let start = match body.iter().rposition(|&b| b == b'\n') {
            Some(i) => tail_start + i as u64 + 1,
            None if tail_start == 0 => 0,
            None => return Err(HibpError::Malformed { offset: tail_start, reason: "a line is far too long" }),
        };
        self.line_at(start)?.ok_or(HibpError::Empty)
    }

    /// Up to `len` bytes from `offset`; fewer only at the end of the file.
    fn read_at(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, HibpError> {
        self.source.seek(SeekFrom::Start(offset))?;
        let mut buf = Vec::with_capacity(len);
        (&mut self.source).take(len as u64).read_to_end(&mut buf)?;
        Ok(buf)
    }
}

/// The line at the start of `bytes`, which start at byte `start` of the file. `at_end`: `bytes`
/// run to the end of the file, so a line without a line end is the last one. `None` when only
/// blank line ends are left at the end of the file.
fn parse_line(start: u64, bytes: &[u8], at_end: bool) -> Result<Option<Line>, HibpError> {
    let malformed = |reason| HibpError::Malformed { offset: start, reason };
    let (text, next) = match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => (&bytes[..i], start + i as u64 + 1),
        None if at_end => (bytes, start + bytes.len() as u64),
        None => return Err(malformed("a line is far too long")),
    };
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text.is_empty() {
        let rest_blank = at_end && trim_line_ends(bytes).is_empty();
        return if rest_blank { Ok(None) } else { Err(malformed("a line is empty")) };
    }
    let Some(colon) = text.iter().position(|&b| b == b':') else {
        return Err(malformed("a line has no ':' between hash and count"));
    };
    let (hash, count) = (&text[..colon], &text[colon + 1..]);
    if !hash.iter().all(u8::is_ascii_hexdigit) {
        return Err(malformed("a line does not start with a hex hash"));
    }
    if hash.len() == 32 {
        return Err(HibpError::Ntlm);
    }
    let Ok(hash) = <HashHex>::try_from(hash) else {
        return Err(malformed("a hash is not 40 hex digits long"));
    };
    let count = std::str::from_utf8(count).ok().filter(|c| c.bytes().all(|b| b.is_ascii_digit()));
    let Some(count) = count.and_then(|c| c.parse().ok()) else {
        return Err(malformed("the count after a hash is not a number"));
    };
    Ok(Some(Line { start, next, hash: hash.map(|b| b.to_ascii_uppercase()), count }))
}

fn check_order(line: &Line, below: Option<&HashHex>, above: Option<&HashHex>) -> Result<(), HibpError> {
    let out_of_order = below.is_some_and(|b| line.hash <= *b) || above.is_some_and(|a| line.hash >= *a);
    if out_of_order { Err(HibpError::NotSorted { offset: line.start }) } else { Ok(()) }
}

fn trim_line_ends(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b != b'\n' && b != b'\r').map_or(0, |i| i + 1);
    &bytes[..end]
}

/// A password's SHA-1, as the file indexes it.
pub fn sha1(password: &str) -> [u8; 20] {
    Sha1::digest(password.as_bytes()).into()
}

/// A SHA-1 as the file writes it: upper-case hex.
pub fn hex(sha1: &[u8; 20]) -> HashHex {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = [0; 40];
    for (i, byte) in sha1.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(byte >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(byte & 0xf)];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn file(text: &str) -> Result<HibpFile, HibpError> {
        HibpFile::from_reader(Cursor::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn sha1_hex_is_what_the_site_publishes() {
        // "password", as listed on haveibeenpwned.com.
        assert_eq!(&hex(&sha1("password")), b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8");
    }

    #[test]
    fn a_tiny_file_is_scanned_and_lower_case_hex_accepted() {
        let p = String::from_utf8(hex(&sha1("password")).to_vec()).unwrap();
        let text =
            format!("0000000000000000000000000000000000000001:5\n{}:42\nffffffffffffffffffffffffffffffffffffffff:1", p);
        let mut f = file(&text).unwrap();
        assert_eq!(f.seen_password("password").unwrap(), Some(42));
        assert_eq!(f.seen(&[0xff; 20]).unwrap(), Some(1));
        assert_eq!(f.seen(&[0; 20]).unwrap(), None);
        assert_eq!(f.seen_password("not in there").unwrap(), None);
    }

    #[test]
    fn wrong_files_are_named() {
        assert!(matches!(file(""), Err(HibpError::Empty)));
        assert!(matches!(file("\r\n\n"), Err(HibpError::Empty | HibpError::Malformed { .. })));
        assert!(matches!(file("8846F7EAEE8FB117AD06BDD830B7586C:3\n"), Err(HibpError::Ntlm)));
        assert!(matches!(file("hello world\n"), Err(HibpError::Malformed { .. })));
        assert!(matches!(file("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:lots\n"), Err(HibpError::Malformed { .. })));
        let descending = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:9\r\n0000000000000000000000000000000000000000:1\r\n";
        assert!(matches!(file(descending), Err(HibpError::NotSorted { .. })));
    }
}
