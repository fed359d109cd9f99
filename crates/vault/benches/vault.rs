//! Speed of the operations a salesperson waits for, on a 10,000-entry vault built in memory.
//!
//! - `open`: parse the file and decrypt the payload with the vault key already unwrapped (what
//!   an unlock costs beyond the key derivation), and the whole `format::read` with a cheap KDF.
//! - `save`: encrypt the vault into file bytes, and a full `VaultFile::save` (backup link,
//!   atomic write, fsync of file and folder) into a folder under `target/tmp`.
//! - `search`: `find::search` for a few queries, and `find::resolve` as `show` uses it.
//! - `parts`, `io`: JSON, AES-GCM, wiping, hashing and the disk on their own, to tell where open
//!   and save spend their time.
//! - `kdf`: Argon2id with the cheap settings used here and with the defaults.
//! - `quick_unlock`: an unlock with the right PIN (Argon2id of the PIN, two keyring writes to a map).
//!
//! Run: `cargo bench -p crm-vault-core --bench vault` (numbers in docs/PERFORMANCE.md).
//! The goal: open after the KDF and save each under 50 ms with 10,000 entries.

use std::fs::{self, File};
use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use vault::crypto::{self, KdfParams, VaultKey};
use vault::format::{self, KeySlot};
use vault::quick_unlock::{KeyStore, KeyStoreError, Owner, Period, Pin, QuickUnlock, Unlocks};
use vault::{Author, CustomField, DeviceId, NewEntry, SecretText, SystemClock, Vault, VaultFile, find};

const ENTRIES: usize = 10_000;

/// The cheapest settings the format accepts: the benches measure everything but the KDF.
const CHEAP_KDF: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

const SYSTEMS: &[(&str, &str)] = &[
    ("Salesforce", "login.salesforce.com"),
    ("纷享销客", "www.fxiaoke.com"),
    ("HubSpot", "app.hubspot.com"),
    ("企业微信", "work.weixin.qq.com"),
    ("Outlook Mail", "outlook.office.com"),
    ("钉钉", "login.dingtalk.com"),
    ("SAP ERP", "erp.example.com"),
    ("用友 U8", "u8.yonyou.com"),
    ("Zoho CRM", "accounts.zoho.com"),
    ("金蝶云星空", "cloud.kingdee.com"),
    ("Partner Portal", "partners.example.net"),
    ("销售易", "login.xiaoshouyi.com"),
];
const REGIONS: &[&str] = &["华东", "华南", "华北", "West", "East", "Central", "西南"];
const CUSTOMERS: &[&str] =
    &["Acme Corp", "上海贸易有限公司", "Globex", "深圳科技", "Initech", "北京咨询", "Umbrella", "杭州物流"];
const PEOPLE: &[&str] =
    &["li.wei", "wang.fang", "zhang.min", "chen.jing", "j.smith", "m.garcia", "liu.yang", "a.mueller"];
const TAGS: &[&str] = &["crm", "mail", "erp", "daily", "客户", "partner", "finance", "重要"];

/// A small deterministic generator, so every run benches the same vault.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn password(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%&*+-=?@^_";
        (0..len).map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize] as char).collect()
    }
}

fn author() -> Author<'static> {
    Author { device: DeviceId(0x00c0_ffee_0000_0001), clock: &SystemClock }
}

/// One realistic entry: the kind of row a salesperson's vault is full of.
fn new_entry(rng: &mut XorShift, n: usize) -> NewEntry {
    let (system, host) = SYSTEMS[n % SYSTEMS.len()];
    let region = rng.pick(REGIONS);
    let customer = rng.pick(CUSTOMERS);
    let person = rng.pick(PEOPLE);
    let mut tags = vec![rng.pick(TAGS).to_owned()];
    if n.is_multiple_of(3) {
        let second = rng.pick(TAGS).to_owned();
        if second != tags[0] {
            tags.push(second);
        }
    }
    let field = if n.is_multiple_of(2) {
        ("employee id".to_owned(), CustomField { value: SecretText::new(format!("E{:06}", n)), hidden: false })
    } else {
        ("PIN".to_owned(), CustomField { value: SecretText::new(format!("{:04}", rng.next() % 10_000)), hidden: true })
    };
    NewEntry {
        title: format!("{system} {region} {customer} #{n}"),
        username: format!("{person}{}@example.com", n % 97),
        password: SecretText::new(rng.password(20)),
        urls: vec![format!("https://{host}/login?account={n}")],
        notes: format!(
            "Account for {customer} ({region}). 客户经理: {person}. Renewal due {}-{:02}; call the front desk before visiting.",
            2026 + n % 3,
            1 + n % 12
        ),
        totp: SecretText::default(),
        tags,
        fields: vec![field],
        ..NewEntry::default()
    }
}

