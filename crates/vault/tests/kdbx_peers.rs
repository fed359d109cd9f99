//! KeePass files made at test time by the real programs, and our KDBX export opened by them:
//! `keepassxc-cli` 2.7 (its `import` turns a KeePass XML file into a KDBX 3.1 file with AES-KDF;
//! it cannot write KDBX 4 from XML, so the KDBX 4 fixture comes from pykeepass) and pykeepass
//! (KDBX 4 with Argon2id, and reading our export back). Both are installed by scripts/install-deps;
//! without them these tests fail and say so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use vault::import::{self, Contents, FileKey, Imported, Read, Source};
use vault::model::{CustomField, EntryEdit, ExpiryDate, NewEntry};
use vault::totp::Totp;
use vault::{Author, DeviceId, KdfParams, SecretText, SystemClock, Vault};

const LIGHT: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
const SECRET_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    let python = std::env::var_os("CRM_VAULT_PEERS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv-peers/bin/python"));
    assert!(
        python.exists(),
        "pykeepass's python is missing at {}: run scripts/install-deps (or set CRM_VAULT_PEERS_PYTHON)",
        python.display()
    );
    python
}

fn run(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("could not run {command:?} ({err}); install it with scripts/install-deps"));
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{command:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn keepassxc(args: &[&str], stdin: &str) -> String {
    let output = run(Command::new("keepassxc-cli").args(args), stdin);
    String::from_utf8(output.stdout).unwrap()
}

fn py(script: &str, args: &[&Path]) -> String {
    let output = run(Command::new(python()).arg("-c").arg(script).args(args), "");
    String::from_utf8(output.stdout).unwrap()
}

fn open(bytes: &[u8], password: Option<&str>, key_file: Option<&[u8]>) -> (Source, Vec<Imported>, Read) {
    let password = password.map(SecretText::new);
    let key = FileKey { password: password.as_ref(), key_file };
    let mut read = import::read(bytes, None, key, Default::default(), &mut |_, _| {}).unwrap();
    let Contents::Entries(entries) = std::mem::replace(&mut read.contents, Contents::Entries(Vec::new())) else {
        panic!("a KeePass file holds entries")
    };
    (read.source.clone(), entries, read)
}

fn by_title<'a>(entries: &'a [Imported], title: &str) -> &'a Imported {
    entries.iter().find(|e| e.entry.title == title).unwrap_or_else(|| panic!("no entry {title}"))
}

/// KeePass XML as KeePassXC exports it: Chinese groups and titles, an `otp` attribute, history,
/// protected fields, expiry, an attachment, and a recycle bin holding an entry.
const XML: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile>
 <Meta>
  <Generator>KeePassXC</Generator><DatabaseName>公司</DatabaseName>
  <RecycleBinEnabled>True</RecycleBinEnabled><RecycleBinUUID>AAAAAAAAAAAAAAAAAAAAIA==</RecycleBinUUID>
  <Binaries><Binary ID="0">JVBERi0xLjQK</Binary></Binaries>
 </Meta>
 <Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Name>Root</Name>
  <Group><UUID>AAAAAAAAAAAAAAAAAAAAAQ==</UUID><Name>Sales</Name>
   <Group><UUID>AAAAAAAAAAAAAAAAAAAAAg==</UUID><Name>国内CRM</Name>
    <Entry><UUID>AAAAAAAAAAAAAAAAAAAAEA==</UUID>
     <Times><CreationTime>2023-01-02T03:04:05Z</CreationTime><LastModificationTime>2024-05-06T07:08:09Z</LastModificationTime>
      <ExpiryTime>2027-03-31T12:00:00Z</ExpiryTime><Expires>True</Expires></Times>
     <Tags>重要;客户</Tags>
     <String><Key>Title</Key><Value>纷享销客</Value></String>
     <String><Key>UserName</Key><Value>li.lei@example.cn</Value></String>
     <String><Key>Password</Key><Value ProtectInMemory="True">新密码-2024!</Value></String>
     <String><Key>URL</Key><Value>https://www.fxiaoke.com</Value></String>
     <String><Key>KP2A_URL</Key><Value>https://m.fxiaoke.com</Value></String>
     <String><Key>Notes</Key><Value>客户经理：韩梅梅</Value></String>
     <String><Key>otp</Key><Value ProtectInMemory="True">otpauth://totp/fx:li.lei?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&amp;period=30&amp;digits=6&amp;issuer=fx</Value></String>
     <String><Key>PIN</Key><Value ProtectInMemory="True">4321</Value></String>
     <String><Key>工号</Key><Value>A-17</Value></String>
     <Binary><Key>名片.pdf</Key><Value Ref="0"/></Binary>
     <AutoType><Enabled>True</Enabled><DataTransferObfuscation>0</DataTransferObfuscation>
      <DefaultSequence>{USERNAME}{TAB}{PASSWORD}{ENTER}</DefaultSequence>
      <Association><Window>*纷享销客*</Window><KeystrokeSequence></KeystrokeSequence></Association></AutoType>
     <History>
      <Entry><UUID>AAAAAAAAAAAAAAAAAAAAEA==</UUID>
       <Times><LastModificationTime>2023-01-02T03:04:05Z</LastModificationTime></Times>
       <String><Key>Title</Key><Value>Fxiaoke</Value></String>
       <String><Key>UserName</Key><Value>li.lei@example.cn</Value></String>
       <String><Key>Password</Key><Value ProtectInMemory="True">旧密码-2023</Value></String>
       <String><Key>URL</Key><Value>https://www.fxiaoke.com</Value></String>
      </Entry>
     </History>
    </Entry>
   </Group>
  </Group>
  <Group><UUID>AAAAAAAAAAAAAAAAAAAAIA==</UUID><Name>回收站</Name>
   <Entry><UUID>AAAAAAAAAAAAAAAAAAAAMA==</UUID><String><Key>Title</Key><Value>已删除</Value></String></Entry>
  </Group>
 </Group></Root>
