//! What a finding says: structured data the app translates, and an English sentence for the CLI.
//! Nothing here holds a password or any piece of one.

use serde::Serialize;
use std::fmt;

use crate::model::{EntryId, ExpiryDate};

/// What is wrong with a password. Listed in this order for one entry: most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// Seen in a data breach (Have I Been Pwned's Pwned Passwords file).
    Breached,
    /// On the list of the most common passwords.
    Common,
    /// zxcvbn scores it below 3 of 4.
    Weak,
    /// The same password is on another live entry.
    Reused,
    /// A counter or a few digits changed from one of the entry's earlier passwords.
    Incremental,
    /// Contains the username, the owner's name or the company's name.
    Personal,
    /// The entry's own expiry date has passed.
    Expired,
    /// Unchanged for longer than the vault's rotation period.
    Old,
    /// Handed over to a colleague, whose time with it is over (or a company hand-over), and not
    /// changed since: they still know it.
    #[serde(rename = "handed-over")]
    HandedOver,
    /// Shorter than the company policy allows, or without a kind of character it requires.
    Policy,
    /// Tagged as needing a one-time code by the company policy, with no TOTP set up.
    #[serde(rename = "no-2fa")]
    No2fa,
    /// The entry's own expiry date is within the vault's warning period: change it before then.
    Expiring,
}

impl FindingKind {
    pub const ALL: [FindingKind; 12] = [
        FindingKind::Breached,
        FindingKind::Common,
        FindingKind::Weak,
        FindingKind::Reused,
        FindingKind::Incremental,
        FindingKind::Personal,
        FindingKind::Expired,
        FindingKind::Old,
        FindingKind::HandedOver,
        FindingKind::Policy,
        FindingKind::No2fa,
        FindingKind::Expiring,
    ];

    /// The name scripts see: `weak`, `reused`...
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Breached => "breached",
            FindingKind::Common => "common",
            FindingKind::Weak => "weak",
            FindingKind::Reused => "reused",
            FindingKind::Incremental => "incremental",
            FindingKind::Personal => "personal",
            FindingKind::Expired => "expired",
            FindingKind::Old => "old",
            FindingKind::HandedOver => "handed-over",
            FindingKind::Policy => "policy",
            FindingKind::No2fa => "no-2fa",
            FindingKind::Expiring => "expiring",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another entry a finding names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    pub id: EntryId,
    pub title: String,
}

/// Whose words a personal password is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalPart {
    Username,
    OwnerName,
    Company,
}

/// The facts behind a finding, one variant per [`FindingKind`]. Serialised as the variant's fields
/// only (the kind travels beside it), in snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Detail {
    Breached {
        /// How many times the password appears in the breach corpus.
        seen: u64,
    },
    Common {
        /// 1 is the most common password of all.
        rank: usize,
        /// A common password with look-alike substitutions (`P@ssw0rd`).
        l33t: bool,
        /// A common password written backwards.
        reversed: bool,
    },
    Weak {
        /// zxcvbn's score, 0 to 2 here.
        score: u8,
        /// Kebab-case codes, as in [`crate::strength::Strength`].
        warning: Option<String>,
        suggestions: Vec<String>,
    },
    Reused {
        /// The other live entries with the same password, in title order.
        others: Vec<EntryRef>,
    },
    Incremental {
        /// When the earlier password was set (milliseconds since the epoch).
        previous_set_ms: u64,
        /// The password is exactly an earlier one, brought back.
        identical: bool,
    },
    Personal {
        part: PersonalPart,
        /// The name or username (lower-cased) found in the password: the user's own data, not
        /// their password.
        word: String,
    },
    Expired {
        date: ExpiryDate,
        days_ago: i64,
    },
    Old {
        /// Days since the password last changed.
        days: u64,
        rotation_days: u32,
        changed_ms: u64,
    },
    HandedOver {
        /// Whom it was handed over to, as the giver wrote it (may be empty).
        to: String,
        /// When the hand-over was made, and when it expired (`None`: it had no expiry).
        made_ms: u64,
        expires_ms: Option<u64>,
    },
    Policy {
        /// The policy's minimum length, when the password is shorter: never the password's own
        /// length, which would tell an onlooker something about it.
        too_short: Option<u16>,
        /// The kinds of character the policy requires that the password lacks.
        missing: Vec<crate::company::Kind>,
    },
    No2fa {
        /// The entry's tag that the policy says needs a one-time code.
        tag: String,
    },
    Expiring {
        date: ExpiryDate,
        /// 0: it expires at the end of today.
        days_left: i64,
    },
}

