//! Which page may receive an entry's user name, password and one-time code.
//!
//! The rule, checked here before anything is sent to a page: fill only when the document's origin
//! (scheme, host and port) is exactly one of the entry's sites, that is the origin of one of its
//! URLs or an origin the user added to it ("also fill on", for a single sign-on page). A look-alike
//! on another host or port, a subdomain, or the same host over plain http instead of https gets
//! nothing. Only the top-level document is filled, or a frame of the same origin as it: a login
//! form framed by another site could be a clickjacking page. Plain `http` is filled only after the
//! user confirmed, for that origin, that the values may cross the network unencrypted; on the
//! loopback interface (a CRM running on this laptop) that warning would only be noise.
//!
//! The caller passes the address of the document *at the moment of filling*, as the page reports
//! it, never the address the window was opened on: a page that redirected to another origin is
//! then simply another origin, and is refused.
//!
//! Addresses are read by the `url` crate, which follows the WHATWG URL standard browsers use, so
//! an address means here what it means to the page: default ports are folded (`https://x:443` is
//! `https://x`), host names are lower-cased and internationalised names compared in their ASCII
//! (punycode) form, IPv4 addresses written oddly (`0x7f.1`) are the address they denote, and user
//! info is not part of the origin: `https://crm.example.com@evil.example/` is `evil.example`.
//! A trailing dot is kept: browsers treat `example.com.` as a host of its own for origins and
//! cookies (it is not the same site to them), so it does not match `example.com` here either.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::Url;

/// The two schemes whose pages can be filled. Everything else (`file:`, `data:`, `javascript:`,
/// `blob:`, `about:`, ...) has no origin a site can prove, and is never filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port an address without one means.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A host as the web compares it: a lower-case ASCII domain (punycode for international names,
/// with a trailing dot kept when written), or an IP address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    Domain(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl Host {
    /// This laptop itself: `localhost`, 127.0.0.0/8 or `::1`. Traffic to it never leaves the
    /// machine, so plain http there needs no warning. Deliberately narrow: `*.localhost`,
    /// `localhost.` and IPv4-mapped IPv6 addresses may be resolved or routed otherwise by the
    /// window's web engine, so they are treated as any other host.
    pub fn is_loopback(&self) -> bool {
        match self {
            Host::Domain(name) => name == "localhost",
            Host::Ipv4(address) => address.is_loopback(),
            Host::Ipv6(address) => address.is_loopback(),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(name) => f.write_str(name),
            Host::Ipv4(address) => write!(f, "{address}"),
            Host::Ipv6(address) => write!(f, "[{address}]"),
        }
    }
}

/// A web origin: scheme, host and port, with the port always explicit (defaults folded in).
/// Two pages may share filled values only when their origins are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    scheme: Scheme,
    host: Host,
    port: u16,
}

/// Why an address has no origin that could be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginError {
    /// Not a URL at all.
    Unparseable,
    /// A URL, but not an http or https one. `scheme` is `None` for the opaque origin `null`,
    /// which is what a sandboxed frame or a `data:` document reports as its origin.
    NotWeb { scheme: Option<String> },
}

impl Origin {
    /// The origin of a page's address, or of an origin as a page reports it
    /// (`location.origin`, e.g. `https://crm.example.com`). Nothing is guessed: the page always
    /// knows its full address.
    pub fn parse(address: &str) -> Result<Origin, OriginError> {
        if address.trim() == "null" {
            return Err(OriginError::NotWeb { scheme: None });
        }
        let url = Url::parse(address).map_err(|_| OriginError::Unparseable)?;
        Origin::of_url(&url)
    }