</KeePassFile>
"#;

#[test]
fn a_kdbx_3_1_file_made_by_keepassxc_arrives_whole() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("export.xml");
    std::fs::write(&xml, XML).unwrap();
    let file = dir.path().join("company.kdbx");
    // -t: the shortest key derivation keepassxc-cli allows (100 ms of AES-KDF rounds).
    keepassxc(&["import", "-q", "-p", "-t", "100", xml.to_str().unwrap(), file.to_str().unwrap()], "主密码\n主密码\n");
    let bytes = std::fs::read(&file).unwrap();

    let (source, entries, read) = open(&bytes, Some("主密码"), None);
    assert_eq!(source, Source::Kdbx { version: "3.1".into() });
    assert_eq!(entries.len(), 1, "the recycle bin stays behind");
    let fx = by_title(&entries, "纷享销客");
    let e = &fx.entry;
    assert_eq!(e.username, "li.lei@example.cn");
    assert_eq!(e.password.expose(), "新密码-2024!");
    assert_eq!(e.urls, ["https://www.fxiaoke.com", "https://m.fxiaoke.com"]);
    assert_eq!(e.notes, "客户经理：韩梅梅");
    // KeePassXC keeps tags sorted.
    assert_eq!(e.tags, ["客户", "重要", "Sales/国内CRM"]);
    assert_eq!(
        e.fields.iter().find(|(n, _)| n == "PIN").unwrap().1,
        CustomField { value: "4321".into(), hidden: true }
    );
    assert_eq!(
        e.fields.iter().find(|(n, _)| n == "工号").unwrap().1,
        CustomField { value: "A-17".into(), hidden: false }
    );
    assert_eq!(Totp::parse(e.totp.expose()).unwrap().code_at(59).text, "287082");
    assert_eq!(e.expires, Some("2027-03-31".parse().unwrap()));
    assert_eq!(e.autotype_sequence.as_deref(), Some("{USERNAME}{TAB}{PASSWORD}{ENTER}"));
    assert_eq!(e.autotype_windows, ["*纷享销客*"]);
    assert_eq!(fx.created_ms, Some(1_672_628_645_000));
    assert_eq!(fx.modified_ms, Some(1_714_979_289_000));
    let old: Vec<(&str, &str)> = fx.history.iter().map(|h| (h.field.as_str(), h.value.expose())).collect();
    assert!(old.contains(&("title", "Fxiaoke")) && old.contains(&("password", "旧密码-2023")), "{old:?}");
    let skipped: Vec<String> = read.skipped.iter().map(|s| format!("{} {}", s.place, s.reason)).collect();
    assert_eq!(skipped, ["\"Sales/国内CRM/纷享销客\" has an attachment \"名片.pdf\", which was not imported"]);

    let wrong = SecretText::new("not it");
    let key = FileKey { password: Some(&wrong), key_file: None };
    assert!(matches!(
        import::read(&bytes, None, key, Default::default(), &mut |_, _| {}),
        Err(import::ImportError::WrongPassword)
    ));
}

