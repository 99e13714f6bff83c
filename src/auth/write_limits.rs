//! The per-token write limit. Apart from the `Curator` extractor, so that `AppState`, which
//! holds it, does not depend on the extractor, which reads `AppState`.

use crate::config::Config;
use crate::error::ApiError;
use crate::ratelimit::Limiter;

/// Writes allowed per token: a token bucket per token name.
#[derive(Clone)]
pub struct WriteLimits(Option<Limiter<String>>);

impl WriteLimits {
    /// From `--write-rate-per-minute` and `--write-burst`; a rate of 0 turns the limit off.
    pub fn new(config: &Config) -> Self {
        Self(Limiter::new(
            config.write_rate_per_minute,
            config.write_burst,
        ))
    }

    pub(super) fn check(&self, token_name: &str) -> Result<(), ApiError> {
        let Some(limiter) = &self.0 else {
            return Ok(());
        };
        let refused = match limiter.check(&token_name.to_owned()) {
            Ok(_) => return Ok(()),
            Err(refused) => refused,
        };
        Err(ApiError::TooManyRequests {
            detail: format!(
                "too many writes with token `{token_name}`; retry in {} s",
                refused.retry_after_secs
            ),
            retry_after_secs: refused.retry_after_secs,
            limit: refused.limit,
        })
    }
}
