//! Speed of the operations a salesperson waits for, on vaults of 10,000 (and 100,000) entries built
//! in memory.
//!
//! - `open`: parse the file and decrypt the payload with the vault key already unwrapped (what
//!   an unlock costs beyond the key derivation), and the whole `format::read` with a cheap KDF.
//! - `save`: encrypt the vault into file bytes, and a full `VaultFile::save` (backup link,
//!   atomic write, fsync of file and folder) into a folder under `target/tmp`.
//! - `search`: `find::search` for a few queries, and `find::resolve` as `show` uses it.
//! - `parts`, `io`: AES-GCM, zstd, JSON lexing, hashing, dropping and the disk on their own, to
//!   tell where open and save spend their time (the payload's JSON encoder and decoder are private
//!   to the format; their share is what open and save take beyond the measured parts).
//! - `kdf`: Argon2id with the cheap settings used here and with the defaults.
//! - `quick_unlock`: an unlock with the right PIN (Argon2id of the PIN, two keyring writes to a map).
//!
//! Every open/save/parts bench runs once per vault size in `BENCH_ENTRIES` (comma-separated,
//! default `10000`), and on one more vault of 10,000 entries with `BENCH_HISTORY` history items
//! each (default 20; 0 leaves it out): against the plain 10,000, it shows what a long history
//! costs, which should be in proportion to the bytes it adds and no more.
//!
//! Run: `cargo bench -p crm-vault-core --bench vault` (numbers in docs/PERFORMANCE.md);
//! `BENCH_ENTRIES=10000,100000 cargo bench -p crm-vault-core --bench vault -- 'open|save|parts'`
//! for the scaling figures. The goal: open after the KDF and save each under 50 ms with 10,000
//! entries, and cost in proportion to the entries (and history) beyond that.

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
use vault::model::MergeReport;
use vault::quick_unlock::{KeyStore, KeyStoreError, Owner, Period, Pin, QuickUnlock, Unlocks};
use vault::{Author, CustomField, DeviceId, EntryEdit, NewEntry, SecretText, SystemClock, Vault, VaultFile, find};

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

fn vault_with(entries: usize, history: usize) -> Vault {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut vault = Vault::new("Bench", author(), "bench laptop");
    for n in 0..entries {
        let id = vault.add_entry(new_entry(&mut rng, n), author());
        // A password changed `history` times: each change keeps the old one in the history.
        for _ in 0..history {
            let edit = EntryEdit { password: Some(SecretText::new(rng.password(20))), ..EntryEdit::default() };
            vault.edit_entry(id, edit, author()).expect("the entry was just added");
        }
    }
    vault
}

/// The sizes to bench, from `BENCH_ENTRIES` (default 10,000).
fn sizes() -> Vec<usize> {
    let list = std::env::var("BENCH_ENTRIES").unwrap_or_else(|_| ENTRIES.to_string());
    list.split(',').map(|n| n.trim().parse().expect("BENCH_ENTRIES: numbers separated by commas")).collect()
}

/// History items per entry of the history vault, from `BENCH_HISTORY` (default 20).
fn history_len() -> usize {
    std::env::var("BENCH_HISTORY").map_or(20, |n| n.trim().parse().expect("BENCH_HISTORY: a number"))
}

struct Fixture {
    /// "10k", "100k", "10k 20h" (10,000 entries with 20 history items each).
    label: String,
    entries: usize,
    vault: Vault,
    key: VaultKey,
    slot: KeySlot,
    bytes: Vec<u8>,
    password: SecretString,
    /// The decrypted payload: zstd-compressed JSON.
    compressed: Vec<u8>,
    /// The same, decompressed: the payload's JSON.
    json: Vec<u8>,
}

fn label(entries: usize, history: usize) -> String {
    let n = if entries.is_multiple_of(1000) { format!("{}k", entries / 1000) } else { entries.to_string() };
    if history == 0 { n } else { format!("{n} {history}h") }
}

