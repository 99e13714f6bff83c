use super::*;

const COMMITMENT: &str = r#"
    agreement = "geneva-consensus"
    slug = "geneva-us-tariff-pause"
    obligor = "US"
    counterparty = "CN"
    category = "tariffs"
    description = "The pause."
    status = "in_effect"
    specificity = "partially_specified"
    scope_specified = false
    evidence = [{ source = "report", quote = "paused" }]
"#;

#[test]
fn a_commitment_is_the_api_body_plus_what_only_the_seed_records() {
    let commitment: SeedCommitment = toml::from_str(COMMITMENT).unwrap();

    assert_eq!(commitment.body.slug.as_str(), "geneva-us-tariff-pause");
    assert_eq!(commitment.body.evidence[0].quote, "paused");
    assert_eq!(commitment.wording.scope_specified, Some(false));
    assert_eq!(commitment.agreement.as_str(), "geneva-consensus");
}

#[test]
fn a_misspelt_key_in_a_commitment_is_refused_despite_the_flattened_parts() {
    let misspelt = COMMITMENT.replace("scope_specified", "scope_specifed");

    let error = toml::from_str::<SeedCommitment>(&misspelt).unwrap_err();

    assert!(error.to_string().contains("scope_specifed"), "{error}");
}
