//! A validated, normalised email address.

use std::fmt;

use thiserror::Error;
use validator::ValidateEmail;

/// The longest email address accepted (RFC 5321 forward-path limit).
pub const MAX_EMAIL_LEN: usize = 254;

/// Why a string is not an acceptable email address.
///
/// Messages are phrased to follow a field name, e.g. "email is empty".
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    /// The input was empty or only whitespace.
    #[error("is empty")]
    Empty,
    /// The input is longer than [`MAX_EMAIL_LEN`] characters.
    #[error("is longer than 254 characters")]
    TooLong,
    /// The input does not look like an email address.
    #[error("is not a valid email address")]
    Invalid,
}

/// A syntactically valid email address, trimmed and stored lower-cased.
///
/// Emails are compared case-insensitively, so two addresses differing only in
/// case are equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Trims `s`, validates it and returns the lower-cased address.
    ///
    /// # Errors
    /// Returns [`EmailError`] if the input is empty, longer than
    /// [`MAX_EMAIL_LEN`] characters or not a valid email address.
    pub fn parse(s: &str) -> Result<Self, EmailError> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        // Byte length bounds char count, so only count chars when it matters.
        if trimmed.len() > MAX_EMAIL_LEN && trimmed.chars().count() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        if !trimmed.validate_email() {
            return Err(EmailError::Invalid);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    /// The normalised (trimmed, lower-cased) address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the address, returning the normalised string.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl TryFrom<&str> for EmailAddress {
    type Error = EmailError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let cases = [
            ("alice@example.com", "alice@example.com"),
            ("  Alice@Example.COM \t", "alice@example.com"),
            (
                "first.last+tag@sub.example.org",
                "first.last+tag@sub.example.org",
            ),
        ];
        for (input, expected) in cases {
            let email = EmailAddress::parse(input).expect(input);
            assert_eq!(email.as_ref(), expected);
            assert_eq!(email.to_string(), expected);
        }
    }

    #[test]
    fn rejects_with_readable_errors() {
        let long = format!("{}@example.com", "a".repeat(250));
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("not-an-email", EmailError::Invalid),
            ("a@@b.com", EmailError::Invalid),
            ("a b@c.com", EmailError::Invalid),
            ("@example.com", EmailError::Invalid),
            (long.as_str(), EmailError::TooLong),
        ];
        for (input, expected) in cases {
            assert_eq!(EmailAddress::parse(input), Err(expected.clone()), "{input}");
        }
        assert_eq!(
            EmailError::Invalid.to_string(),
            "is not a valid email address"
        );
        assert_eq!(
            EmailError::TooLong.to_string(),
            "is longer than 254 characters"
        );
    }

    #[test]
    fn equality_is_case_insensitive_and_try_from_works() {
        let a = EmailAddress::parse("Bob@Example.com").expect("valid");
        let b = EmailAddress::try_from(String::from("bob@example.COM")).expect("valid");
        assert_eq!(a, b);
        assert_eq!(b.into_inner(), "bob@example.com");
    }
}
