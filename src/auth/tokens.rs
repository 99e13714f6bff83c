//! Bearer tokens: created by the command line, stored as SHA-256 digests only, checked in
//! constant time, revoked by name.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use subtle::ConstantTimeEq;

use super::scope::Scope;
use crate::clock;

/// Every token starts with this, so that a leaked one is easy to recognise (secret scanners).
const TOKEN_PREFIX: &str = "taa_";
const MAX_NAME_LEN: usize = 64;

/// A token's public facts: never its secret.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TokenInfo {
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "a token name is 1 to {MAX_NAME_LEN} ASCII letters, digits, `.`, `_` or `-`; it is public (it names the author of each change)"
    )]
    InvalidName,
    #[error("a live token named `{0}` exists already; revoke it or choose another name")]
    NameTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub fn validate_name(name: &str) -> Result<(), TokenError> {
    let valid = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(TokenError::InvalidName)
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Creates a token and returns its secret, the only time it exists outside the caller's hands.
pub async fn create(pool: &SqlitePool, name: &str, scope: Scope) -> Result<String, TokenError> {
    validate_name(name)?;
    let secret: [u8; 32] = rand::random();
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(secret));
    let inserted = sqlx::query(
        r"insert into api_tokens (name, sha256, scope, created_at) values (?1, ?2, ?3, ?4)
          on conflict (name) where revoked_at is null do nothing",
    )
    .bind(name)
    .bind(hex::encode(digest(&token)))
    .bind(scope)
    .bind(clock::now_rfc3339())
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(TokenError::NameTaken(name.to_owned()));
    }
    Ok(token)
}

pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<TokenInfo>> {
    sqlx::query_as(
        "select name, scope, created_at, revoked_at from api_tokens order by name, created_at",
    )
    .fetch_all(pool)
    .await
}

/// Revokes a token; false when no live token has this name. The answers kept for its
/// idempotency keys go with it: they are kept per token name, and a new token given the name
/// must not be answered with the revoked one's.
pub async fn revoke(pool: &SqlitePool, name: &str) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let revoked =
        sqlx::query("update api_tokens set revoked_at = ?2 where name = ?1 and revoked_at is null")
            .bind(name)
            .bind(clock::now_rfc3339())
            .execute(&mut *tx)
            .await?;
    sqlx::query("delete from idempotency_keys where token_name = ?1")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(revoked.rows_affected() > 0)
}

#[derive(sqlx::FromRow)]
struct StoredToken {
    name: String,
    sha256: String,
    scope: Scope,
    created_at: String,
    revoked_at: Option<String>,
}

/// The token whose digest matches `presented`, revoked or not. Every stored digest is compared,
/// in constant time, so that the time taken says nothing about how close a guess came.
pub async fn find(pool: &SqlitePool, presented: &str) -> sqlx::Result<Option<TokenInfo>> {
    let presented = digest(presented);
    let stored: Vec<StoredToken> =
        sqlx::query_as("select name, sha256, scope, created_at, revoked_at from api_tokens")
            .fetch_all(pool)
            .await?;
    let mut found = None;
    for token in stored {
        let mut expected = [0u8; 32];
        let decoded = hex::decode_to_slice(&token.sha256, &mut expected).is_ok();
        if bool::from(expected.ct_eq(&presented)) && decoded {
            found = Some(TokenInfo {
                name: token.name,
                scope: token.scope,
                created_at: token.created_at,
                revoked_at: token.revoked_at,
            });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_and_plain() {
        for good in ["alice", "ci.bot_2", "a-b"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", "has space", "semi;colon", &"x".repeat(65), "ünïcode"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_include_the_ones_before() {
        assert!(Scope::Admin > Scope::Write && Scope::Write > Scope::Read);
    }
}