impl Detail {
    pub fn kind(&self) -> FindingKind {
        match self {
            Detail::Breached { .. } => FindingKind::Breached,
            Detail::Common { .. } => FindingKind::Common,
            Detail::Weak { .. } => FindingKind::Weak,
            Detail::Reused { .. } => FindingKind::Reused,
            Detail::Incremental { .. } => FindingKind::Incremental,
            Detail::Personal { .. } => FindingKind::Personal,
            Detail::Expired { .. } => FindingKind::Expired,
            Detail::Old { .. } => FindingKind::Old,
            Detail::HandedOver { .. } => FindingKind::HandedOver,
            Detail::Policy { .. } => FindingKind::Policy,
            Detail::No2fa { .. } => FindingKind::No2fa,
            Detail::Expiring { .. } => FindingKind::Expiring,
        }
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Breached { seen } => {
                let times = if *seen == 1 { "once".to_owned() } else { format!("{} times", grouped(*seen)) };
                write!(f, "found in data breaches ({times}): attackers try it first")
            }
            Detail::Common { rank, l33t, reversed } => {
                let how = match (l33t, reversed) {
                    (true, _) => " with look-alike characters swapped in",
                    (false, true) => " written backwards",
                    (false, false) => "",
                };
                write!(f, "one of the most common passwords{how} (number {} on the list)", grouped(*rank as u64))
            }
            Detail::Weak { score, warning, .. } => {
                write!(f, "easy to guess (strength {score} of 4")?;
                if let Some(code) = warning {
                    write!(f, ": {}", code.replace('-', " "))?;
                }
                f.write_str(")")
            }
            Detail::Reused { others } => {
                let titles: Vec<&str> = others.iter().map(|o| o.title.as_str()).collect();
                write!(f, "same password as {}", titles.join(", "))
            }
            Detail::Incremental { identical: true, .. } => f.write_str("the same as an earlier password of this entry"),
            Detail::Incremental { identical: false, .. } => {
                f.write_str("only a number or letter case changed from an earlier password of this entry")
            }
            Detail::Personal { part, word } => match part {
                PersonalPart::Username => write!(f, "contains the username \"{word}\""),
                PersonalPart::OwnerName => write!(f, "contains your name \"{word}\""),
                PersonalPart::Company => write!(f, "contains your company's name \"{word}\""),
            },
            Detail::Expired { date, days_ago } => {
                let ago = if *days_ago == 1 { "yesterday".to_owned() } else { format!("{days_ago} days ago") };
                write!(f, "expired on {date} ({ago})")
            }
            Detail::Old { days, rotation_days, .. } => {
                write!(f, "unchanged for {days} days; passwords are changed every {rotation_days} days")
            }
            Detail::HandedOver { to, made_ms, expires_ms } => {
                let to = if to.is_empty() { "a colleague".to_owned() } else { to.clone() };
                let made = crate::clock::rfc3339(*made_ms);
                match expires_ms {
                    Some(expires) => write!(
                        f,
                        "handed over to {to} on {made} until {}, and not changed since",
                        crate::clock::rfc3339(*expires)
                    ),
                    None => write!(f, "handed over to {to} on {made} for good, and not changed since"),
                }
            }
            Detail::Policy { too_short, missing } => {
                let mut parts = Vec::new();
                if let Some(min) = too_short {
                    parts.push(format!("shorter than {min} characters"));
                }
                if !missing.is_empty() {
                    let kinds: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
                    parts.push(format!("no {}", kinds.join(", no ")));
                }
                write!(f, "breaks the company policy: {}", parts.join("; "))
            }
            Detail::No2fa { tag } => {
                write!(f, "no one-time code (TOTP) set up; the company policy requires one for \"{tag}\" entries")
            }
            Detail::Expiring { date, days_left } => {
                let when = match days_left {
                    0 => "today".to_owned(),
                    1 => "tomorrow".to_owned(),
                    days => format!("in {days} days"),
                };
                write!(f, "expires on {date} ({when}): change it before then")
            }
        }
    }
}

/// 3861493 -> "3,861,493".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(3_861_493), "3,861,493");
    }

    #[test]
    fn kinds_serialise_as_their_names() {
        for kind in FindingKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
