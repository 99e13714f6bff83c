//! The seed file's times: RFC 3339 text, refused (naming the key) when it is not one.

use serde::Deserialize;

pub fn deserialize<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<jiff::Timestamp, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|error| {
        serde::de::Error::custom(format!("`{text}` is not an RFC 3339 time: {error}"))
    })
}

pub fn serialize<S: serde::Serializer>(
    at: &jiff::Timestamp,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(at)
}
