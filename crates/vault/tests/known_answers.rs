//! Published known answers for the primitives, and an Argon2id answer computed by an independent
//! implementation (argon2-cffi, the reference C code) for our own key derivation.

use secrecy::SecretString;
use vault::crypto::{self, KdfParams, SecretKey};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// AES-256 test cases 13, 14 and 16 of McGrew & Viega, "The Galois/Counter Mode of Operation".
#[test]
fn aes_256_gcm_published_vectors() {
    let cases = [
        ("00".repeat(32), "00".repeat(12), "", String::new(), "530f8afbc74536b9a963b4f1c4cb738b"),
        ("00".repeat(32), "00".repeat(12), "", "00".repeat(16), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"),
        (
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308".into(),
            "cafebabefacedbaddecaf888".into(),
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39".into(),
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b",
        ),
    ];
    for (key, nonce, aad, plaintext, expected) in cases {
        let key = SecretKey::from_bytes(hex(&key).try_into().unwrap());
        let nonce: [u8; 12] = hex(&nonce).try_into().unwrap();
        let sealed = crypto::seal(&key, &nonce, &hex(aad), &hex(&plaintext));
        assert_eq!(hex::encode(&sealed), expected);
        assert_eq!(crypto::open(&key, &nonce, &hex(aad), &sealed).unwrap().as_slice(), hex(&plaintext).as_slice());
    }
}

/// RFC 9106 section 5.3: the Argon2id test vector (with secret and associated data).
#[test]
fn argon2id_rfc_9106_vector() {
    let params = argon2::ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .data(argon2::AssociatedData::new(&[4; 12]).unwrap())
        .output_len(32)
        .build()
        .unwrap();
    let argon =
        argon2::Argon2::new_with_secret(&[3; 8], argon2::Algorithm::Argon2id, argon2::Version::V0x13, params).unwrap();
    let mut out = [0u8; 32];
    argon.hash_password_into(&[1; 32], &[2; 16], &mut out).unwrap();
    assert_eq!(hex::encode(out), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}

/// Our key derivation (password bytes as UTF-8, no secret, no associated data, 32-byte output)
/// against argon2-cffi's `hash_secret_raw(..., type=Type.ID)`.
#[test]
fn derive_kek_matches_the_reference_implementation() {
    let cases = [
        (
            "correct horse battery staple",
            b"CRM Vault KAT salt 32 bytes long".to_vec(),
            KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 },
            "afa50f64088c9c72a23381b77f2df04146782ff869b57753ed07955aee064e4c",
        ),
        (
            "密码 pässwörd 🔑",
            (0u8..16).collect(),
            KdfParams::default(),
            "a76a7bdf7838fd36497a7cea101dfd9525ddd7ac1a32f565af279b2e2bd6cd7c",
        ),
    ];
    for (password, salt, params, expected) in cases {
        let kek = crypto::derive_kek(&SecretString::from(password), &salt, params).unwrap();
        assert_eq!(hex::encode(kek.expose()), expected);
    }
}
