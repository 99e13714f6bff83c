//! The one way the service writes a time: RFC 3339, UTC, microseconds, fixed width, so that
//! stored times sort as text.

pub fn now_rfc3339() -> String {
    format_rfc3339(jiff::Timestamp::now())
}

pub fn format_rfc3339(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
