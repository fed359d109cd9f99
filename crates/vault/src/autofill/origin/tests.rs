use super::*;
use proptest::prelude::*;

fn origin(address: &str) -> Origin {
    Origin::parse(address).expect("a web origin")
}

/// Fill the top-level page for an entry with these URLs and nothing added, unconfirmed.
fn fill(page: &str, entry_urls: &[&str]) -> Result<FillOrigin, NotFilled> {
    may_fill(page, Frame::TopLevel, entry_urls, &[], PlainHttp::NotConfirmed)
}

fn refused_as_other_origin(page: &str, entry_url: &str) {
    match fill(page, &[entry_url]) {
        Err(NotFilled::OtherOrigin { page: reported, entry_sites }) => {
            assert_eq!(reported, origin(page));
            assert_eq!(entry_sites, vec![Origin::of_entry_url(entry_url).unwrap()]);
        }
        other => panic!("{page} for an entry on {entry_url}: expected another origin, got {other:?}"),
    }
}

#[test]
fn same_origin_fills() {
    let filled = fill("https://crm.example.com/login?next=%2Fdeals", &["https://crm.example.com/"]).unwrap();
    assert_eq!(filled, FillOrigin { origin: origin("https://crm.example.com"), matched: Matched::EntryUrl });
}

#[test]
fn look_alike_on_another_port_is_refused_and_says_why() {
    let error = fill("http://127.0.0.1:8081/login", &["http://127.0.0.1:8080"]).unwrap_err();
    assert_eq!(
        error,
        NotFilled::OtherOrigin {
            page: origin("http://127.0.0.1:8081"),
            entry_sites: vec![origin("http://127.0.0.1:8080/")],
        }
    );
    assert_eq!(
        error.to_string(),
        "Not filled: this page is on http://127.0.0.1:8081, the entry's site is http://127.0.0.1:8080"
    );
    refused_as_other_origin("https://crm.example.com:8443/", "https://crm.example.com");
}

#[test]
fn other_host_is_refused() {
    refused_as_other_origin("https://crm.example.co/login", "https://crm.example.com/login");
    refused_as_other_origin("https://crm-example.com/", "https://crm.example.com/");
    refused_as_other_origin("https://example.com/", "https://crm.example.com/");
}

#[test]
fn subdomain_is_refused_unless_added_with_also_fill_on() {
    refused_as_other_origin("https://login.crm.example.com/", "https://crm.example.com");
    let entry = ["https://crm.example.com"];
    let filled = may_fill(
        "https://login.crm.example.com/sso",
        Frame::TopLevel,
        &entry,
        &["login.crm.example.com"],
        PlainHttp::NotConfirmed,
    )
    .unwrap();
    assert_eq!(filled.origin, origin("https://login.crm.example.com"));
    assert_eq!(filled.matched, Matched::AlsoFillOn);
    // The added site lists among the entry's sites when a third page is refused.
    let error =
        may_fill("https://evil.example/", Frame::TopLevel, &entry, &["login.crm.example.com"], PlainHttp::NotConfirmed)
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Not filled: this page is on https://evil.example, \
         the entry's sites are https://crm.example.com and https://login.crm.example.com"
    );
}

#[test]
fn downgrade_from_https_to_http_is_refused() {
    refused_as_other_origin("http://crm.example.com/login", "https://crm.example.com/login");
    // Not even after the user accepted plain http for that page: the entry's site is https.
    let page = origin("http://crm.example.com");
    let error = may_fill(
        "http://crm.example.com/",
        Frame::TopLevel,
        &["https://crm.example.com"],
        &[],
        PlainHttp::ConfirmedFor(&page),
    );
    assert!(matches!(error, Err(NotFilled::OtherOrigin { .. })), "{error:?}");
}

#[test]
fn default_ports_are_the_same_origin() {
    assert!(fill("https://crm.example.com:443/login", &["https://crm.example.com"]).is_ok());
    assert!(fill("https://crm.example.com/", &["https://crm.example.com:443/"]).is_ok());
    assert!(fill("http://localhost:80/", &["http://localhost"]).is_ok());
    assert_eq!(origin("https://crm.example.com:443").to_string(), "https://crm.example.com");
    assert_eq!(origin("https://crm.example.com:443").port(), 443);
    // 443 is only https's default: over http it is a port like any other.
    refused_as_other_origin("http://localhost:443/", "http://localhost");
}