fn fixture(entries: usize, history: usize) -> Fixture {
    let vault = vault_with(entries, history);
    let key = VaultKey::random();
    let password = SecretString::from("correct horse battery staple 马");
    let slot = format::wrap_key(&password, CHEAP_KDF, &key).expect("cheap KDF settings are accepted");
    let bytes = format::write(&vault, &key, &slot);
    let parsed = format::parse(&bytes).unwrap();
    let compressed = crypto::open(&key, &parsed.payload_nonce, parsed.header, parsed.payload).unwrap().to_vec();
    let json = zstd::bulk::decompress(&compressed, 1 << 31).unwrap();
    let history_items: usize = vault.entries.values().map(|e| e.history.len()).sum();
    eprintln!(
        "bench vault {}: {} entries, {} history items, file of {} bytes ({:.1} bytes per entry), JSON of {} bytes ({:.1} per entry)",
        label(entries, history),
        entries,
        history_items,
        bytes.len(),
        bytes.len() as f64 / entries as f64,
        json.len(),
        json.len() as f64 / entries as f64,
    );
    Fixture { label: label(entries, history), entries, vault, key, slot, bytes, password, compressed, json }
}

/// Settings for the benches of whole-vault operations (tens of milliseconds each): the same number
/// of iterations per sample, and a run of the whole file in a few minutes on a 2-core machine.
fn slow(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(20).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(4));
}

fn open(c: &mut Criterion, fixtures: &[Fixture]) {
    let mut group = c.benchmark_group("open");
    slow(&mut group);
    for f in fixtures {
        // Dropping the opened vault is not part of opening it (see `parts/drop vault`).
        group.bench_function(format!("parse+decrypt {}", f.label), |b| {
            b.iter_with_large_drop(|| {
                let parsed = format::parse(black_box(&f.bytes)).unwrap();
                parsed.decrypt(&f.key).unwrap()
            })
        });
        group.bench_function(format!("format::read {} (19 MiB t=2 p=1 KDF)", f.label), |b| {
            b.iter_with_large_drop(|| format::read(black_box(&f.bytes), &f.password).unwrap())
        });
    }
    group.finish();
}

fn save(c: &mut Criterion, fixtures: &[Fixture]) {
    let mut group = c.benchmark_group("save");
    slow(&mut group);
    for f in fixtures {
        group.bench_function(format!("format::write {}", f.label), |b| {
            b.iter(|| format::write(black_box(&f.vault), &f.key, &f.slot))
        });

        // On the workspace's disk (target/tmp), not a tmpfs, so the fsyncs cost what they cost.
        let dir = tempfile::Builder::new()
            .prefix("bench-save-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a temp folder under target/tmp");
        let path = dir.path().join("bench.crmvault");
        let mut file = VaultFile::create(&path, &f.password, CHEAP_KDF, &f.vault).expect("create the bench vault");
        let mut vault = f.vault.clone();
        group.bench_function(format!("VaultFile::save {} (backup+atomic write+fsync)", f.label), |b| {
            b.iter(|| file.save(black_box(&mut vault), &SystemClock).unwrap())
        });
    }
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
    let some = f.vault.sorted_entries()[f.entries / 2];
    let (title, id) = (some.title.value.clone(), some.id.to_string());
    group.bench_function("resolve by title (show)", |b| {
        b.iter(|| find::resolve(black_box(&f.vault), black_box(&title)).unwrap().id)
    });
    group.bench_function("resolve by id (show)", |b| {
        b.iter(|| find::resolve(black_box(&f.vault), black_box(&id)).unwrap().id)
    });
    group.finish();
}

