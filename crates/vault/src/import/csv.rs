//! CSV exports of Chrome/Edge, Firefox, Bitwarden, KeePassXC, 1Password, LastPass and any CSV
//! whose header names its columns in words we recognise.
//!
//! 1Password 8 writes `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`
//! (1Password 7 `Title,Website,Username,Password,Notes,...`); LastPass writes
//! `url,username,password,totp,extra,name,grouping,fav`, with "http://sn" as the URL of a secure
//! note and its folder path in `grouping` (nested folders joined by a backslash).

use std::io::Read;
use thiserror::Error;

use super::{Place, SkipReason, Skipped};
use crate::model::{CustomField, NewEntry};
use crate::secret::SecretText;

/// Which program's export the header looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    Chrome,
    Firefox,
    Bitwarden,
    KeePassXc,
    Generic,
    OnePassword,
    LastPass,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Chrome => "Chrome/Edge",
            Source::Firefox => "Firefox",
            Source::Bitwarden => "Bitwarden",
            Source::KeePassXc => "KeePassXC",
            Source::Generic => "generic",
            Source::OnePassword => "1Password",
            Source::LastPass => "LastPass",
        })
    }
}

/// The rows that became entries, and those that did not.
#[derive(Debug)]
pub struct CsvImport {
    pub source: Source,
    pub entries: Vec<NewEntry>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    /// The first line names no column we know. Only its number of columns is told: without a
    /// header row the first line is an entry, password included, and an error message ends up
    /// in terminals, logs and support tickets.
    #[error(
        "the first line does not name a password or username column (it has {columns} column{}): \
         the file needs a header row that names its columns",
        if *columns == 1 { "" } else { "s" }
    )]
    UnknownColumns { columns: usize },
    #[error(
        "line {line} opens a quote (\") that is not closed where the row ends, so the lines after it cannot be read as rows"
    )]
    UnclosedQuote { line: u64 },
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is not valid CSV: {0}")]
    Malformed(String),
}

/// Where each field is in a row.
#[derive(Debug, Default)]
struct Columns {
    title: Option<usize>,
    url: Option<usize>,
    username: Option<usize>,
    password: Option<usize>,
    notes: Option<usize>,
    totp: Option<usize>,
    group: Option<usize>,
    kind: Option<usize>,
    extra_fields: Option<usize>,
    /// Bitwarden writes all of a login's URIs into one cell, joined by commas.
    urls_joined: bool,
    /// 1Password's "Archived" column: archived rows are left out, as the trash is.
    archived: Option<usize>,
}

/// Header names we recognise, lower-cased, for each field.
const TITLE: &[&str] = &["title", "name", "account", "site", "entry", "标题", "名称"];
const URL: &[&str] = &["url", "login_uri", "uri", "website", "web site", "address", "网址"];
const USERNAME: &[&str] = &["username", "login_username", "user name", "user", "login", "email", "e-mail", "用户名"];
const PASSWORD: &[&str] = &["password", "login_password", "pass", "密码"];
const NOTES: &[&str] = &["note", "notes", "comments", "comment", "extra", "备注"];
const TOTP: &[&str] = &["totp", "login_totp", "otp", "otpauth", "one-time password"];
const GROUP: &[&str] = &["group", "folder", "tags", "grouping", "category"];

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| headers.iter().position(|h| h == name))
}

fn detect(headers: &[String]) -> (Source, Columns) {
    let has = |name: &str| headers.iter().any(|h| h == name);
    let columns = Columns {
        title: find(headers, TITLE),
        url: find(headers, URL),
        username: find(headers, USERNAME),
        password: find(headers, PASSWORD),
        notes: find(headers, NOTES),
        totp: find(headers, TOTP),
        group: find(headers, GROUP),
        kind: if has("login_uri") { find(headers, &["type"]) } else { None },
        extra_fields: if has("login_uri") { find(headers, &["fields"]) } else { None },
        urls_joined: has("login_uri"),
        archived: find(headers, &["archived"]),
    };
    let source = if has("login_uri") || has("login_username") {
        Source::Bitwarden
    } else if has("httprealm") || has("formactionorigin") {
        Source::Firefox
    } else if headers.len() >= 4 && headers[..4] == ["name", "url", "username", "password"] {
        Source::Chrome
    } else if has("group") && has("title") && has("last modified") {
        Source::KeePassXc
    } else if has("grouping") && has("extra") {
        Source::LastPass
    } else if has("otpauth") || (has("title") && has("website")) {
        Source::OnePassword
    } else {
        Source::Generic
    };
    (source, columns)
}