fn vault_with(entries: usize) -> Vault {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut vault = Vault::new("Bench", author(), "bench laptop");
    for n in 0..entries {
        vault.add_entry(new_entry(&mut rng, n), author());
    }
    vault
}

struct Fixture {
    vault: Vault,
    key: VaultKey,
    slot: KeySlot,
    bytes: Vec<u8>,
    password: SecretString,
}

fn fixture() -> Fixture {
    let vault = vault_with(ENTRIES);
    let key = VaultKey::random();
    let password = SecretString::from("correct horse battery staple 马");
    let slot = format::wrap_key(&password, CHEAP_KDF, &key).expect("cheap KDF settings are accepted");
    let bytes = format::write(&vault, &key, &slot);
    eprintln!(
        "bench vault: {} entries, file of {} bytes ({:.1} KiB per entry)",
        ENTRIES,
        bytes.len(),
        bytes.len() as f64 / 1024.0 / ENTRIES as f64
    );
    Fixture { vault, key, slot, bytes, password }
}

/// Settings for the benches of whole-vault operations (tens of milliseconds each): the same number
/// of iterations per sample, and a run of the whole file in a few minutes on a 2-core machine.
fn slow(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(20).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(4));
}

fn open(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group("open");
    slow(&mut group);
    // Dropping the opened vault is not part of opening it (see `parts/drop 10k vault`).
    group.bench_function("parse+decrypt 10k", |b| {
        b.iter_with_large_drop(|| {
            let parsed = format::parse(black_box(&f.bytes)).unwrap();
            parsed.decrypt(&f.key).unwrap()
        })
    });
    group.bench_function("format::read 10k (19 MiB t=2 p=1 KDF)", |b| {
        b.iter_with_large_drop(|| format::read(black_box(&f.bytes), &f.password).unwrap())
    });
    group.finish();
}

fn save(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group("save");
    slow(&mut group);
    group.bench_function("format::write 10k", |b| b.iter(|| format::write(black_box(&f.vault), &f.key, &f.slot)));

    // On the workspace's disk (target/tmp), not a tmpfs, so the fsyncs cost what they cost.
    let dir = tempfile::Builder::new()
        .prefix("bench-save-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a temp folder under target/tmp");
    let path = dir.path().join("bench.crmvault");
    let mut file = VaultFile::create(&path, &f.password, CHEAP_KDF, &f.vault).expect("create the bench vault");
    let mut vault = f.vault.clone();
    group.bench_function("VaultFile::save 10k (backup+atomic write+fsync)", |b| {
        b.iter(|| file.save(black_box(&mut vault), &SystemClock).unwrap())
    });
    group.finish();
}

fn search(c: &mut Criterion, f: &Fixture) {
    let mut group = c.benchmark_group("search");
    group.sample_size(30).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(4));
    for (label, query) in [
        ("ls order (empty query)", ""),
        ("salesforce", "salesforce"),
        ("华东 daily", "华东 daily"),
        ("no match", "no-such-thing"),
    ] {
        group.bench_function(label, |b| b.iter(|| find::search(black_box(&f.vault), black_box(query)).len()));
    }
    let some = f.vault.sorted_entries()[ENTRIES / 2];
    let (title, id) = (some.title.value.clone(), some.id.to_string());
    group.bench_function("resolve by title (show)", |b| {
        b.iter(|| find::resolve(black_box(&f.vault), black_box(&title)).unwrap().id)
    });
    group.bench_function("resolve by id (show)", |b| {
        b.iter(|| find::resolve(black_box(&f.vault), black_box(&id)).unwrap().id)
    });
    group.finish();
}

