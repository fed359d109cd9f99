//! The key-derivation settings in a KDBX file's outer header, read before the `keepass` crate
//! derives the key: a file (damaged, or made to harm) asking for terabytes of memory, millions of
//! threads or years of rounds is refused with a plain answer instead of taking the laptop down.

use super::super::ImportError;

/// What the file asks key derivation to spend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct KdfCost {
    /// Argon2's memory, in bytes (0 for AES-KDF).
    pub memory_bytes: u64,
    /// Argon2's passes, or AES-KDF's rounds.
    pub iterations: u64,
    /// Argon2's lanes, each one a thread while deriving.
    pub parallelism: u64,
}

/// The most a file may ask key derivation to spend. [`Limits::DEFAULT`] is far above anything
/// KeePass or KeePassXC offer (KeePassXC's largest Argon2 memory is a few GiB, its longest AES-KDF
/// some hundred million rounds), so only nonsense is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_memory_bytes: u64,
    pub max_argon2_iterations: u64,
    pub max_aes_rounds: u64,
    pub max_parallelism: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_memory_bytes: 4 << 30,
        max_argon2_iterations: 100_000,
        max_aes_rounds: 4_000_000_000,
        max_parallelism: 256,
    };

    pub(super) fn check(&self, cost: KdfCost) -> Result<(), ImportError> {
        let refuse = |what: String| Err(ImportError::Unsupported { what });
        if cost.memory_bytes > self.max_memory_bytes {
            return refuse(format!("key derivation setting ({} MiB of memory)", cost.memory_bytes >> 20));
        }
        let max_iterations = if cost.memory_bytes == 0 { self.max_aes_rounds } else { self.max_argon2_iterations };
        if cost.iterations > max_iterations {
            return refuse(format!("key derivation setting ({} rounds)", cost.iterations));
        }
        if cost.parallelism > self.max_parallelism {
            return refuse(format!("key derivation setting ({} threads)", cost.parallelism));
        }
        Ok(())
    }
}

/// A cursor over the header bytes; every read checks its bounds.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn le_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = bytes.len().min(8);
    buf[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(buf)
}

const KDBX3_TRANSFORM_ROUNDS: u8 = 6;
const KDBX4_KDF_PARAMETERS: u8 = 11;

/// The cost the header asks for; `None` when the header cannot be read this far (the `keepass`
/// crate then says what is wrong with it).
pub(super) fn kdf_cost(file: &[u8]) -> Option<KdfCost> {
    let mut bytes = Bytes(file);
    bytes.take(10)?;
    let major = bytes.u16()?;
    loop {
        let id = bytes.u8()?;
        let len = if major >= 4 { bytes.u32()? as usize } else { usize::from(bytes.u16()?) };
        let data = bytes.take(len)?;
        match id {
            0 => return Some(KdfCost::default()),
            KDBX3_TRANSFORM_ROUNDS if major < 4 => {
                return Some(KdfCost { iterations: le_u64(data), ..KdfCost::default() });
            }
            KDBX4_KDF_PARAMETERS if major >= 4 => return variant_dictionary(data),
            _ => {}
        }
    }
}

/// Whether the header's fixed-size fields have their sizes. The `keepass` crate reads a number
/// from a field without checking its length, and panics on a short one (found by fuzzing);
/// a file with such a field is damaged, and is answered so before the crate sees it.
pub(super) fn sizes_are_sound(file: &[u8]) -> bool {
    let mut bytes = Bytes(file);
    let Some(major) = bytes.take(10).and_then(|_| bytes.u16()) else { return true };
    loop {
        let Some(id) = bytes.u8() else { return true };
        let len = if major >= 4 { bytes.u32().map(|n| n as usize) } else { bytes.u16().map(usize::from) };
        let Some(data) = len.and_then(|len| bytes.take(len)) else { return true };
        let sound = match (major >= 4, id) {
            (_, 0) => return true,
            // Compression flags; KDBX 3.1's inner stream id.
            (_, 3) | (false, 10) => data.len() >= 4,
            // KDBX 3.1's AES-KDF rounds.
            (false, 6) => data.len() >= 8,
            // KDBX 4's KDF parameters and public custom data.
            (true, 11) | (true, 12) => dictionary_is_sound(data),
            _ => true,
        };
        if !sound {
            return false;
        }
    }
}

