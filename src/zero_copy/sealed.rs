//! Sealed bodies: a kept body written once to an in-memory file (`memfd_create`), sealed so
//! that nothing can change or resize it, and mapped read-only. The mapping is the body's
//! `Bytes`; a registry of the live mappings lets a socket find the file behind a slice of
//! one, whose bytes are by construction the file's bytes at the same offset.

use std::collections::BTreeMap;
use std::ffi::c_void;
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, Weak};

use axum::body::Bytes;
use rustix::fs::{MemfdFlags, SealFlags};
use rustix::mm::{MapFlags, ProtFlags};

/// Bodies shorter than this are copied onto the heap: below it, the copy into the socket costs
/// less than the extra system call of sending the file (`stream`).
const MIN_SEALED_LEN: usize = 16 * 1024;

/// Sealed bodies alive at once at most: each holds a file descriptor, which the connection cap
/// leaves room for (`serve::admission`). Past it, bodies are copied onto the heap.
pub const MAX_SEALED: usize = 256;

/// The shortest slice of a write that is looked up among the sealed bodies.
const LOOKED_UP_FROM: usize = 4096;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The live mappings by their first byte's address. A mapping is removed before it is unmapped,
/// so an address found here is not reused by another mapping while it is listed.
static MAPPINGS: RwLock<BTreeMap<usize, Weak<Sealed>>> = RwLock::new(BTreeMap::new());

/// The body to keep for an answer: exactly its bytes (not a larger buffer they may be a slice
/// of), sealed in a file when it is long enough and the file limit allows.
pub fn kept_body(body: &[u8]) -> Bytes {
    if body.len() >= MIN_SEALED_LEN
        && let Some(sealed) = Sealed::new(body)
    {
        return Bytes::from_owner(Mapped(sealed));
    }
    Bytes::copy_from_slice(body)
}

/// The file behind `bytes` and their offset in it, when they are part of a sealed body. Slices
/// shorter than a page are not looked up, so that most writes take no lock: a short one costs
/// little to copy (it may be the end of a body that the socket took only part of).
pub fn file_behind(bytes: &[u8]) -> Option<(Arc<Sealed>, u64)> {
    if bytes.len() < LOOKED_UP_FROM {
        return None;
    }
    let start = bytes.as_ptr() as usize;
    let mappings = MAPPINGS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (&base, sealed) = mappings.range(..=start).next_back()?;
    let sealed = sealed.upgrade()?;
    let offset = start - base;
    (offset + bytes.len() <= sealed.len).then_some((sealed, offset as u64))
}

/// One sealed file and its read-only mapping.
pub struct Sealed {
    file: OwnedFd,
    mapping: NonNull<c_void>,
    len: usize,
}

// SAFETY: the mapping is read-only and lives as long as the value; nothing is written through
// it, so sharing it between threads is sharing immutable bytes.
unsafe impl Send for Sealed {}
// SAFETY: as above.
unsafe impl Sync for Sealed {}

impl Sealed {
    /// `body` in a sealed file, mapped and listed; `None` when the limit of live files is reached
    /// or the system refuses (the caller copies the body instead).
    fn new(body: &[u8]) -> Option<Arc<Self>> {
        if LIVE.fetch_add(1, Ordering::Relaxed) >= MAX_SEALED {
            LIVE.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        let sealed = Self::write(body)
            .inspect_err(|error| tracing::warn!(%error, "cannot seal a kept body; copying it"));
        let Ok(sealed) = sealed else {
            LIVE.fetch_sub(1, Ordering::Relaxed);
            return None;
        };
        let sealed = Arc::new(sealed);
        MAPPINGS
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(sealed.mapping.as_ptr() as usize, Arc::downgrade(&sealed));
        Some(sealed)
    }

    fn write(body: &[u8]) -> std::io::Result<Self> {
        let flags = MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING;
        let mut file = File::from(rustix::fs::memfd_create("kept-answer", flags)?);
        file.write_all(body)?;
        let file = OwnedFd::from(file);
        // Sealed before it is mapped: its bytes can never differ from the mapping's.
        let seals = SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK | SealFlags::SEAL;
        rustix::fs::fcntl_add_seals(&file, seals)?;
        // SAFETY: a new read-only shared mapping of the whole sealed file, at an address the
        // kernel chooses; nothing else refers to that range until it is unmapped in `drop`.
        let mapping = unsafe {
            rustix::mm::mmap(
                std::ptr::null_mut(),
                body.len(),
                ProtFlags::READ,
                MapFlags::SHARED,
                &file,
                0,
            )?
        };
        let mapping = NonNull::new(mapping).ok_or(std::io::ErrorKind::InvalidData)?;
        Ok(Self {
            file,
            mapping,
            len: body.len(),
        })
    }

    pub fn file(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }
}

impl Drop for Sealed {
    fn drop(&mut self) {
        MAPPINGS
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&(self.mapping.as_ptr() as usize));
        // SAFETY: the range was mapped in `write` with this length and nothing refers to it: the
        // last `Bytes` over it has been dropped, and it is no longer listed.
        let _ = unsafe { rustix::mm::munmap(self.mapping.as_ptr(), self.len) };
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A sealed body as the owner of its `Bytes`.
struct Mapped(Arc<Sealed>);

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: `len` readable bytes are mapped at `mapping` for as long as the `Sealed` lives,
        // which this owner keeps alive; they never change (the file is sealed).
        unsafe { std::slice::from_raw_parts(self.0.mapping.as_ptr().cast::<u8>(), self.0.len) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(len: usize) -> Vec<u8> {
        (0..len).map(|index| (index % 251) as u8).collect()
    }

    fn file_bytes(sealed: &Sealed, offset: u64, len: usize) -> Vec<u8> {
        let mut read = vec![0; len];
        let n = rustix::io::pread(sealed.file(), &mut read, offset).unwrap();
        read.truncate(n);
        read
    }

    #[test]
    fn a_long_body_is_kept_in_a_file_that_holds_its_bytes_at_each_slices_offset() {
        let original = body(3 * MIN_SEALED_LEN + 17);
        let kept = kept_body(&original);
        assert_eq!(kept, original);

        let slice = &kept[5000..kept.len() - 3];
        let (sealed, offset) = file_behind(slice).expect("a sealed body is found");
        assert_eq!(offset, 5000);
        assert_eq!(file_bytes(&sealed, offset, slice.len()), slice);
    }

    #[test]
    fn a_short_body_is_copied_and_no_file_is_found_behind_it() {
        let original = body(MIN_SEALED_LEN - 1);
        let kept = kept_body(&original);
        assert_eq!(kept, original);
        assert!(file_behind(&kept).is_none());
    }

    #[test]
    fn bytes_outside_every_sealed_body_have_no_file_behind_them() {
        let kept = kept_body(&body(MIN_SEALED_LEN));
        let elsewhere = body(2 * MIN_SEALED_LEN);
        assert!(file_behind(&elsewhere).is_none());
        assert!(file_behind(&kept).is_some());
    }

    #[test]
    fn a_dropped_body_is_no_longer_listed() {
        let sealed = Sealed::new(&body(MIN_SEALED_LEN)).unwrap();
        let address = sealed.mapping.as_ptr() as usize;
        let weak = Arc::downgrade(&sealed);
        drop(sealed);
        let mappings = MAPPINGS.read().unwrap();
        // Another test's new mapping may take the address; this one's entry must be gone.
        let listed = mappings.get(&address);
        assert!(listed.is_none_or(|listed| !listed.ptr_eq(&weak)));
    }
}
