//! Kept answers' bodies sent without copying them: a large kept body lives in a sealed
//! in-memory file, mapped read-only, and a connection's socket sends the bytes of such a
//! mapping with `sendfile` from the file, so that the kernel hands the file's pages to TCP
//! instead of copying the bytes from the process (what nginx does for a static file). A body
//! is the same `Bytes` everywhere else (HTTP/2, HEAD, tests): only the socket's writes differ.
//!
//! Linux only; elsewhere a kept body is a plain copy and the socket the plain stream.

#[cfg(target_os = "linux")]
mod sealed;
#[cfg(target_os = "linux")]
mod stream;

#[cfg(target_os = "linux")]
pub use self::sealed::{MAX_SEALED, kept_body};
#[cfg(target_os = "linux")]
pub use self::stream::{Stream, stream};

/// Files kept open for sealed bodies at most (none off Linux).
#[cfg(not(target_os = "linux"))]
pub const MAX_SEALED: usize = 0;

/// A copy of `body` that holds exactly its bytes, not a larger buffer they may be a slice of.
#[cfg(not(target_os = "linux"))]
pub fn kept_body(body: &[u8]) -> axum::body::Bytes {
    axum::body::Bytes::copy_from_slice(body)
}

/// The socket a connection is served on.
#[cfg(not(target_os = "linux"))]
pub type Stream = tokio::net::TcpStream;

/// An accepted connection's socket, as it is served.
#[cfg(not(target_os = "linux"))]
pub fn stream(socket: tokio::net::TcpStream) -> Stream {
    socket
}