/// Every number in a variant dictionary has its type's size (a short or cut list is left to the
/// crate, which reports it).
fn dictionary_is_sound(data: &[u8]) -> bool {
    let mut bytes = Bytes(data);
    if bytes.u16().is_none() {
        return true;
    }
    loop {
        let Some(kind) = bytes.u8() else { return true };
        if kind == 0 {
            return true;
        }
        let value = bytes.u32().and_then(|n| bytes.take(n as usize)).and_then(|_| bytes.u32());
        let Some(value) = value.and_then(|n| bytes.take(n as usize)) else { return true };
        let size = match kind {
            0x04 | 0x0C => 4,
            0x05 | 0x0D => 8,
            _ => 0,
        };
        if value.len() < size {
            return false;
        }
    }
}

/// How many bytes follow a KDBX 3.1 header: the encrypted contents, whole AES blocks unless the
/// file was cut short.
pub(super) fn kdbx3_payload_len(file: &[u8]) -> Option<usize> {
    let mut bytes = Bytes(file);
    bytes.take(10)?;
    if bytes.u16()? >= 4 {
        return None;
    }
    loop {
        let id = bytes.u8()?;
        let len = usize::from(bytes.u16()?);
        bytes.take(len)?;
        if id == 0 {
            return Some(bytes.0.len());
        }
    }
}

/// KDBX 4's key-value list of KDF parameters: Argon2's `M`, `I`, `P`, or AES-KDF's `R`.
fn variant_dictionary(data: &[u8]) -> Option<KdfCost> {
    let mut bytes = Bytes(data);
    bytes.u16()?;
    let mut cost = KdfCost::default();
    loop {
        let kind = bytes.u8()?;
        if kind == 0 {
            return Some(cost);
        }
        let key_len = bytes.u32()? as usize;
        let key = bytes.take(key_len)?;
        let value_len = bytes.u32()? as usize;
        let value = bytes.take(value_len)?;
        match key {
            b"M" => cost.memory_bytes = le_u64(value),
            b"I" | b"R" => cost.iterations = le_u64(value),
            b"P" => cost.parallelism = le_u64(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kdbx4_header(entries: &[(&str, u8, Vec<u8>)]) -> Vec<u8> {
        let mut dict = vec![0x00, 0x01];
        for (key, kind, value) in entries {
            dict.push(*kind);
            dict.extend((key.len() as u32).to_le_bytes());
            dict.extend(key.as_bytes());
            dict.extend((value.len() as u32).to_le_bytes());
            dict.extend(value);
        }
        dict.push(0);
        let mut file = vec![0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x04, 0x00];
        file.push(2);
        file.extend(16u32.to_le_bytes());
        file.extend([7u8; 16]);
        file.push(KDBX4_KDF_PARAMETERS);
        file.extend((dict.len() as u32).to_le_bytes());
        file.extend(dict);
        file.push(0);
        file.extend(0u32.to_le_bytes());
        file
    }

    #[test]
    fn argon2_settings_are_read_and_absurd_ones_refused() {
        let file = kdbx4_header(&[
            ("M", 0x05, (64u64 << 20).to_le_bytes().to_vec()),
            ("I", 0x05, 3u64.to_le_bytes().to_vec()),
            ("P", 0x04, 4u32.to_le_bytes().to_vec()),
        ]);
        let cost = kdf_cost(&file).unwrap();
        assert_eq!(cost, KdfCost { memory_bytes: 64 << 20, iterations: 3, parallelism: 4 });
        assert!(Limits::DEFAULT.check(cost).is_ok());

        let greedy = kdbx4_header(&[("M", 0x05, (1u64 << 42).to_le_bytes().to_vec())]);
        let refused = Limits::DEFAULT.check(kdf_cost(&greedy).unwrap()).unwrap_err();
        assert!(refused.to_string().contains("4194304 MiB"), "{refused}");
    }

    #[test]
    fn numbers_shorter_than_their_type_are_caught() {
        let sound = kdbx4_header(&[("I", 0x05, 3u64.to_le_bytes().to_vec())]);
        assert!(sizes_are_sound(&sound));
        let short = kdbx4_header(&[("I", 0x05, vec![3])]);
        assert!(!sizes_are_sound(&short));
        let mut kdbx3 = vec![0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x03, 0x00];
        kdbx3.extend([6, 2, 0, 1, 2, 0, 0, 0]);
        assert!(!sizes_are_sound(&kdbx3));
    }

    #[test]
    fn a_cut_header_is_left_to_the_reader() {
        let file = kdbx4_header(&[("M", 0x05, 1024u64.to_le_bytes().to_vec())]);
        for len in 0..30 {
            assert_eq!(kdf_cost(&file[..len]), None, "{len}");
        }
    }
}
