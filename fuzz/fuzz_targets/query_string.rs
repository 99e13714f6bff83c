//! Any query string, parsed as each resource's filters and as paging parameters: an answer or a
//! precise error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trade_agreement_api::extract::parse_query;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_query::<trade_agreement_api::commitments::CommitmentQuery>(query);
    let _ = parse_query::<trade_agreement_api::agreements::AgreementQuery>(query);
    let _ = parse_query::<trade_agreement_api::agreements::IncludeQuery>(query);
    let _ = parse_query::<trade_agreement_api::rounds::RoundQuery>(query);
    let _ = parse_query::<trade_agreement_api::observations::ObservationQuery>(query);
    let _ = parse_query::<trade_agreement_api::sources::SourceQuery>(query);
    let _ = parse_query::<trade_agreement_api::search::SearchQuery>(query);
    let _ = parse_query::<trade_agreement_api::revisions::AsOfQuery>(query);
    let _ = parse_query::<trade_agreement_api::paging::PageParams>(query);
});