#[test]
fn international_name_equals_its_punycode() {
    assert!(fill("https://xn--bcher-kva.example/login", &["https://bücher.example"]).is_ok());
    assert!(fill("https://bücher.example/login", &["xn--bcher-kva.example"]).is_ok());
    assert!(fill("https://BÜCHER.example/", &["https://bücher.example"]).is_ok());
    assert_eq!(origin("https://bücher.example/").to_string(), "https://xn--bcher-kva.example");
}

#[test]
fn host_and_scheme_case_do_not_matter() {
    assert!(fill("HTTPS://CRM.Example.COM/Login", &["https://crm.example.com"]).is_ok());
    assert!(fill("https://crm.example.com", &["Crm.Example.Com/login"]).is_ok());
}

#[test]
fn trailing_dot_is_another_host() {
    refused_as_other_origin("https://crm.example.com./login", "https://crm.example.com");
    refused_as_other_origin("https://crm.example.com/login", "https://crm.example.com.");
    assert_eq!(origin("https://crm.example.com./").to_string(), "https://crm.example.com.");
    assert!(fill("https://crm.example.com./", &["https://crm.example.com."]).is_ok());
}

#[test]
fn user_info_is_not_part_of_the_origin() {
    assert!(fill("https://someone:secret@crm.example.com/login", &["https://crm.example.com"]).is_ok());
    assert_eq!(origin("https://user:pw@crm.example.com/").to_string(), "https://crm.example.com");
    // The `@` trick: what stands before `@` is a user name, the site is the host after it.
    assert_eq!(origin("https://crm.example.com@evil.example/").to_string(), "https://evil.example");
    refused_as_other_origin("https://crm.example.com@evil.example/login", "https://crm.example.com");
    refused_as_other_origin("https://crm.example.com:443@evil.example/", "https://crm.example.com");
}

#[test]
fn ipv6_literals_with_and_without_port() {
    assert!(fill("https://[2001:db8::1]/login", &["https://[2001:db8::1]:443"]).is_ok());
    assert!(fill("https://[2001:db8:0:0:0:0:0:1]:8443/", &["[2001:db8::1]:8443"]).is_ok());
    refused_as_other_origin("https://[2001:db8::1]:8443/", "https://[2001:db8::1]");
    refused_as_other_origin("https://[2001:db8::2]/", "https://[2001:db8::1]");
    assert_eq!(origin("http://[::1]:8080/x").to_string(), "http://[::1]:8080");
    assert_eq!(origin("https://[2001:DB8::1]").to_string(), "https://[2001:db8::1]");
}

#[test]
fn ipv4_literals_are_the_address_they_denote() {
    assert!(fill("http://127.0.0.1:8080/", &["http://127.0.0.1:8080"]).is_ok());
    // Browsers read `0x7f.1` as 127.0.0.1; so do we, rather than call it another host.
    assert_eq!(origin("http://0x7f.1:8080/").host(), &Host::Ipv4(Ipv4Addr::LOCALHOST));
    refused_as_other_origin("http://127.0.0.2:8080/", "http://127.0.0.1:8080");
}

#[test]
fn loopback_http_fills_without_a_warning() {
    assert!(fill("http://localhost:3000/login", &["http://localhost:3000"]).is_ok());
    assert!(fill("http://127.0.0.1:8080/", &["http://127.0.0.1:8080"]).is_ok());
    assert!(fill("http://127.8.9.10/", &["http://127.8.9.10"]).is_ok());
    assert!(fill("http://[::1]:8080/", &["http://[::1]:8080"]).is_ok());
}

#[test]
fn public_http_needs_the_users_confirmation_for_that_origin() {
    let entry = ["http://crm.intranet.example"];
    let error = fill("http://crm.intranet.example/login", &entry).unwrap_err();
    let warned = origin("http://crm.intranet.example");
    assert_eq!(error, NotFilled::PlainHttpNeedsConfirmation { origin: warned.clone() });
    assert!(error.to_string().contains("http://crm.intranet.example uses plain http"), "{error}");

    let confirmed =
        may_fill("http://crm.intranet.example/login", Frame::TopLevel, &entry, &[], PlainHttp::ConfirmedFor(&warned));
    assert_eq!(confirmed.unwrap().origin, warned);

    // A confirmation given for one origin is not one for another.
    let other = origin("http://other.example");
    let elsewhere =
        may_fill("http://crm.intranet.example/", Frame::TopLevel, &entry, &[], PlainHttp::ConfirmedFor(&other));
    assert_eq!(elsewhere, Err(NotFilled::PlainHttpNeedsConfirmation { origin: warned }));

    // Names that only look like this laptop are hosts on the network like any other.
    for page in ["http://localhost.evil.example/", "http://localhost./", "http://[::ffff:127.0.0.1]/"] {
        let result = fill(page, &[page]);
        assert_eq!(result, Err(NotFilled::PlainHttpNeedsConfirmation { origin: origin(page) }), "{page}");
    }
}