/// The pieces of open and save, to see which one dominates.
fn parts(c: &mut Criterion, f: &Fixture) {
    let json = serde_json::to_vec(&f.vault).unwrap();
    let nonce = crypto::random_array();
    let sealed = crypto::seal(&f.key, &nonce, b"header", &json);
    let mut group = c.benchmark_group("parts");
    slow(&mut group);
    group.bench_function("json serialise 10k", |b| b.iter(|| serde_json::to_vec(black_box(&f.vault)).unwrap()));
    group.bench_function("json parse 10k", |b| {
        b.iter_with_large_drop(|| serde_json::from_slice::<Vault>(black_box(&json)).unwrap())
    });
    group.bench_function("aes-gcm seal payload", |b| {
        b.iter(|| crypto::seal(&f.key, &nonce, b"header", black_box(&json)))
    });
    group.bench_function("aes-gcm open payload", |b| {
        b.iter(|| crypto::open(&f.key, &nonce, b"header", black_box(&sealed)).unwrap())
    });
    group.bench_function("header parse", |b| b.iter(|| format::parse(black_box(&f.bytes)).unwrap().slot.kdf));
    group.bench_function("drop 10k vault", |b| b.iter_batched(|| f.vault.clone(), drop, BatchSize::LargeInput));
    // The decrypted and the serialised payload are wiped when dropped (`Zeroizing`).
    group.bench_function("zeroize payload-sized buffer", |b| {
        b.iter_batched(|| Zeroizing::new(json.clone()), drop, BatchSize::LargeInput)
    });
    // `VaultFile` fingerprints every file it reads or writes, and re-reads the file before a save.
    group.bench_function("sha256 of the file", |b| b.iter(|| Sha256::digest(black_box(&f.bytes))));
    group.finish();

    // The disk part of a save, without our code: what write + fsync + rename + fsync cost here.
    let dir = tempfile::Builder::new().prefix("bench-io-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (path, temp) = (dir.path().join("io.bin"), dir.path().join("io.tmp"));
    fs::write(&path, &f.bytes).unwrap();
    let mut group = c.benchmark_group("io");
    slow(&mut group);
    group.bench_function("read the file", |b| b.iter(|| fs::read(black_box(&path)).unwrap()));
    group.bench_function("write file + fsync + rename + fsync folder", |b| {
        b.iter(|| {
            let mut file = File::create(&temp).unwrap();
            file.write_all(&f.bytes).unwrap();
            file.sync_all().unwrap();
            drop(file);
            fs::rename(&temp, &path).unwrap();
            File::open(dir.path()).unwrap().sync_all().unwrap();
        })
    });
    group.finish();
}

fn kdf(c: &mut Criterion, f: &Fixture) {
    let salt = [7u8; crypto::SALT_LEN];
    let mut group = c.benchmark_group("kdf");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("argon2id 19 MiB t=2 p=1", |b| {
        b.iter(|| crypto::derive_kek(&f.password, &salt, CHEAP_KDF).unwrap())
    });
    group.bench_function("argon2id default 64 MiB t=3 p=4", |b| {
        b.iter(|| crypto::derive_kek(&f.password, &salt, KdfParams::default()).unwrap())
    });
    group.finish();
}

/// The keyring's stand-in: the Secret Service's D-Bus round trips are not what is measured here.
#[derive(Default)]
struct MapKeyStore(std::cell::RefCell<std::collections::HashMap<String, Vec<u8>>>);

impl KeyStore for MapKeyStore {
    fn get(&self, _: &str, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        Ok(self.0.borrow().get(name).cloned().map(Zeroizing::new))
    }
    fn set(&self, _: &str, name: &str, secret: &[u8]) -> Result<(), KeyStoreError> {
        self.0.borrow_mut().insert(name.to_owned(), secret.to_vec());
        Ok(())
    }
    fn delete(&self, _: &str, name: &str) -> Result<(), KeyStoreError> {
        self.0.borrow_mut().remove(name);
        Ok(())
    }
    fn names(&self, _: &str) -> Result<Vec<String>, KeyStoreError> {
        Ok(self.0.borrow().keys().cloned().collect())
    }
}

fn quick_unlock(c: &mut Criterion, f: &Fixture) {
    let store = MapKeyStore::default();
    let pin = Pin::new("482916").unwrap();
    let owner = Owner { device: DeviceId(1), vault_id: f.vault.id };
    let record = QuickUnlock::enable(
        &store,
        owner,
        Unlocks { key: &f.key, key_slot: [0; 32] },
        &pin,
        0,
        Period::LONGEST,
        "bench",
    )
    .unwrap();
    let mut group = c.benchmark_group("quick_unlock");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("right PIN, Argon2id 64 MiB t=3 p=4", |b| {
        b.iter(|| record.unlock(&store, f.vault.id, black_box(&pin), 1, "bench").unwrap())
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    open(c, &f);
    save(c, &f);
    search(c, &f);
    parts(c, &f);
    kdf(c, &f);
    quick_unlock(c, &f);
}

criterion_group!(vault_benches, benches);
criterion_main!(vault_benches);
