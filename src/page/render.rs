//! The first paint's HTML: the template's empty containers filled with the record, node for node
//! as the script (web/app.js) fills them, so that the script keeps what the server drew.

use axum::http::StatusCode;
use serde_json::Value;

use super::context::{Context, attribution, badge, items};
use super::glance;
use super::html::{Facts, el, escape, fill_containers, label, str_of, text};
use super::read::Reader;
use super::sections;

/// What the first paint shows, as the API serves it: the same reads the script makes.
pub struct Views {
    /// The agreement with its parties, rounds, observations, sources, expected effects and gaps.
    pub agreement: Value,
    pub agreements: Vec<Value>,
    pub timeline: Vec<Value>,
    pub commitments: Vec<Value>,
    pub sectors: Vec<Value>,
    /// Every source of the record; the page shows those the agreement cites.
    pub sources: Vec<Value>,
    /// The latest change, for the "last updated" stamp.
    pub latest: Value,
}

impl Views {
    /// The reads the script makes (web/app.js `fetchRecord`), with every page of each
    /// collection, and the texts of the sources the page cites; the status of the agreement's
    /// own read when it fails (404: no such agreement).
    pub async fn read(api: &Reader, slug: &str) -> Result<(Self, Vec<String>), StatusCode> {
        let failed = StatusCode::INTERNAL_SERVER_ERROR;
        let slug: String = form_urlencoded::byte_serialize(slug.as_bytes()).collect();
        let agreement = api
            .answer(&format!(
                "/api/v1/agreements/{slug}?include=parties,rounds,observations,sources,expected_effects,gaps"
            ))
            .await?;
        let all = |path: String| async move { api.all(&path).await.ok_or(failed) };
        let agreements = api.json("/api/v1/agreements").await.ok_or(failed)?;
        let latest = api
            .json("/api/v1/changes?sort=-revision&limit=1")
            .await
            .ok_or(failed)?;
        let views = Self {
            agreement,
            agreements: agreements["data"].as_array().cloned().unwrap_or_default(),
            timeline: all(format!("/api/v1/agreements/{slug}/timeline?limit=100")).await?,
            commitments: all("/api/v1/commitments?limit=100".to_owned()).await?,
            sectors: all("/api/v1/sectors?limit=100".to_owned()).await?,
            sources: all("/api/v1/sources?limit=100".to_owned()).await?,
            latest: latest["data"][0].clone(),
        };
        let mut texts = Vec::new();
        for source in views.cited_sources(&views.facts()) {
            let path = format!("/api/v1/sources/{}/text", str_of(&source["slug"]));
            texts.push(api.text(&path).await.ok_or(failed)?);
        }
        Ok((views, texts))
    }

