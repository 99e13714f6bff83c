//! Which representation a request gets: a format (`Accept`, read by [`Accepted::of`]) and
//! a content coding (`Accept-Encoding`). The response cache and ETags are keyed by this
//! decision, never by the raw headers, which a client may make as long and as varied as it
//! likes; and the compression layer is made to follow it ([`ContentCoding::pin`]), so that it
//! is the only decision there is.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::format::{Accepted, weight_of};

/// What a request's answer is a function of, besides its URL and the record's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Representation {
    pub accepted: Accepted,
    pub coding: ContentCoding,
}

impl Representation {
    pub fn negotiate(request: &HeaderMap) -> Self {
        Self {
            accepted: Accepted::of(request),
            coding: ContentCoding::negotiate(request),
        }
    }
}

/// The content codings the compression layer applies, and the answer when none is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentCoding {
    Identity,
    Gzip,
    Brotli,
    /// The client refused every coding, identity included (`*;q=0`): answered 406.
    NotAcceptable,
}

impl ContentCoding {
    /// The coding an `Accept-Encoding` asks for (RFC 9110 §12.5.3): the highest weight wins,
    /// brotli before gzip before identity when weights tie; `*` weighs the codings not named;
    /// identity when nothing else is acceptable, unless identity itself is refused.
    pub fn negotiate(request: &HeaderMap) -> Self {
        let weights = Weights::of(request);
        let candidates = [
            (Self::Brotli, weights.brotli),
            (Self::Gzip, weights.gzip),
            (Self::Identity, weights.identity),
        ];
        let mut best: Option<(Self, u16)> = None;
        for (coding, weight) in candidates {
            let weight = weight.or(weights.any).unwrap_or(0);
            if weight > 0 && best.is_none_or(|(_, best_weight)| weight > best_weight) {
                best = Some((coding, weight));
            }
        }
        match best {
            Some((coding, _)) => coding,
            None if weights.identity.or(weights.any) == Some(0) => Self::NotAcceptable,
            None => Self::Identity,
        }
    }

    /// Its name: what `Accept-Encoding` is set to by [`Self::pin`].
    pub fn token(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Gzip => "gzip",
            Self::Brotli => "br",
            Self::NotAcceptable => "identity;q=0",
        }
    }

    /// Replaces the request's `Accept-Encoding` with this coding alone, so that the compression
    /// layer, which negotiates by itself, can only agree.
    pub fn pin(self, request: &mut HeaderMap) {
        request.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static(self.token()),
        );
    }
}

/// The weights (q-values in thousandths) an `Accept-Encoding` gives; the first mention of a
/// coding counts; entries whose weight does not parse are ignored.
#[derive(Debug, Default)]
struct Weights {
    brotli: Option<u16>,
    gzip: Option<u16>,
    identity: Option<u16>,
    any: Option<u16>,
}

impl Weights {
    fn of(request: &HeaderMap) -> Self {
        let mut weights = Self::default();
        let entries = request
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','));
        for entry in entries {
            let mut parts = entry.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let Some(slot) = weights.slot(coding) else {
                continue;
            };
            let weight = match parts.next() {
                None => Some(1000),
                Some(parameter) => weight_of(parameter),
            };
            if slot.is_none()
                && let Some(weight) = weight
            {
                *slot = Some(weight);
            }
        }
        weights
    }

    /// Where a coding's weight goes; `None` for codings the compression layer does not apply.
    fn slot(&mut self, coding: &str) -> Option<&mut Option<u16>> {
        let named = |name: &str| coding.eq_ignore_ascii_case(name);
        if named("br") {
            Some(&mut self.brotli)
        } else if named("gzip") || named("x-gzip") {
            Some(&mut self.gzip)
        } else if named("identity") {
            Some(&mut self.identity)
        } else if coding == "*" {
            Some(&mut self.any)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(accept_encoding: &str) -> ContentCoding {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept_encoding).unwrap(),
        );
        ContentCoding::negotiate(&headers)
    }

    #[test]
    fn the_heaviest_coding_wins_and_ties_go_to_brotli_then_gzip() {
        assert_eq!(
            ContentCoding::negotiate(&HeaderMap::new()),
            ContentCoding::Identity
        );
        assert_eq!(coding(""), ContentCoding::Identity);
        assert_eq!(coding("gzip, deflate, br, zstd"), ContentCoding::Brotli);
        assert_eq!(coding("GZIP"), ContentCoding::Gzip);
        assert_eq!(coding("x-gzip"), ContentCoding::Gzip);
        assert_eq!(coding("br;q=0.5, gzip"), ContentCoding::Gzip);
        assert_eq!(
            coding("br;q=0.5, gzip;q=0.8, identity"),
            ContentCoding::Identity
        );
        assert_eq!(coding("deflate, zstd"), ContentCoding::Identity);
        assert_eq!(
            coding("br;q=2, gzip;q=nonsense, identity"),
            ContentCoding::Identity
        );
    }

    #[test]
    fn a_wildcard_weighs_the_codings_not_named_and_identity_may_be_refused() {
        assert_eq!(coding("*"), ContentCoding::Brotli);
        assert_eq!(coding("br;q=0, *;q=0.5"), ContentCoding::Gzip);
        assert_eq!(coding("gzip;q=0"), ContentCoding::Identity);
        assert_eq!(coding("*;q=0"), ContentCoding::NotAcceptable);
        assert_eq!(coding("identity;q=0"), ContentCoding::NotAcceptable);
        assert_eq!(coding("identity;q=0, gzip"), ContentCoding::Gzip);
    }

    #[test]
    fn a_pinned_coding_negotiates_to_itself() {
        for coding in [
            ContentCoding::Identity,
            ContentCoding::Gzip,
            ContentCoding::Brotli,
            ContentCoding::NotAcceptable,
        ] {
            let mut headers = HeaderMap::new();
            coding.pin(&mut headers);
            assert_eq!(ContentCoding::negotiate(&headers), coding);
        }
    }
}