#[test]
fn a_key_file_made_by_keepassxc_opens_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("export.xml");
    std::fs::write(&xml, XML).unwrap();
    let file = dir.path().join("keyed.kdbx");
    let key_file = dir.path().join("company.keyx");
    let args = ["import", "-q", "--set-key-file", key_file.to_str().unwrap(), "-t", "100"];
    keepassxc(&[&args[..], &[xml.to_str().unwrap(), file.to_str().unwrap()]].concat(), "");
    let bytes = std::fs::read(&file).unwrap();
    let key = std::fs::read(&key_file).unwrap();
    let (_, entries, _) = open(&bytes, None, Some(&key));
    assert_eq!(by_title(&entries, "纷享销客").entry.password.expose(), "新密码-2024!");
    let none = import::read(&bytes, None, FileKey::default(), Default::default(), &mut |_, _| {});
    assert!(matches!(none, Err(import::ImportError::NeedsPassword)));
}

/// pykeepass writes a KDBX 4 file with Argon2id (made light), an `otp` attribute, a protected
/// custom field, expiry and a history version.
const PYKEEPASS_WRITE: &str = r#"
import sys, datetime
from pykeepass import PyKeePass
from pykeepass.pykeepass import BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD
kp = PyKeePass(BLANK_DATABASE_LOCATION, BLANK_DATABASE_PASSWORD)
kdf = kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
kdf['$UUID'].value = bytes.fromhex('9e298b1956db4773b23dfc3ec6f0a1e6')
kdf['I'].value, kdf['M'].value, kdf['P'].value = 1, 1 << 20, 1
kp.filename, kp.password = sys.argv[1], '派克密码'
finance = kp.add_group(kp.add_group(kp.root_group, '财务'), '报销')
e = kp.add_entry(finance, '报销系统', 'wang.fang', '旧密码', url='https://bx.example.cn', notes='每月25日',
                 tags=['月底'], otp='otpauth://totp/bx?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
e.set_custom_property('部门编号', 'D-9', protect=True)
e.mtime = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
e.save_history()
e.password = '新密码'
# pykeepass appends every field it sets at the end of the entry, after <History>; KeePass and
# KeePassXC keep an entry's strings together, and the keepass crate reads only that layout
# (a known limit, see the reader's notes). Put them together, as KeePass would on saving.
for element in [e._element] + list(e._element.find('History')):
    strings = element.findall('String')
    for string in strings:
        element.remove(string)
    for string in reversed(strings):
        element.find('Times').addnext(string)
e.expiry_time = datetime.datetime(2030, 6, 30, 12, 0, tzinfo=datetime.timezone.utc)
e.expires = True
kp.save()
print(kp.kdf_algorithm, kp.version)
"#;

#[test]
fn a_kdbx_4_file_made_by_pykeepass_arrives_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("py.kdbx");
    let said = py(PYKEEPASS_WRITE, &[&file]);
    assert_eq!(said.trim(), "argon2id (4, 0)");
    let (source, entries, _) = open(&std::fs::read(&file).unwrap(), Some("派克密码"), None);
    assert_eq!(source, Source::Kdbx { version: "4.0".into() });
    let entry = by_title(&entries, "报销系统");
    let e = &entry.entry;
    assert_eq!((e.username.as_str(), e.password.expose()), ("wang.fang", "新密码"));
    assert_eq!(e.urls, ["https://bx.example.cn"]);
    assert_eq!(e.notes, "每月25日");
    assert_eq!(e.tags, ["月底", "财务/报销"]);
    assert_eq!(e.fields, [("部门编号".to_owned(), CustomField { value: "D-9".into(), hidden: true })]);
    assert_eq!(Totp::parse(e.totp.expose()).unwrap().code_at(59).text, "287082");
    assert_eq!(e.expires, Some("2030-06-30".parse().unwrap()));
    let old: Vec<(&str, &str)> = entry.history.iter().map(|h| (h.field.as_str(), h.value.expose())).collect();
    assert!(old.contains(&("password", "旧密码")), "{old:?}");
}