    fn included(&self, name: &str) -> &[Value] {
        self.agreement["included"][name]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every fact the page shows, registered in the order `register` in web/app.js follows.
    pub fn facts(&self) -> Facts {
        let mut facts = Facts::default();
        let record = &self.agreement;
        let key =
            |kind: &str, item: &Value, field: &str| format!("{kind}/{}", str_of(&item[field]));
        facts.register(
            &key("agreement", record, "slug"),
            Some("agreement-facts".to_owned()),
            &record["title"],
            &record["provenance"],
        );
        for a in self
            .agreements
            .iter()
            .filter(|a| a["slug"] != record["slug"])
        {
            facts.register(
                &key("agreement", a, "slug"),
                None,
                &a["title"],
                &a["provenance"],
            );
        }
        for p in self.included("parties") {
            facts.register(&key("party", p, "code"), None, &p["name"], &p["provenance"]);
        }
        for e in &self.timeline {
            let kind = if e["kind"] == "round" {
                "round"
            } else {
                "milestone"
            };
            facts.register(&key(kind, e, "slug"), None, &e["title"], &e["provenance"]);
        }
        for c in &self.commitments {
            let current = c["status_history"].as_array().and_then(|h| h.last());
            let quotes = current
                .map(|entry| &entry["provenance"])
                .filter(|quotes| quotes.as_array().is_some_and(|q| !q.is_empty()))
                .unwrap_or(&c["provenance"]);
            facts.register(
                &key("commitment", c, "slug"),
                None,
                &c["description"],
                quotes,
            );
        }
        for (kind, included, title) in [
            ("observation", "observations", "summary"),
            ("expected_effect", "expected_effects", "description"),
            ("gap", "gaps", "description"),
        ] {
            for item in self.included(included) {
                facts.register(
                    &key(kind, item, "slug"),
                    None,
                    &item[title],
                    &item["provenance"],
                );
            }
        }
        for s in &self.sectors {
            facts.register(
                &key("sector", s, "slug"),
                None,
                &s["name"],
                &s["provenance"],
            );
        }
        facts
    }

    /// The sources the agreement cites: its own, then any that a fact's quotes come from, in
    /// the order `citedSources` in web/app.js gives them.
    pub fn cited_sources(&self, facts: &Facts) -> Vec<Value> {
        let mut cited: Vec<&str> = self
            .included("sources")
            .iter()
            .map(|s| str_of(&s["slug"]))
            .collect();
        for fact in facts.in_order() {
            for q in &fact.quotes {
                let source = str_of(&q["source"]);
                if !cited.contains(&source) {
                    cited.push(source);
                }
            }
        }
        cited
            .into_iter()
            .filter_map(|slug| self.sources.iter().find(|s| s["slug"] == slug).cloned())
            .collect()
    }
}

/// The template for the agreement `slug`: its downloads and the `<meta name="agreement">` the
/// script reads its slug from.
pub fn for_agreement(template: &str, slug: &str) -> String {
    template.replace("{slug}", &escape(slug))
}

/// The template with each container's content inserted right after its opening tag; `texts`
/// are the cited sources' texts, in their order.
pub fn page(template: &str, views: &Views, texts: &[String]) -> String {
    let facts = views.facts();
    let sources = views.cited_sources(&facts);
    let context = Context {
        agreement: &views.agreement["slug"],
        facts: &facts,
        parties: views.included("parties"),
        agreements: &views.agreements,
        commitments: &views.commitments,
        sectors: &views.sectors,
        sources: &sources,
    };
    let agreement = &views.agreement;
    let ours: Vec<&Value> = views
        .commitments
        .iter()
        .filter(|c| c["agreement"] == agreement["slug"])
        .collect();
    // The commitments of the agreements this one builds on, kept apart from its own.
    let earlier: Vec<&Value> = views
        .commitments
        .iter()
        .filter(|c| items(&agreement["builds_on"]).any(|slug| slug == &c["agreement"]))
        .collect();
    let built_on: String = views
        .agreements
        .iter()
        .filter(|a| items(&agreement["builds_on"]).any(|slug| slug == &a["slug"]))
        .map(|a| context.agreement(a))
        .collect();
    let each =
        |list: &[Value], card: &dyn Fn(&Value) -> String| list.iter().map(card).collect::<String>();
    let fills = [
        ("<h1 id=\"agreement-title\">", text(&agreement["title"])),
        (
            "<p id=\"agreement-summary\" class=\"lede\">",
            text(&agreement["summary"]),
        ),
        (
            "<div id=\"agreement-facts\" class=\"facts\">",
            agreement_facts(agreement, &context),
        ),
        (
            "<span id=\"updated\" class=\"stamp\">",
            sections::stamp(&views.latest),
        ),
        (
            "<select id=\"filter-party\">",
            glance::party_choices(&ours, &context),
        ),
        (
            "<select id=\"filter-status\">",
            glance::status_choices(&ours),
        ),
        (
            "<select id=\"filter-sector\">",
            glance::sector_choices(&views.sectors),
        ),
        (
            "<p id=\"glance-count\" class=\"note\" aria-live=\"polite\">",
            format!("All {} commitments shown.", ours.len()),
        ),
        ("<tbody id=\"glance-rows\">", glance::rows(&ours, &context)),
        (
            "<ul id=\"glance-gaps\" class=\"gap-list\">",
            glance::gaps(views.included("gaps")),
        ),
        (
            "<div id=\"parties\" class=\"cards two\">",
            each(views.included("parties"), &|p| context.party(p)),
        ),
        (
            "<ol id=\"timeline\" class=\"timeline\">",
            each(&views.timeline, &|e| context.timeline_entry(e)),
        ),
        ("<div id=\"commitments\">", party_groups(&ours, &context)),
        ("<div id=\"earlier-agreements\" class=\"cards\">", built_on),
        (
            "<div id=\"earlier-commitments\" class=\"cards two\">",
            earlier.iter().map(|c| context.commitment(c)).collect(),
        ),
        (
            "<div id=\"expected-effects\" class=\"cards\">",
            each(views.included("expected_effects"), &|e| {
                context.expected_effect(e)
            }),
        ),
        (
            "<div id=\"gaps\" class=\"cards two\">",
            each(views.included("gaps"), &|g| context.gap(g)),
        ),
        (
            "<div id=\"observations\" class=\"cards\">",
            each(views.included("observations"), &|o| context.observation(o)),
        ),
        (
            "<div id=\"sectors\" class=\"cards two\">",
            each(&views.sectors, &|s| context.sector(s)),
        ),
        (
            "<ul id=\"source-list\" class=\"source-list\">",
            sections::source_tabs(&sources),
        ),
        (
            "<p id=\"source-meta\" class=\"note\">",
            sources.first().map(sections::describe).unwrap_or_default(),
        ),
        (
            "<div id=\"source-text\" class=\"source-text\" tabindex=\"0\" aria-label=\"Full text of the source\">",
            texts.first().map(|t| escape(t)).unwrap_or_default(),
        ),
        (
            "<noscript class=\"other-sources\">",
            sections::other_sources(&sources, texts),
        ),
    ];
    // The record is here already: no loading notice.
    let mut html = template
        .replacen(">Loading the record…<", " hidden><", 1)
        .replacen(
            "<title>The sourced record<",
            &format!("<title>{} — the sourced record<", text(&agreement["title"])),
            1,
        );
    if !cfg!(feature = "parquet") {
        html = sections::without_parquet(&html);
    }
    fill_containers(&mut html, fills);
    html
}

fn agreement_facts(agreement: &Value, context: &Context) -> String {
    let key = format!("agreement/{}", str_of(&agreement["slug"]));
    let status = format!(
        "Status: {}",
        label("agreement_status", &agreement["status"])
    );
    let specifics = match agreement["specifics_disclosed"].as_bool() {
        None => badge(
            "spec",
            &"unknown".into(),
            "Specifics: the source does not say",
        ),
        Some(true) => badge("spec", &"specified".into(), "Specifics disclosed"),
        Some(false) => badge("spec", &"unspecified".into(), "Specifics not disclosed"),
    };
    let built_on: Vec<String> = items(&agreement["builds_on"])
        .map(|slug| {
            context
                .agreements
                .iter()
                .find(|a| &a["slug"] == slug)
                .map_or_else(
                    || "an agreement not in the record".to_owned(),
                    |a| str_of(&a["title"]).to_owned(),
                )
        })
        .collect();
    let built_on = if built_on.is_empty() {
        "nothing earlier in the record".to_owned()
    } else {
        built_on.join(", ")
    };
    let aims: Vec<&str> = items(&agreement["objectives"])
        .map(|o| str_of(&o["text"]))
        .collect();
    [
        el(
            "p",
            &[],
            &format!(
                "{} {specifics}",
                badge("agreement", &agreement["status"], &status)
            ),
        ),
        attribution(agreement),
        el("p", &[], &escape(&format!("Builds on: {built_on}"))),
        el("p", &[], &escape(&format!("Aims: {}", aims.join("; ")))),
        context.buttons(&key),
    ]
    .concat()
}

/// The framework's commitments under the party that undertakes each.
fn party_groups(ours: &[&Value], context: &Context) -> String {
    let mut obligors: Vec<&str> = ours.iter().map(|c| str_of(&c["obligor"])).collect();
    obligors.sort_unstable();
    obligors.dedup();
    obligors
        .into_iter()
        .map(|code| {
            let cards: String = ours
                .iter()
                .filter(|c| c["obligor"] == code)
                .map(|c| context.commitment(c))
                .collect();
            let heading = format!("{} undertakes", context.party_name(&code.into()));
            el(
                "section",
                &[("class", "party-group"), ("data-key", code)],
                &(el("h3", &[], &escape(&heading)) + &el("div", &[("class", "cards")], &cards)),
            )
        })
        .collect()
}