/// Reads a CSV export. `progress` is called now and then with the bytes read so far.
pub fn read(input: impl Read, mut progress: impl FnMut(u64)) -> Result<CsvImport, CsvError> {
    let mut reader = ::csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(input);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(CsvError::Empty),
        Some(Err(err)) => return Err(CsvError::Malformed(err.to_string())),
        Some(Ok(header)) => header,
    };
    let headers: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let (source, columns) = detect(&headers);
    if columns.password.is_none() && columns.username.is_none() {
        return Err(CsvError::UnknownColumns { columns: headers.len() });
    }
    let mut import = CsvImport { source, entries: Vec::new(), skipped: Vec::new() };
    for (n, record) in records.enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map(|p| p.line()).unwrap_or(0);
                let reason = SkipReason::Unreadable { detail: format!("not readable as CSV ({err})") };
                import.skipped.push(Skipped { place: Place::Line(line), reason });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(n as u64 + 2);
        // A stray quote swallows every later line into one field; importing the rows before it
        // and quietly dropping the rest would lose entries, so the whole file is refused.
        if record.len() != headers.len() && record.iter().any(|f| f.contains(&b'\n')) {
            return Err(CsvError::UnclosedQuote { line });
        }
        if n % 256 == 0 {
            progress(record.position().map(|p| p.byte()).unwrap_or(0));
        }
        match row_to_entry(&record, &headers, &columns, source) {
            Ok(Some((entry, bad_totp))) => {
                if bad_totp {
                    import.skipped.push(Skipped { place: Place::Line(line), reason: SkipReason::BadTotp });
                }
                import.entries.push(entry);
            }
            Ok(None) => {}
            Err(reason) => import.skipped.push(Skipped { place: Place::Line(line), reason }),
        }
    }
    Ok(import)
}

/// One row as an entry, with whether its TOTP could not be read (the entry is imported without
/// it); `Ok(None)` for a blank line or an archived item, `Err` with the reason to skip it.
fn row_to_entry(
    record: &::csv::ByteRecord,
    headers: &[String],
    columns: &Columns,
    source: Source,
) -> Result<Option<(NewEntry, bool)>, SkipReason> {
    // A line of spaces; the csv reader already drops empty lines.
    if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    if record.len() != headers.len() {
        let detail = format!("has {} columns where the header has {}", record.len(), headers.len());
        return Err(SkipReason::Unreadable { detail });
    }
    let mut text = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let value = std::str::from_utf8(field)
            .map_err(|_| SkipReason::Unreadable { detail: format!("column \"{}\" is not UTF-8 text", headers[i]) })?;
        text.push(value);
    }
    let get = |col: Option<usize>| col.map(|i| text[i].trim()).unwrap_or("");
    if let Some(kind) = columns.kind.map(|i| text[i].trim()).filter(|k| !k.is_empty() && *k != "login") {
        // Named only when it is one of Bitwarden's kinds: in a row whose columns are shifted, this
        // cell may hold a password, and the reason is printed.
        return Err(match kind {
            "note" | "card" | "identity" | "sshkey" => SkipReason::NotALogin { kind: kind.to_owned() },
            _ => SkipReason::NotALogin { kind: "kind of item the type column names".to_owned() },
        });
    }
    if get(columns.archived).eq_ignore_ascii_case("true") {
        return Ok(None);
    }
    let url = get(columns.url);
    if source == Source::LastPass && url == "http://sn" {
        return Err(SkipReason::NotALogin { kind: "secure note".to_owned() });
    }
    let username = get(columns.username);
    let password = columns.password.map(|i| text[i]).unwrap_or("");
    let title = match get(columns.title) {
        "" => host_of(url).unwrap_or(username),
        title => title,
    };
    if title.is_empty() && password.is_empty() {
        return Err(SkipReason::Empty);
    }
    let group = get(columns.group);
    let tags = match source {
        // Tags, separated by commas.
        Source::OnePassword => group.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        // The folder path as one tag ("Sales\\国内CRM" → "Sales/国内CRM").
        Source::LastPass => folder_path(group).into_iter().collect(),
        // A folder or group path ("Root/Sales/国内CRM") as one tag, as a KeePass file's groups
        // arrive; commas separate several.
        _ => group.split(',').filter_map(folder_path).collect(),
    };
    let mut totp = SecretText::new(get(columns.totp));
    let mut bad_totp = false;
    // These two write a bare key or a link; entries hold a link.
    if matches!(source, Source::OnePassword | Source::LastPass) && !totp.is_empty() {
        match super::item::totp_uri(totp.expose(), title, username) {
            Some(uri) => totp = uri,
            None => {
                totp = SecretText::default();
                bad_totp = true;
            }
        }
    }
    let entry = NewEntry {
        title: title.to_owned(),
        username: username.to_owned(),
        password: SecretText::new(password),
        urls: match url {
            "" => vec![],
            joined if columns.urls_joined => {
                joined.split(',').map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned).collect()
            }
            url => vec![url.to_owned()],
        },
        notes: get(columns.notes).to_owned(),
        totp,
        tags,
        fields: columns.extra_fields.map(|i| bitwarden_fields(text[i])).unwrap_or_default(),
        ..NewEntry::default()
    };
    Ok(Some((entry, bad_totp)))
}

