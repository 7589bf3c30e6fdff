//! Survey links and the keyed values derived from them (see docs/privacy.md).
//!
//! A token is derived from the invitation id with the server key, so the outbox never
//! stores a link: the worker derives it at send time. The database keeps only
//! SHA-256(token) on the invitation; the response is found by HMAC(key, token), which
//! nobody can compute from a dump without both the key and the link.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// Length of a token in characters (256 bits, URL-safe base64).
pub const TOKEN_LEN: usize = 43;

/// The secret part of a survey link, `/s/{token}`.
#[derive(Clone, PartialEq, Eq)]
pub struct SurveyToken(String);

impl std::fmt::Debug for SurveyToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SurveyToken(…)")
    }
}

impl SurveyToken {
    /// Accepts only the shape of a real token; anything else is simply not a link.
    pub fn parse(s: &str) -> Option<SurveyToken> {
        let ok = s.len() == TOKEN_LEN
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| SurveyToken(s.to_owned()))
    }

    /// The token text, for building the link.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the invitation row stores.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

/// A new invitation id: 128 random bits (all of them: not a UUID v4, which fixes 6),
/// so a link derived from it has at least 128 random bits even for someone who knows
/// the server key.
pub fn new_invitation_id() -> Uuid {
    Uuid::from_bytes(rand::random())
}

/// Derives tokens, response keys and answered-seals with the server key.
#[derive(Clone)]
pub struct SurveyKeys {
    secret: SecretString,
}

impl SurveyKeys {
    /// Keys from the configured server secret.
    pub fn new(secret: SecretString) -> Self {
        Self { secret }
    }

    fn mac(&self, purpose: &[u8], data: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = HmacSha256::new_from_slice(self.secret.expose_secret().as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any size"));
        mac.update(purpose);
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// The token of an invitation.
    pub fn token_for(&self, invitation_id: Uuid) -> SurveyToken {
        SurveyToken(URL_SAFE_NO_PAD.encode(self.mac(b"survey-token", invitation_id.as_bytes())))
    }

    /// The key under which the response of `token` is stored.
    pub fn response_key(&self, token: &SurveyToken) -> Vec<u8> {
        self.mac(b"response-key", token.0.as_bytes()).to_vec()
    }

    /// The mark that a link has been answered, written with its first answer and kept
    /// for reminders until close. Derived from the token (not the invitation id), so a
    /// save can write it without looking the invitation up first.
    pub fn answered_seal(&self, token: &SurveyToken) -> Vec<u8> {
        self.mac(b"answered-seal-of-link", token.0.as_bytes())
            .to_vec()
    }

    /// The marks an answered invitation may have: its link's, and the mark of its id
    /// that earlier builds wrote (still among the seals of waves open at an upgrade).
    pub fn answered_seals_of(&self, invitation_id: Uuid) -> [Vec<u8>; 2] {
        [
            self.answered_seal(&self.token_for(invitation_id)),
            self.mac(b"answered-seal", invitation_id.as_bytes())
                .to_vec(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> SurveyKeys {
        SurveyKeys::new(SecretString::from(secret))
    }

    #[test]
    fn invitation_ids_use_all_128_bits() {
        let ids: Vec<Uuid> = (0..64).map(|_| new_invitation_id()).collect();
        // A UUID v4 always has version 4 and variant bits 10; random bits do not.
        assert!(ids.iter().any(|id| id.get_version_num() != 4));
        assert!(ids.iter().any(|id| id.as_bytes()[8] & 0xc0 != 0x80));
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn tokens_are_stable_per_invitation_and_differ_between_them() {
        let k = keys("a-secret-of-enough-length-0123456789");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(k.token_for(a), k.token_for(a));
        assert_ne!(k.token_for(a), k.token_for(b));
        assert_eq!(k.token_for(a).expose().len(), TOKEN_LEN);
        assert!(SurveyToken::parse(k.token_for(a).expose()).is_some());
    }

    #[test]
    fn another_key_gives_other_tokens_and_response_keys() {
        let id = Uuid::new_v4();
        let (k1, k2) = (
            keys("first-secret-0123456789-0123456789"),
            keys("second-secret-0123456789-012345678"),
        );
        assert_ne!(k1.token_for(id), k2.token_for(id));
        let token = k1.token_for(id);
        assert_ne!(k1.response_key(&token), k2.response_key(&token));
        assert_ne!(
            k1.response_key(&token),
            token.hash(),
            "no shared value between the tables"
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "short",
            &"a".repeat(44),
            &format!("{}!", "a".repeat(42)),
        ] {
            assert!(SurveyToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn debug_never_prints_the_token() {
        let token = keys("a-secret-of-enough-length-0123456789").token_for(Uuid::new_v4());
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
