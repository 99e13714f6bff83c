//! Issue 15 on the served record, principles 1 to 5: who reports each fact, speaker not
//! subject, what is bound and how far, temporary measures, expected effects apart from
//! undertakings.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{FRAMEWORK, TestApp, evidence};

const RECIPROCAL_PAIR: [&str; 2] = [
    "cn-approve-export-applications",
    "us-lift-restrictive-measures",
];

#[tokio::test]
async fn the_reciprocal_pair_is_the_ministry_of_commerces_account_not_agreed_fact() {
    let app = TestApp::new().await;

    for slug in RECIPROCAL_PAIR {
        let commitment = app.get(&format!("/api/v1/commitments/{slug}")).await.json();
        let reporter = &commitment["reported_by"];
        assert_eq!(reporter["slug"], "ministry-of-commerce", "{slug}");
        assert_eq!(reporter["kind"], "institution");
        assert_eq!(reporter["parties"], json!(["CN"]));
        assert!(
            commitment["description"]
                .as_str()
                .unwrap()
                .starts_with("According to China’s Ministry of Commerce"),
            "{slug}"
        );
    }
    let us_side = app
        .get("/api/v1/commitments/us-lift-restrictive-measures")
        .await
        .json();
    assert_eq!(us_side["obligor"], "US", "the reporter is not who is bound");
    let framework = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}"))
        .await
        .json();
    assert!(
        framework["summary"]
            .as_str()
            .unwrap()
            .contains("According to China’s Ministry of Commerce, it outlines reciprocal actions")
    );
    let by_ministry = app
        .get("/api/v1/commitments?reported_by=ministry-of-commerce")
        .await;
    assert_eq!(by_ministry.slugs(), RECIPROCAL_PAIR);
}

#[tokio::test]
async fn the_signing_is_us_officials_account_and_the_finalization_both_parties() {
    let app = TestApp::new().await;

    let framework = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}"))
        .await
        .json();

    let reporter_of = |slug: &str| -> Value {
        framework["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|milestone| milestone["slug"] == slug)
            .map(|milestone| milestone["reported_by"].clone())
            .unwrap()
    };
    assert_eq!(
        reporter_of("framework-signing-confirmed")["slug"],
        "us-officials"
    );
    let both = reporter_of("framework-finalization-confirmed");
    assert_eq!(both["slug"], "united-states-and-china");
    assert_eq!(both["parties"], json!(["US", "CN"]));
    assert_eq!(
        reporter_of("reciprocal-actions-outlined")["slug"],
        "ministry-of-commerce"
    );
    let reporters = app.get("/api/v1/reporters").await.slugs();
    for slug in [
        "analysts",
        "observers",
        "us-officials",
        "us-china-trade-framework-report",
    ] {
        assert!(reporters.contains(&slug.to_owned()), "{slug}");
    }
}

#[tokio::test]
async fn no_observation_names_its_subject_as_its_speaker() {
    let app = TestApp::new().await;
    let subjects = [
        "financial markets",
        "markets",
        "stakeholders",
        "stakeholders across both countries",
    ];

    let observations = app.get("/api/v1/observations").await.data();

    assert_eq!(observations.len(), 9);
    for observation in &observations {
        let speaker = &observation["attributed_to"];
        let reporter = &observation["reported_by"];
        if let Some(speaker) = speaker.as_str() {
            assert!(
                !subjects.contains(&speaker.to_lowercase().as_str()),
                "{observation}"
            );
            assert_eq!(reporter["name"], speaker, "the speaker is the reporter");
            assert_eq!(reporter["kind"], "group", "{observation}");
        } else {
            assert_eq!(reporter["kind"], "source", "own voice: {observation}");
        }
    }
    for own_voice in [
        "modest-market-reaction",
        "implementation-to-be-monitored",
        "rare-earths-key-leverage",
        "undefined-measures-limit-impact",
    ] {
        let observation = app
            .get(&format!("/api/v1/observations/{own_voice}"))
            .await
            .json();
        assert_eq!(observation["attributed_to"], Value::Null, "{own_voice}");
    }
    let by_analysts = app.get("/api/v1/observations?reported_by=analysts").await;
    assert_eq!(
        by_analysts.slugs(),
        ["rare-earths-lack-detailed-commitments"]
    );
}