    /// The origin of a URL stored on an entry (or added to it as "also fill on"), or `None` when it
    /// names no web site. A full URL is read as it is. Without a scheme (`crm.example.com`,
    /// `crm.example.com:8443/login`, as salespeople type them) it is read as `https://`: assuming
    /// plain http would let a network attacker's downgraded page match. A colon followed by a
    /// digit is a port, not the end of a scheme, so `localhost:8080` is a host and port.
    pub fn of_entry_url(stored: &str) -> Option<Origin> {
        let stored = stored.trim();
        if stored.is_empty() {
            return None;
        }
        let url = if has_scheme(stored) { Url::parse(stored) } else { Url::parse(&format!("https://{stored}")) };
        Origin::of_url(&url.ok()?).ok()
    }

    fn of_url(url: &Url) -> Result<Origin, OriginError> {
        let scheme = match url.scheme() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            other => return Err(OriginError::NotWeb { scheme: Some(other.to_owned()) }),
        };
        // The parser has already lower-cased the name and turned an international one to punycode.
        let host = match url.host().ok_or(OriginError::Unparseable)? {
            url::Host::Domain(name) => Host::Domain(name.to_owned()),
            url::Host::Ipv4(address) => Host::Ipv4(address),
            url::Host::Ipv6(address) => Host::Ipv6(address),
        };
        let port = url.port().unwrap_or(scheme.default_port());
        Ok(Origin { scheme, host, port })
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The port, the scheme's default when the address had none.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether values sent to this origin cross the network unencrypted.
    pub fn is_plain_http_off_this_machine(&self) -> bool {
        self.scheme == Scheme::Http && !self.host.is_loopback()
    }
}

/// As the web writes an origin: `https://crm.example.com`, `http://127.0.0.1:8080`,
/// `http://[::1]:8080`; the port only when it is not the scheme's default.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        if self.port != self.scheme.default_port() { write!(f, ":{}", self.port) } else { Ok(()) }
    }
}

/// Whether `text` starts with `scheme:` rather than `host:port` (see [`Origin::of_entry_url`]).
fn has_scheme(text: &str) -> bool {
    let Some((before, after)) = text.split_once(':') else { return false };
    let mut chars = before.chars();
    let scheme_like = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_like && !after.starts_with(|c: char| c.is_ascii_digit())
}

/// Which document the values would go into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame<'a> {
    /// The window's own page.
    TopLevel,
    /// A frame inside it; `top_level` is the address (or origin) of the window's page.
    Iframe { top_level: &'a str },
}

/// Whether the user has accepted, for one origin, that plain http sends the values unencrypted.
/// The confirmation names the origin the warning named, so it does not carry over to another page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainHttp<'a> {
    NotConfirmed,
    ConfirmedFor(&'a Origin),
}

/// The page may be filled: its origin, and which of the entry's sites it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillOrigin {
    pub origin: Origin,
    pub matched: Matched,
}

/// How the page's origin belongs to the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// It is the origin of one of the entry's URLs.
    EntryUrl,
    /// The user added it to the entry ("also fill on").
    AlsoFillOn,
}

/// Why a page was not filled, in data for the window to put in words. The page's full address is
/// never kept (its query may carry tokens), only its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFilled {
    /// The page's address could not be read as a URL.
    Unparseable,
    /// The page is not an http or https page (`scheme` is `None` for an opaque origin).
    NotAWebPage { scheme: Option<String> },
    /// The form is in a frame whose origin differs from the window's page (`top_level` is `None`
    /// when that page has no web origin).
    CrossOriginFrame { frame: Origin, top_level: Option<Origin> },
    /// The entry has no URL naming a web site, so no page can be its site.
    EntryHasNoSite { page: Origin },
    /// The page is on another origin than all of the entry's sites (its URLs, then the ones added).
    OtherOrigin { page: Origin, entry_sites: Vec<Origin> },
    /// The page is the entry's site but uses plain http off this machine; fill again with
    /// [`PlainHttp::ConfirmedFor`] this origin once the user accepts.
    PlainHttpNeedsConfirmation { origin: Origin },
}

impl From<OriginError> for NotFilled {
    fn from(error: OriginError) -> NotFilled {
        match error {
            OriginError::Unparseable => NotFilled::Unparseable,
            OriginError::NotWeb { scheme } => NotFilled::NotAWebPage { scheme },
        }
    }
}

