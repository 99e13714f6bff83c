//! Any bytes as the body of each write: a parsed, validated value or a precise 400/422, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trade_agreement_api::writes::body::parse;

fuzz_target!(|data: &[u8]| {
    let _ = parse::<trade_agreement_api::sources::writes::NewSource>(data);
    let _ = parse::<trade_agreement_api::commitments::writes::CommitmentUpdate>(data);
    let _ = parse::<trade_agreement_api::commitments::writes::NewCommitment>(data);
    let _ = parse::<trade_agreement_api::rounds::writes::NewRound>(data);
    let _ = parse::<trade_agreement_api::rounds::writes::RoundUpdate>(data);
    let _ = parse::<trade_agreement_api::observations::writes::NewObservation>(data);
    let _ = parse::<trade_agreement_api::agreements::writes::AgreementUpdate>(data);
});
