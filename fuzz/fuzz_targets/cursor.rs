//! Any cursor: refused unless this server signed it; one it signed decodes to what it encoded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trade_agreement_api::paging::{CursorPosition, CursorSigner};

fuzz_target!(|data: &[u8]| {
    let signer = CursorSigner::new(b"fuzzing key, not a secret".to_vec());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = signer.decode(text);
        // A position with arbitrary text round-trips through its signed cursor.
        let position = CursorPosition {
            query: text.to_owned(),
            value: serde_json::Value::String(text.to_owned()),
            key: text.to_owned(),
        };
        let decoded = signer
            .decode(&signer.encode(&position))
            .expect("a cursor this server signed decodes");
        assert_eq!(decoded.key, position.key);
        assert_eq!(decoded.value, position.value);
    }
});
