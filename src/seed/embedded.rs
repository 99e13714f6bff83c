//! The seed record and its source documents, compiled into the binary so that the service seeds
//! itself wherever it runs (a checkout, a container) with nothing else to install.

/// `data/seed.toml`.
pub const MANIFEST: &str = include_str!("../../data/seed.toml");

/// The source texts under `data/`, by file name, byte for byte.
pub const SOURCE_FILES: &[(&str, &str)] = &[(
    "us-china-trade-framework.txt",
    include_str!("../../data/us-china-trade-framework.txt"),
)];