#[test]
fn cross_origin_iframe_is_refused() {
    let entry = ["https://crm.example.com"];
    let framed = Frame::Iframe { top_level: "https://evil.example/landing" };
    let error = may_fill("https://crm.example.com/login", framed, &entry, &[], PlainHttp::NotConfirmed).unwrap_err();
    assert_eq!(
        error,
        NotFilled::CrossOriginFrame {
            frame: origin("https://crm.example.com"),
            top_level: Some(origin("https://evil.example"))
        }
    );
    assert_eq!(
        error.to_string(),
        "Not filled: the form is in a frame from https://crm.example.com inside a page from https://evil.example"
    );
    // A top-level page with no web origin (sandboxed, data:) is not the frame's origin either.
    let in_data = Frame::Iframe { top_level: "null" };
    let error = may_fill("https://crm.example.com/login", in_data, &entry, &[], PlainHttp::NotConfirmed).unwrap_err();
    assert_eq!(error, NotFilled::CrossOriginFrame { frame: origin("https://crm.example.com"), top_level: None });
}

#[test]
fn same_origin_iframe_fills() {
    let framed = Frame::Iframe { top_level: "https://crm.example.com/app#/home" };
    let filled = may_fill(
        "https://crm.example.com/login-frame",
        framed,
        &["https://crm.example.com"],
        &[],
        PlainHttp::NotConfirmed,
    );
    assert_eq!(filled.unwrap().origin, origin("https://crm.example.com"));
}

#[test]
fn pages_that_are_not_web_pages_are_refused() {
    let entry = ["https://crm.example.com"];
    for (page, scheme) in [
        ("javascript:alert(document.cookie)", "javascript"),
        ("data:text/html,<form><input type=password></form>", "data"),
        ("file:///home/sam/login.html", "file"),
        ("blob:https://crm.example.com/2f1c9b7e-1d3a-4c2b-9b0e-6f1e0e7f2d11", "blob"),
        ("about:blank", "about"),
        ("ftp://crm.example.com/", "ftp"),
    ] {
        assert_eq!(fill(page, &entry), Err(NotFilled::NotAWebPage { scheme: Some(scheme.to_owned()) }), "{page}");
    }
    assert_eq!(fill("null", &entry), Err(NotFilled::NotAWebPage { scheme: None }));
    assert_eq!(
        fill("javascript:void(0)", &entry).unwrap_err().to_string(),
        "Not filled: this is a javascript: page, not a web site"
    );
}

#[test]
fn entry_urls_that_are_not_web_sites_match_nothing() {
    for stored in ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "blob:https://crm.example.com/x"] {
        assert_eq!(Origin::of_entry_url(stored), None, "{stored}");
    }
    assert_eq!(
        fill("https://crm.example.com/", &["javascript:alert(1)", "", "  "]),
        Err(NotFilled::EntryHasNoSite { page: origin("https://crm.example.com") })
    );
}

#[test]
fn garbage_is_refused() {
    let entry = ["https://crm.example.com"];
    for page in [
        "",
        "   ",
        "not a url",
        "https://",
        "https://exa mple.com/",
        "http://[::1/",
        "https://crm.example.com:99999/",
        "//crm.example.com",
    ] {
        assert_eq!(fill(page, &entry), Err(NotFilled::Unparseable), "{page:?}");
    }
    for stored in ["CRM login", "???", "https://", "see notes"] {
        assert_eq!(Origin::of_entry_url(stored), None, "{stored:?}");
    }
}

#[test]
fn bare_host_on_an_entry_matches_https_only() {
    assert_eq!(Origin::of_entry_url("crm.example.com"), Some(origin("https://crm.example.com")));
    assert_eq!(Origin::of_entry_url(" crm.example.com:8443/login "), Some(origin("https://crm.example.com:8443")));
    assert_eq!(Origin::of_entry_url("localhost:8080"), Some(origin("https://localhost:8080")));
    assert_eq!(Origin::of_entry_url("[::1]:8080"), Some(origin("https://[::1]:8080")));
    assert!(fill("https://crm.example.com/login", &["crm.example.com"]).is_ok());
    refused_as_other_origin("http://crm.example.com/login", "crm.example.com");
}