/// The pieces of open and save, to see which one dominates. Open = header parse + AES-GCM open +
/// zstd decompress + JSON decode into the model; save (to bytes) = JSON encode + zstd compress +
/// AES-GCM seal. The JSON steps are private to the format: `json lex` is serde_json walking the
/// payload without building anything, the floor of any decoder of it.
fn parts(c: &mut Criterion, fixtures: &[Fixture]) {
    let mut group = c.benchmark_group("parts");
    slow(&mut group);
    for f in fixtures {
        let l = &f.label;
        let nonce = crypto::random_array();
        let sealed = crypto::seal(&f.key, &nonce, b"header", &f.compressed);
        group.bench_function(format!("aes-gcm open payload {l}"), |b| {
            b.iter(|| crypto::open(&f.key, &nonce, b"header", black_box(&sealed)).unwrap())
        });
        group.bench_function(format!("zstd decompress {l}"), |b| {
            b.iter(|| zstd::bulk::decompress(black_box(&f.compressed), f.json.len()).unwrap())
        });
        group.bench_function(format!("json lex {l}"), |b| {
            b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&f.json)).unwrap())
        });
        group.bench_function(format!("zstd compress level 3 {l}"), |b| {
            b.iter(|| zstd::bulk::compress(black_box(&f.json), 3).unwrap())
        });
        group.bench_function(format!("aes-gcm seal payload {l}"), |b| {
            b.iter(|| crypto::seal(&f.key, &nonce, b"header", black_box(&f.compressed)))
        });
        group.bench_function(format!("drop vault {l}"), |b| {
            b.iter_batched(|| f.vault.clone(), drop, BatchSize::LargeInput)
        });
        // Every `VaultFile::save` clones the vault and compares it with the saved one afterwards
        // (the merge report of what another laptop's copy brought in).
        group.bench_function(format!("clone vault {l}"), |b| b.iter_with_large_drop(|| black_box(&f.vault).clone()));
        let copy = f.vault.clone();
        group.bench_function(format!("merge report between equal vaults {l}"), |b| {
            b.iter(|| MergeReport::between(black_box(&copy), black_box(&f.vault)))
        });
        // The decompressed JSON is wiped when dropped (`Zeroizing`), on open and on save.
        group.bench_function(format!("zeroize JSON-sized buffer {l}"), |b| {
            b.iter_batched(|| Zeroizing::new(f.json.clone()), drop, BatchSize::LargeInput)
        });
        // `VaultFile` fingerprints every file it reads or writes, and re-reads the file before a save.
        group.bench_function(format!("sha256 of the file {l}"), |b| b.iter(|| Sha256::digest(black_box(&f.bytes))));
    }
    group.bench_function("header parse", |b| b.iter(|| format::parse(black_box(&fixtures[0].bytes)).unwrap().slot.kdf));
    group.finish();

    // The disk part of a save, without our code: what write + fsync + rename + fsync cost here.
    let mut group = c.benchmark_group("io");
    slow(&mut group);
    for f in fixtures {
        let dir = tempfile::Builder::new().prefix("bench-io-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let (path, temp) = (dir.path().join("io.bin"), dir.path().join("io.tmp"));
        fs::write(&path, &f.bytes).unwrap();
        group.bench_function(format!("read the file {}", f.label), |b| b.iter(|| fs::read(black_box(&path)).unwrap()));
        group.bench_function(format!("write file + fsync + rename + fsync folder {}", f.label), |b| {
            b.iter(|| {
                let mut file = File::create(&temp).unwrap();
                file.write_all(&f.bytes).unwrap();
                file.sync_all().unwrap();
                drop(file);
                fs::rename(&temp, &path).unwrap();
                File::open(dir.path()).unwrap().sync_all().unwrap();
            })
        });
    }
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
    let mut fixtures: Vec<Fixture> = sizes().into_iter().map(|n| fixture(n, 0)).collect();
    let history = history_len();
    if history > 0 {
        fixtures.push(fixture(ENTRIES, history));
    }
    open(c, &fixtures);
    save(c, &fixtures);
    search(c, &fixtures[0]);
    parts(c, &fixtures);
    kdf(c, &fixtures[0]);
    quick_unlock(c, &fixtures[0]);
}

criterion_group!(vault_benches, benches);
criterion_main!(vault_benches);