/// A vault with one entry holding everything KDBX has a place for, edited once.
fn our_vault() -> Vault {
    let clock = SystemClock;
    let author = Author { device: DeviceId(5), clock: &clock };
    let mut vault = Vault::new("销售部", author, "laptop");
    let new = NewEntry {
        title: "纷享销客".into(),
        username: "li.lei 🚀".into(),
        password: "旧密码".into(),
        urls: vec!["https://a.example.cn".into(), "https://b.example.cn".into(), "https://c.example.cn".into()],
        notes: "第一行\n第二行".into(),
        totp: format!("otpauth://totp/CRM:li.lei?secret={SECRET_BASE32}&issuer=CRM").into(),
        tags: vec!["Sales/国内CRM".into(), "重要".into()],
        fields: vec![
            ("PIN".into(), CustomField { value: "4321".into(), hidden: true }),
            ("工号".into(), CustomField { value: "A-17".into(), hidden: false }),
        ],
        expires: Some("2027-01-31".parse::<ExpiryDate>().unwrap()),
        autotype_sequence: Some("{USERNAME}{TAB}{PASSWORD}{ENTER}".into()),
        autotype_windows: vec!["*CRM*".into()],
        ..NewEntry::default()
    };
    let id = vault.add_entry(new, author);
    let edit = EntryEdit { password: Some("新密码 ✓".into()), ..EntryEdit::default() };
    vault.edit_entry(id, edit, author).unwrap();
    vault
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn keepassxc_opens_our_export_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.kdbx");
    let vault = our_vault();
    std::fs::write(&file, vault::export::kdbx::write(&vault, &SecretText::new("导出"), LIGHT).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    let show = |attribute: &str| -> String {
        let out = keepassxc(&["show", "-q", "-s", "-a", attribute, path, "纷享销客"], "导出\n");
        out.strip_suffix('\n').unwrap_or(&out).to_owned()
    };
    assert_eq!(show("Title"), "纷享销客");
    assert_eq!(show("UserName"), "li.lei 🚀");
    assert_eq!(show("Password"), "新密码 ✓");
    assert_eq!(show("URL"), "https://a.example.cn");
    assert_eq!(show("KP2A_URL"), "https://b.example.cn");
    assert_eq!(show("KP2A_URL_1"), "https://c.example.cn");
    assert_eq!(show("Notes"), "第一行\n第二行");
    assert_eq!(show("PIN"), "4321");
    assert_eq!(show("工号"), "A-17");
    assert!(show("otp").starts_with("otpauth://totp/"), "the otp attribute holds the link");

    let totp = Totp::parse(vault.live_entries().next().unwrap().totp.value.expose()).unwrap();
    // A code is valid for its 30 s period; if the period turned between the two readings, the
    // second try falls inside one.
    let mut matched = false;
    for _ in 0..2 {
        let before = now();
        // keepassxc-cli 2.7 has no `totp` command: `show -t` prints the current code.
        let code = keepassxc(&["show", "-q", "-t", path, "纷享销客"], "导出\n").trim().to_owned();
        let after = now();
        assert_eq!(code.len(), 6, "{code}");
        if totp.code_at(before).period_start == totp.code_at(after).period_start {
            assert_eq!(code, totp.code_at(before).text);
            matched = true;
            break;
        }
    }
    assert!(matched, "two tries both crossed a period boundary");

    let info = keepassxc(&["db-info", "-q", path], "导出\n");
    assert!(info.contains("Argon2id"), "{info}");
    let wrong = Command::new("keepassxc-cli").args(["ls", "-q", path]).stdin(Stdio::piped()).output().unwrap();
    assert!(!wrong.status.success(), "no password, no entry");
}

const PYKEEPASS_READ: &str = r#"
import sys, json
from pykeepass import PyKeePass
kp = PyKeePass(sys.argv[1], password='导出')
e = kp.find_entries(title='纷享销客', first=True)
print(json.dumps({
    'kdf': kp.kdbx.header.value.dynamic_header.kdf_parameters.data.dict['$UUID'].value.hex(), 'version': list(kp.version), 'group': kp.root_group.name,
    'username': e.username, 'password': e.password, 'url': e.url, 'notes': e.notes,
    'tags': e.tags, 'otp': e.otp, 'pin': e.get_custom_property('PIN'),
    'pin_protected': e._is_property_protected('PIN'), 'staff': e.get_custom_property('工号'),
    'kp2a': e.get_custom_property('KP2A_URL'), 'expires': e.expires, 'expiry': e.expiry_time.date().isoformat(),
    'history': [h.password for h in e.history],
}, ensure_ascii=False))
"#;

#[test]
fn pykeepass_reads_our_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.kdbx");
    let vault = our_vault();
    std::fs::write(&file, vault::export::kdbx::write(&vault, &SecretText::new("导出"), LIGHT).unwrap()).unwrap();
    let said: serde_json::Value = serde_json::from_str(&py(PYKEEPASS_READ, &[&file])).unwrap();
    let expected = serde_json::json!({
        "kdf": "9e298b1956db4773b23dfc3ec6f0a1e6", "version": [4, 1], "group": "销售部",
        "username": "li.lei 🚀", "password": "新密码 ✓", "url": "https://a.example.cn", "notes": "第一行\n第二行",
        "tags": ["Sales/国内CRM", "重要"],
        "otp": format!("otpauth://totp/CRM:li.lei?secret={SECRET_BASE32}&issuer=CRM"),
        "pin": "4321", "pin_protected": true, "staff": "A-17", "kp2a": "https://b.example.cn",
        "expires": true, "expiry": "2027-01-31", "history": ["旧密码"],
    });
    assert_eq!(said, expected);
}
