//! JSON views of parties, their representatives and institutions.

use crate::attribution::sourced_view;
use crate::domain::PartyKind;

sourced_view! {
    /// A state or bloc that is party to an agreement.
    #[schema(example = json!({
        "code": "CN",
        "name": "China",
        "kind": "state",
        "representatives": [{"slug": "he-lifeng", "name": "He Lifeng", "title": "Vice Premier", "party": "CN", "institution": null,
            "provenance": [{"source": "us-china-trade-framework-report", "quote": "Chinese Vice Premier He Lifeng", "start": 1086, "end": 1116}]}],
        "institutions": [{"slug": "ministry-of-commerce", "name": "Ministry of Commerce", "party": "CN",
            "provenance": [{"source": "us-china-trade-framework-report", "quote": "China’s Ministry of Commerce", "start": 382, "end": 410}]}],
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "The United States and China have confirmed the finalization of a new trade framework", "start": 93, "end": 177}]
    }))]
    pub struct Party {
        /// ISO 3166-1 alpha-2 code, upper case.
        pub code: String,
        pub name: String,
        pub kind: PartyKind,
        /// People, or groups of officials, who speak or negotiate for the party.
        #[sqlx(skip)]
        pub representatives: Vec<Representative>,
        /// Institutions of the party named in the record.
        #[sqlx(skip)]
        pub institutions: Vec<Institution>,
    }
}

sourced_view! {
    /// A person, or a group of officials, who speaks or negotiates for a party.
    #[derive(Clone)]
    #[schema(example = json!({"slug": "scott-bessent", "name": "Scott Bessent", "title": "Treasury Secretary", "party": "US", "institution": null, "provenance": [{"source": "us-china-trade-framework-report", "quote": "Treasury Secretary Scott Bessent", "start": 1049, "end": 1081}]}))]
    pub struct Representative {
        pub slug: String,
        pub name: String,
        /// Their title as the source gives it, where it does.
        pub title: Option<String>,
        /// Code of the party they represent.
        pub party: String,
        /// Slug of their institution, where the source names it.
        pub institution: Option<String>,
    }
    /// `inferred` where the source does not name the party they represent.
    attribution;
}

sourced_view! {
    /// An institution of a party.
    #[schema(example = json!({"slug": "ministry-of-commerce", "name": "Ministry of Commerce", "party": "CN", "provenance": [{"source": "us-china-trade-framework-report", "quote": "China’s Ministry of Commerce", "start": 382, "end": 410}]}))]
    pub struct Institution {
        pub slug: String,
        pub name: String,
        /// Code of the party it belongs to.
        pub party: String,
    }
}
