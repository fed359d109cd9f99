//! Time-based one-time passwords (RFC 6238), otpauth:// URIs and QR codes.
