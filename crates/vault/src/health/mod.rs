//! The security report: what is wrong with the passwords in a vault.