/// The host of a URL, as a title for exports that have none (Firefox).
/// "Root/Sales/国内CRM" or "Sales\\国内CRM" as the tag "Sales/国内CRM": KeePassXC names its
/// root group in every path.
fn folder_path(text: &str) -> Option<String> {
    let mut parts: Vec<&str> = text.split(['/', '\\']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.first().is_some_and(|p| p.eq_ignore_ascii_case("root")) {
        parts.remove(0);
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Bitwarden writes custom fields as `name: value` lines. Their hidden flag is not exported, so
/// all are imported hidden: showing a secret by mistake is worse than one extra click.
fn bitwarden_fields(text: &str) -> Vec<(String, CustomField)> {
    text.lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.trim().to_owned(), CustomField { value: SecretText::new(value), hidden: true }))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> CsvImport {
        read(text.as_bytes(), |_| {}).unwrap()
    }

    #[test]
    fn chrome_export() {
        let csv = "name,url,username,password,note\nSalesforce,https://login.salesforce.com/,li@example.com,\"p,w\"\"1\",first\n";
        let out = import(csv);
        assert_eq!(out.source, Source::Chrome);
        let e = &out.entries[0];
        assert_eq!(
            (e.title.as_str(), e.username.as_str(), e.password.expose(), e.notes.as_str()),
            ("Salesforce", "li@example.com", "p,w\"1", "first")
        );
        assert_eq!(e.urls, ["https://login.salesforce.com/"]);
    }

    #[test]
    fn firefox_export_takes_the_title_from_the_host() {
        let csv = "\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\"\n\"https://user@crm.example.com:8443/login\",\"li\",\"pw\",,\"https://crm.example.com\",\"{1}\",\"1\",\"1\",\"1\"\n";
        let out = import(csv);
        assert_eq!(out.source, Source::Firefox);
        assert_eq!(out.entries[0].title, "crm.example.com");
    }

    #[test]
    fn bitwarden_export_skips_non_logins_and_keeps_fields_and_folders() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Work,,login,ERP,,\"employee id: E1\nPIN: 1234\",0,https://erp.example.com,li,pw,otpauth://totp/x?secret=JBSWY3DP\n\
,,note,My note,text,,0,,,,\n";
        let out = import(csv);
        assert_eq!(out.source, Source::Bitwarden);
        assert_eq!(out.entries.len(), 1);
        let e = &out.entries[0];
        assert_eq!(e.tags, ["Work"]);
        assert_eq!(e.fields.len(), 2);
        assert_eq!(e.totp.expose(), "otpauth://totp/x?secret=JBSWY3DP");
        assert_eq!(
            out.skipped,
            [Skipped { place: Place::Line(4), reason: SkipReason::NotALogin { kind: "note".into() } }]
        );
    }

    #[test]
    fn bitwarden_login_uris_joined_by_commas_are_several_urls() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
,,login,ERP,,,0,\"https://erp.example.com,https://sso.example.com\",li,pw,\n";
        assert_eq!(import(csv).entries[0].urls, ["https://erp.example.com", "https://sso.example.com"]);
    }

    #[test]
    fn generic_header_in_another_order_with_a_bom_and_chinese() {
        let csv = "\u{feff}密码,用户名,标题,网址\n秘密123,李伟,纷享销客,https://www.fxiaoke.com\n";
        let out = import(csv);
        assert_eq!(out.source, Source::Generic);
        let e = &out.entries[0];
        assert_eq!((e.title.as_str(), e.username.as_str(), e.password.expose()), ("纷享销客", "李伟", "秘密123"));
    }

    #[test]
    fn bad_rows_are_skipped_with_their_line_and_reason() {
        let csv = "name,url,username,password,note\nA,,u,p,\nB,only-three,cols\n\n,,,,\nC,,u2,p2,\n";
        let out = import(csv);
        assert_eq!(out.entries.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["A", "C"]);
        assert_eq!(out.skipped.len(), 2, "{:?}", out.skipped);
        assert_eq!(out.skipped[0].place, Place::Line(3));
        assert!(out.skipped[0].reason.to_string().contains("3 columns"), "{}", out.skipped[0].reason);
        assert!(out.skipped[1].reason.to_string().contains("no title"), "{}", out.skipped[1].reason);
    }

    #[test]
    fn an_unclosed_quote_refuses_the_file_instead_of_dropping_rows() {
        let csv = "name,url,username,password,note\nA,,u,p,\n\"B,,u,p,\nC,,u,p,\nD,,u,p,\n";
        assert!(matches!(read(csv.as_bytes(), |_| {}), Err(CsvError::UnclosedQuote { line: 3 })));
        // A quoted field with a newline in a well-formed row is fine.
        let ok = "name,url,username,password,note\nA,,u,p,\"two\nlines\"\n";
        assert_eq!(read(ok.as_bytes(), |_| {}).unwrap().entries[0].notes, "two\nlines");
    }

    #[test]
    fn files_without_usable_columns_are_refused() {
        assert!(matches!(read("".as_bytes(), |_| {}), Err(CsvError::Empty)));
        assert!(matches!(read("a,b,c\n1,2,3\n".as_bytes(), |_| {}), Err(CsvError::UnknownColumns { columns: 3 })));
    }

    /// An export saved without its header row: the first line is an entry. The error names the
    /// number of columns and nothing of the line, so the password does not end up on screen or in
    /// a log.
    #[test]
    fn a_file_without_a_header_row_is_refused_without_echoing_its_first_row() {
        let csv = "CRM,https://crm.example.com,li.wei,Kx9-secret-Pw\nMail,https://mail.example.com,li.wei,Other-9\n";
        let err = read(csv.as_bytes(), |_| {}).unwrap_err();
        assert!(matches!(err, CsvError::UnknownColumns { columns: 4 }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("4 columns"), "{message}");
        for part in ["Kx9-secret-Pw", "li.wei", "crm.example.com", "CRM"] {
            assert!(!message.contains(part), "{message}");
        }
    }

    /// A Bitwarden row whose cells are shifted so that its type column holds the password: it is
    /// skipped, and the reason does not quote that cell.
    #[test]
    fn a_skipped_row_reason_does_not_quote_an_unknown_type() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                   ,,Kx9-secret-Pw,CRM,,,,https://crm.example.com,li.wei,,\n\
                   ,,note,Memo,text,,,,,,\n";
        let out = read(csv.as_bytes(), |_| {}).unwrap();
        assert_eq!(out.skipped.len(), 2, "{:?}", out.skipped);
        assert!(!out.skipped[0].reason.to_string().contains("Kx9"), "{}", out.skipped[0].reason);
        assert_eq!(out.skipped[1].reason.to_string(), "is a note, not a login");
    }

    #[test]
    fn onepassword_8_export_with_tags_totp_and_an_archived_row() {
        let csv = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
                   纷享销客,https://www.fxiaoke.com,李伟,pw1,JBSWY3DPEHPK3PXP,true,false,\"销售,国内\",备注\n\
                   Old,https://old.example.com,u,pw2,,false,true,,\n\
                   Bad code,,u3,pw3,not-a-key!,false,false,,\n";
        let out = import(csv);
        assert_eq!(out.source, Source::OnePassword);
        assert_eq!(out.entries.len(), 2, "the archived row is left out");
        let e = &out.entries[0];
        assert_eq!(e.tags, ["销售", "国内"]);
        assert_eq!(e.notes, "备注");
        assert!(e.totp.expose().starts_with("otpauth://totp/"), "{:?}", e.totp.expose());
        assert!(out.entries[1].totp.is_empty());
        assert_eq!(out.skipped, [Skipped { place: Place::Line(4), reason: SkipReason::BadTotp }]);
    }

    #[test]
    fn lastpass_export_skips_secure_notes_and_keeps_the_folder_path() {
        let csv = "url,username,password,totp,extra,name,grouping,fav\n\
                   https://crm.example.com,li,pw,,note text,CRM,Sales\\国内CRM,0\n\
                   http://sn,,,,NoteType:Server,My note,,0\n";
        let out = import(csv);
        assert_eq!(out.source, Source::LastPass);
        assert_eq!(out.entries[0].tags, ["Sales/国内CRM"]);
        assert_eq!(out.entries[0].notes, "note text");
        assert_eq!(
            out.skipped,
            [Skipped { place: Place::Line(3), reason: SkipReason::NotALogin { kind: "secure note".into() } }]
        );
    }

    #[test]
    fn invalid_utf8_is_skipped_not_mangled() {
        let mut csv = b"name,url,username,password,note\nA,,u,".to_vec();
        csv.extend_from_slice(&[0xff, 0xfe]);
        csv.extend_from_slice(b",\n");
        let out = read(csv.as_slice(), |_| {}).unwrap();
        assert!(out.entries.is_empty());
        assert!(out.skipped[0].reason.to_string().contains("UTF-8"));
    }
}