// Model: what the origin of a generated address must be, computed without the URL parser.

/// Host spellings and the host each one is, as the web compares them.
const HOSTS: &[(&str, &str)] = &[
    ("crm.example.com", "crm.example.com"),
    ("CRM.Example.com", "crm.example.com"),
    ("crm.example.com.", "crm.example.com."),
    ("login.crm.example.com", "login.crm.example.com"),
    ("crm.example.co", "crm.example.co"),
    ("bücher.example", "xn--bcher-kva.example"),
    ("BÜCHER.example", "xn--bcher-kva.example"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ("localhost", "localhost"),
    ("LocalHost", "localhost"),
    ("127.0.0.1", "127.0.0.1"),
    ("127.0.0.2", "127.0.0.2"),
    ("192.0.2.7", "192.0.2.7"),
    ("[::1]", "[::1]"),
    ("[0:0:0:0:0:0:0:1]", "[::1]"),
    ("[2001:db8::1]", "[2001:db8::1]"),
    ("[2001:DB8:0::1]", "[2001:db8::1]"),
];

const SCHEMES: &[&str] = &["http", "https", "HTTPS", "Http", "ftp", "ws"];

#[derive(Debug, Clone)]
struct Address {
    scheme: &'static str,
    host: usize,
    port: Option<u16>,
    path: &'static str,
}

impl Address {
    fn text(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{}{port}{}", self.scheme, HOSTS[self.host].0, self.path)
    }

    /// The expected (scheme, host, port), or `None` when the scheme is not fillable.
    fn model(&self) -> Option<(String, &'static str, u16)> {
        let scheme = self.scheme.to_ascii_lowercase();
        let default = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        Some((scheme, HOSTS[self.host].1, self.port.unwrap_or(default)))
    }
}

fn address() -> impl Strategy<Value = Address> {
    let port = prop_oneof![
        Just(None),
        Just(Some(80)),
        Just(Some(443)),
        Just(Some(8080)),
        Just(Some(8081)),
        any::<u16>().prop_map(Some)
    ];
    let path = prop::sample::select(vec!["", "/", "/login", "/login?next=/deals#top"]);
    (prop::sample::select(SCHEMES), 0..HOSTS.len(), port, path).prop_map(|(scheme, host, port, path)| Address {
        scheme,
        host,
        port,
        path,
    })
}

proptest! {
    #[test]
    fn fills_exactly_when_the_normalised_origins_are_equal(page in address(), entry in address()) {
        let result = fill(&page.text(), &[&entry.text()]);
        match (page.model(), entry.model()) {
            (None, _) => prop_assert!(matches!(result, Err(NotFilled::NotAWebPage { .. })), "{result:?}"),
            (Some(_), None) => prop_assert!(matches!(result, Err(NotFilled::EntryHasNoSite { .. })), "{result:?}"),
            (Some(p), Some(e)) if p != e => prop_assert!(matches!(result, Err(NotFilled::OtherOrigin { .. })), "{result:?}"),
            (Some((scheme, host, _)), Some(_)) => {
                let loopback = matches!(host, "localhost" | "[::1]") || host.starts_with("127.");
                if scheme == "http" && !loopback {
                    prop_assert!(matches!(result, Err(NotFilled::PlainHttpNeedsConfirmation { .. })), "{result:?}");
                } else {
                    prop_assert!(result.is_ok(), "{result:?}");
                }
            }
        }
        if let Some((scheme, host, port)) = page.model() {
            let default = if scheme == "http" { 80 } else { 443 };
            let expected = if port == default { format!("{scheme}://{host}") } else { format!("{scheme}://{host}:{port}") };
            prop_assert_eq!(origin(&page.text()).to_string(), expected);
        }
    }

    #[test]
    fn reading_any_text_never_panics(text in any::<String>(), urlish in "[a-zA-Z:/\\[\\]@.%0-9ü-]{0,40}") {
        for input in [&text, &urlish] {
            let _ = Origin::parse(input);
            let _ = Origin::of_entry_url(input);
            let _ = may_fill(input, Frame::Iframe { top_level: input }, &[input], &[input], PlainHttp::NotConfirmed);
        }
    }
}