#[tokio::test]
async fn the_action_is_named_but_its_scope_is_unspecified_and_not_narrowed() {
    let app = TestApp::new().await;

    let china = app
        .get("/api/v1/commitments/cn-approve-export-applications")
        .await
        .json();
    let scope_gap = app
        .get("/api/v1/gaps/reciprocal-actions-scope-unspecified")
        .await
        .json();

    assert_eq!(china["action"], "review and approve export applications");
    assert_eq!(china["scope"], "goods subject to control rules");
    assert_eq!(china["scope_specified"], false);
    let description = china["description"].as_str().unwrap();
    for narrowing in ["U.S.-bound", "to the United States", "destined"] {
        assert!(!description.contains(narrowing), "{narrowing}");
    }
    assert_eq!(scope_gap["kind"], "not_specified");
    assert_eq!(
        scope_gap["topic"],
        "which exports or restrictions will be affected"
    );
}

#[tokio::test]
async fn the_geneva_pause_lasts_90_days_from_an_unknown_start_and_is_not_fulfilled() {
    let app = TestApp::new().await;

    let pauses = app.get("/api/v1/commitments?category=tariffs").await.data();

    assert_eq!(pauses.len(), 2);
    for pause in &pauses {
        let terms = &pause["temporary"];
        assert_eq!(
            terms["duration"],
            json!({"amount": 90, "unit": "day", "text": "for 90 days"})
        );
        assert_eq!(terms["start"], json!({"known": false, "date": null}));
        assert_eq!(terms["expiry"], json!({"known": false, "date": null}));
        assert_eq!(
            terms["coverage"],
            "a significant portion of bilateral tariffs"
        );
        assert_eq!(pause["status"], "in_effect");
        assert_ne!(pause["status"], "fulfilled");
    }
    for status in ["in_effect", "implementation_contested", "fulfilled"] {
        let response = app
            .get(&format!("/api/v1/commitments?status={status}"))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{status} is a status");
    }
    assert!(
        app.get("/api/v1/commitments?status=fulfilled")
            .await
            .slugs()
            .is_empty()
    );
    let geneva = app.get("/api/v1/agreements/geneva-consensus").await.json();
    assert_eq!(geneva["specifics_disclosed"], Value::Null, "no quote says");
}

#[tokio::test]
async fn the_expected_easing_is_one_expected_effect_and_no_undertaking() {
    let app = TestApp::new().await;

    let effects = app.get("/api/v1/expected-effects").await.data();
    let expected_commitments = app.get("/api/v1/commitments?status=expected").await;
    let visas = app
        .get("/api/v1/commitments?category=visas,technology_access")
        .await;

    assert_eq!(effects.len(), 1);
    let effect = &effects[0];
    assert_eq!(effect["slug"], "reduce-technology-and-visa-barriers");
    assert_eq!(
        effect["areas"],
        json!([
            "U.S. limitations on Chinese access to advanced technologies",
            "student visa policies"
        ])
    );
    assert_eq!(effect["specifics_disclosed"], false);
    assert!(expected_commitments.slugs().is_empty());
    assert!(visas.slugs().is_empty());
    app.get("/api/v1/commitments/us-ease-student-visa-barriers")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_curator_names_who_reports_a_new_fact_and_why_it_is_inferred() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}/observations");
    let body = |reported_by: &str| {
        json!({"slug": "analysts-on-leverage", "kind": "analysis", "attributed_to": "analysts",
               "summary": "Analysts point at the lack of detail.", "reported_by": reported_by,
               "inferred_because": "The source says analysts highlighted the lack, not what they concluded.",
               "evidence": evidence("analysts have highlighted the lack of detailed commitments")})
    };

    let unknown = app
        .write(Method::POST, &uri, Some(&writer), &body("pundits"))
        .await;
    let created = app
        .write(Method::POST, &uri, Some(&writer), &body("analysts"))
        .await;

    let problem = unknown.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["invalid_params"][0]["name"], "reported_by");
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let observation = created.json();
    assert_eq!(observation["reported_by"]["slug"], "analysts");
    assert_eq!(observation["basis"], "inferred");
    assert!(
        observation["basis_reason"]
            .as_str()
            .unwrap()
            .starts_with("The source says")
    );
}
