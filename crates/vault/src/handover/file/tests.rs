use super::*;
use secrecy::SecretString;

/// The cheapest settings a reader accepts: these tests run Argon2id many times.
fn cheap() -> KdfParams {
    KdfParams::from_mib(19, 2, 1).unwrap()
}

fn pass(text: &str) -> MasterPassword {
    SecretString::from(text)
}

fn sample() -> HandoverFile {
    HandoverFile {
        id: HandoverId(uuid::Uuid::from_bytes([0x11; 16])),
        giver: "Li Wei".into(),
        made_ms: 1_800_000_000_000,
        expires_ms: Some(1_800_000_000_000 + 3 * 24 * 3_600_000),
        entries: vec![HandedEntry {
            title: "CRM".into(),
            username: "li.wei".into(),
            password: "Tr0ub4dor&3".into(),
            urls: vec!["https://crm.example.com".into()],
            tags: vec!["crm".into()],
            ..HandedEntry::default()
        }],
    }
}

fn fixed() -> Randomness {
    Randomness {
        salt: vec![0x5a; 32],
        wrap_nonce: [0x01; NONCE_LEN],
        file_key: SecretKey::from_bytes([0x42; KEY_LEN]),
        payload_nonce: [0x02; NONCE_LEN],
    }
}

const NOW: u64 = 1_800_000_000_000 + 3_600_000;

#[test]
fn a_file_opens_with_its_passphrase_and_says_what_was_put_in() {
    let bytes = write(&sample(), &pass("correct horse battery"), cheap()).unwrap();
    assert_eq!(&bytes[..11], b"CRMHANDOVER");
    let back = read(&bytes, &pass("correct horse battery"), NOW).unwrap();
    assert_eq!(back, sample());
    assert_eq!(back.entries[0].password.expose(), "Tr0ub4dor&3");
}

#[test]
fn a_wrong_passphrase_is_told_apart_from_damage() {
    let bytes = write(&sample(), &pass("correct horse battery"), cheap()).unwrap();
    assert!(matches!(read(&bytes, &pass("correct horse battery "), NOW), Err(ReadError::WrongPassphrase)));
}

#[test]
fn an_expired_file_is_refused_after_the_passphrase_is_checked() {
    let bytes = write(&sample(), &pass("pw"), cheap()).unwrap();
    let expiry = sample().expires_ms.unwrap();
    assert!(read(&bytes, &pass("pw"), expiry - 1).is_ok());
    assert!(
        matches!(read(&bytes, &pass("pw"), expiry), Err(ReadError::Expired { expires_ms }) if expires_ms == expiry)
    );
    // A wrong passphrase is still told as such: an expired file says nothing to a stranger.
    assert!(matches!(read(&bytes, &pass("px"), expiry), Err(ReadError::WrongPassphrase)));
    let company = HandoverFile { expires_ms: None, ..sample() };
    let bytes = write(&company, &pass("pw"), cheap()).unwrap();
    assert!(read(&bytes, &pass("pw"), u64::MAX).is_ok());
}

/// Every single flipped byte is refused, and with the error that fits where it is: the magic
/// (not a hand-over file), the version, the rest of the header (damaged: the checksum), the
/// payload (tampered: the key is right but the contents do not verify).
#[test]
fn a_flipped_byte_anywhere_is_refused_with_the_error_for_its_place() {
    let bytes = write_with(&sample(), &pass("pw"), cheap(), fixed()).unwrap();
    let key = parse(&bytes).unwrap().unlock(&pass("pw")).unwrap();
    let header_len = PREFIX_LEN + 32 + NONCE_LEN + WRAPPED_LEN + NONCE_LEN + 4 + CHECKSUM_LEN;
    for pos in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[pos] ^= flip;
            // The payload is opened with the key found once, so each position costs no Argon2id.
            let outcome = parse(&bad).and_then(|parsed| parsed.decrypt(&key));
            match pos {
                0..11 => assert!(matches!(outcome, Err(ReadError::NotAHandover)), "{pos}"),
                11..13 => assert!(matches!(outcome, Err(ReadError::UnsupportedVersion(_))), "{pos}"),
                _ if pos < header_len => assert!(matches!(outcome, Err(ReadError::Damaged(_))), "{pos}: {outcome:?}"),
                _ => assert!(matches!(outcome, Err(ReadError::Tampered)), "{pos}: {outcome:?}"),
            }
        }
    }
    // And end to end, with the passphrase, for one byte of the payload and one of the header.
    let mut bad = bytes.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert!(matches!(read(&bad, &pass("pw"), NOW), Err(ReadError::Tampered)));
    bad = bytes.clone();
    bad[30] ^= 1;
    assert!(matches!(read(&bad, &pass("pw"), NOW), Err(ReadError::Damaged(_))));
}