impl fmt::Display for NotFilled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotFilled::Unparseable => f.write_str("Not filled: the page's address could not be read"),
            NotFilled::NotAWebPage { scheme: Some(scheme) } => {
                write!(f, "Not filled: this is a {scheme}: page, not a web site")
            }
            NotFilled::NotAWebPage { scheme: None } => {
                f.write_str("Not filled: this page has no web site of its own (a sandboxed or local document)")
            }
            NotFilled::CrossOriginFrame { frame, top_level: Some(top_level) } => {
                write!(f, "Not filled: the form is in a frame from {frame} inside a page from {top_level}")
            }
            NotFilled::CrossOriginFrame { frame, top_level: None } => {
                write!(f, "Not filled: the form is in a frame from {frame} inside a page that is not a web site")
            }
            NotFilled::EntryHasNoSite { page } => {
                write!(f, "Not filled: this page is on {page}, and the entry has no web address to match it")
            }
            NotFilled::OtherOrigin { page, entry_sites } => {
                let noun = if entry_sites.len() == 1 { "site is" } else { "sites are" };
                write!(f, "Not filled: this page is on {page}, the entry's {noun} ")?;
                for (i, site) in entry_sites.iter().enumerate() {
                    let separator = match i {
                        0 => "",
                        i if i + 1 == entry_sites.len() => " and ",
                        _ => ", ",
                    };
                    write!(f, "{separator}{site}")?;
                }
                Ok(())
            }
            NotFilled::PlainHttpNeedsConfirmation { origin } => write!(
                f,
                "Not filled yet: {origin} uses plain http, so what is filled could be read on the network; \
                 confirm to fill anyway"
            ),
        }
    }
}

impl std::error::Error for NotFilled {}

/// Whether the document at `page` (its address or origin, as the page reports it at the moment of
/// filling) may receive the values of an entry with these URLs and "also fill on" sites.
///
/// Checked in this order, so the reason given is the first that applies: the page must be an
/// http(s) page; in a frame, of the same origin as the window's page; the same origin as one of
/// the entry's sites; and over https, on loopback, or confirmed for plain http.
pub fn may_fill(
    page: &str,
    frame: Frame<'_>,
    entry_urls: &[&str],
    also_fill_on: &[&str],
    plain_http: PlainHttp<'_>,
) -> Result<FillOrigin, NotFilled> {
    let page = Origin::parse(page)?;

    if let Frame::Iframe { top_level } = frame {
        let top_level = Origin::parse(top_level).ok();
        if top_level.as_ref() != Some(&page) {
            return Err(NotFilled::CrossOriginFrame { frame: page, top_level });
        }
    }

    let entry_sites = entry_urls.iter().filter_map(|url| Origin::of_entry_url(url)).map(|o| (o, Matched::EntryUrl));
    let added_sites = also_fill_on.iter().filter_map(|url| Origin::of_entry_url(url)).map(|o| (o, Matched::AlsoFillOn));
    let mut sites: Vec<(Origin, Matched)> = Vec::new();
    for (site, matched) in entry_sites.chain(added_sites) {
        if !sites.iter().any(|(known, _)| *known == site) {
            sites.push((site, matched));
        }
    }
    let Some(&(_, matched)) = sites.iter().find(|(site, _)| *site == page) else {
        if sites.is_empty() {
            return Err(NotFilled::EntryHasNoSite { page });
        }
        return Err(NotFilled::OtherOrigin { page, entry_sites: sites.into_iter().map(|(site, _)| site).collect() });
    };

    if page.is_plain_http_off_this_machine() && plain_http != PlainHttp::ConfirmedFor(&page) {
        return Err(NotFilled::PlainHttpNeedsConfirmation { origin: page });
    }
    Ok(FillOrigin { origin: page, matched })
}

#[cfg(test)]
mod tests;
