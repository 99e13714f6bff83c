//! Opaque pagination cursors: where the last page ended, for which query, signed so that an
//! altered cursor is refused rather than followed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::ApiError;

/// Bytes of the HMAC kept in a cursor: enough that guessing one is hopeless.
const TAG_BYTES: usize = 16;

/// Signs and checks cursors with a key the server keeps in its database.
#[derive(Clone)]
pub struct CursorSigner {
    key: Vec<u8>,
}

/// Where a page ended: the sort value and unique key of its last item, and the query it
/// belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorPosition {
    /// Fingerprint of the query's filters and sort.
    #[serde(rename = "q")]
    pub query: String,
    /// The last item's value of the sort field.
    #[serde(rename = "v")]
    pub value: serde_json::Value,
    /// The last item's unique key (slug or code).
    #[serde(rename = "k")]
    pub key: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CursorError {
    #[error("this cursor was not issued by this service or has been altered")]
    Invalid,
}

impl CursorSigner {
    pub fn new(key: Vec<u8>) -> Self {
        Self { key }
    }

    pub fn encode(&self, position: &CursorPosition) -> String {
        let payload = serde_json::to_vec(position).unwrap_or_default();
        let tag = self.tag(&payload);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    pub fn decode(&self, cursor: &str) -> Result<CursorPosition, CursorError> {
        let (payload, tag) = cursor.split_once('.').ok_or(CursorError::Invalid)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| CursorError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| CursorError::Invalid)?;
        if tag.len() != TAG_BYTES {
            return Err(CursorError::Invalid);
        }
        let mut mac = self.mac();
        mac.update(&payload);
        // Constant-time comparison of the truncated tag.
        mac.verify_truncated_left(&tag)
            .map_err(|_| CursorError::Invalid)?;
        serde_json::from_slice(&payload).map_err(|_| CursorError::Invalid)
    }

    /// The position `cursor` holds, given as the `cursor` parameter of the query whose
    /// fingerprint is `query`. A cursor that does not decode, or that belongs to another query
    /// (`elsewhere` says what to do instead), is the client's error.
    pub fn decode_for(
        &self,
        cursor: &str,
        query: &str,
        elsewhere: &'static str,
    ) -> Result<CursorPosition, ApiError> {
        let position = self
            .decode(cursor)
            .map_err(|error| ApiError::invalid_param("cursor", error.to_string()))?;
        if position.query == query {
            Ok(position)
        } else {
            Err(ApiError::invalid_param("cursor", elsewhere))
        }
    }

    fn tag(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(payload);
        mac.finalize().into_bytes()[..TAG_BYTES].to_vec()
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position() -> CursorPosition {
        CursorPosition {
            query: "abc".into(),
            value: serde_json::json!("pending"),
            key: "cn-approve-export-applications".into(),
        }
    }

    #[test]
    fn a_cursor_round_trips() {
        let signer = CursorSigner::new(b"key".to_vec());
        let cursor = signer.encode(&position());
        assert_eq!(signer.decode(&cursor), Ok(position()));
    }

    #[test]
    fn an_altered_or_foreign_cursor_is_refused() {
        let signer = CursorSigner::new(b"key".to_vec());
        let cursor = signer.encode(&position());
        let (payload, tag) = cursor.split_once('.').unwrap();
        let forged_payload = URL_SAFE_NO_PAD.encode(br#"{"q":"abc","v":"zzz","k":"x"}"#);
        for bad in [
            format!("{forged_payload}.{tag}"),
            format!("{payload}.AAAA"),
            payload.to_owned(),
            String::new(),
            "%%%.%%%".to_owned(),
        ] {
            assert_eq!(signer.decode(&bad), Err(CursorError::Invalid), "{bad}");
        }
        let other = CursorSigner::new(b"other key".to_vec());
        assert_eq!(other.decode(&cursor), Err(CursorError::Invalid));
    }
}