#[test]
fn a_cut_or_lengthened_file_is_damaged_and_a_huge_one_is_refused_unread() {
    let bytes = write(&sample(), &pass("pw"), cheap()).unwrap();
    for len in [11, 12, 13, 40, 150, bytes.len() - 1] {
        let outcome = parse(&bytes[..len]);
        assert!(matches!(outcome, Err(ReadError::Damaged(_))), "{len}: {outcome:?}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(parse(&longer), Err(ReadError::Damaged(_))));
    let mut huge = bytes.clone();
    huge.resize(MAX_FILE_LEN + 1, 0);
    assert!(matches!(parse(&huge), Err(ReadError::TooLarge { .. })));
    assert!(matches!(parse(b"CRMVAULT\x03\x00"), Err(ReadError::NotAHandover)));
    assert!(matches!(parse(b""), Err(ReadError::NotAHandover)));
}

/// A header re-made with a recomputed checksum but settings outside the limits is refused before
/// any key derivation (a hostile file cannot make us allocate gigabytes).
#[test]
fn settings_outside_the_limits_are_refused_even_with_a_valid_checksum() {
    let mut bytes = write_with(&sample(), &pass("pw"), cheap(), fixed()).unwrap();
    bytes[14..18].copy_from_slice(&(8 * 1024 * 1024u32).to_le_bytes());
    let sum_at = PREFIX_LEN + 32 + NONCE_LEN + WRAPPED_LEN + NONCE_LEN + 4;
    let sum = Sha256::digest(&bytes[..sum_at]);
    bytes[sum_at..sum_at + CHECKSUM_LEN].copy_from_slice(&sum);
    assert!(matches!(parse(&bytes), Err(ReadError::KdfOutOfRange(_))));
}

#[test]
fn contents_out_of_range_are_refused() {
    let empty = HandoverFile { entries: vec![], ..sample() };
    let bytes = write(&empty, &pass("pw"), cheap()).unwrap();
    assert!(matches!(read(&bytes, &pass("pw"), NOW), Err(ReadError::Damaged(_))));
    let backwards = HandoverFile { expires_ms: Some(1), ..sample() };
    let bytes = write(&backwards, &pass("pw"), cheap()).unwrap();
    assert!(matches!(read(&bytes, &pass("pw"), 0), Err(ReadError::Damaged(_))));
}

/// The test vector in docs/FORMAT.md ("Hand-over files"): fixed inputs give exactly these bytes.
#[test]
fn the_documented_test_vector_is_what_the_writer_writes() {
    let bytes = write_with(&sample(), &pass("correct horse battery"), cheap(), fixed()).unwrap();
    let doc = include_str!("../../../../../docs/FORMAT.md");
    let section = doc.split("<!-- handover-vector -->").nth(1).expect("the vector's section in docs/FORMAT.md");
    let documented: String = section.chars().filter(char::is_ascii_hexdigit).collect();
    assert_eq!(documented, hex::encode(&bytes), "docs/FORMAT.md's hand-over vector is out of date");
    assert!(doc.contains(&serde_json::to_string(&sample()).unwrap()), "the vector's payload in docs/FORMAT.md");
    assert_eq!(read(&bytes, &pass("correct horse battery"), NOW).unwrap(), sample());
}
