//! The index at `/`: every agreement of the record (its title, kind, status in plain words,
//! parties and relations to other agreements, linking to its page) and the latest changes,
//! each linking to the page of the agreement it belongs to. Readable without JavaScript; its
//! only script (web/home.js) moves old deep links (`/#type/slug`) to the right page.

use serde_json::Value;

use super::context::{badge, find, items};
use super::html::{el, escape, fill_containers, label, opening, str_of, text, when};
use super::read::Reader;

/// How many of the latest changes the index shows.
const LATEST_CHANGES: usize = 5;

/// The index's template with the agreements and the latest changes in it.
pub async fn page(template: &str, api: &Reader) -> Option<String> {
    let agreements = api.all("/api/v1/agreements?limit=100").await?;
    let parties = api.all("/api/v1/parties?limit=100").await?;
    let changes = api
        .json(&format!(
            "/api/v1/changes?sort=-revision&limit={LATEST_CHANGES}"
        ))
        .await?;
    let listed: String = agreements
        .iter()
        .map(|a| entry(a, &agreements, &parties))
        .collect();
    let mut latest = String::new();
    for change in items(&changes["data"]) {
        latest += &self::change(change, api, &agreements).await;
    }
    let fills = [
        (
            "<ul id=\"agreements\" class=\"cards agreement-index\">",
            listed,
        ),
        ("<ol id=\"changes\" class=\"change-list\">", latest),
    ];
    let mut html = template.to_owned();
    fill_containers(&mut html, fills);
    Some(html)
}

fn title_of(agreements: &[Value], slug: &Value) -> String {
    find(agreements, "slug", slug).map_or_else(
        || "an agreement not in the record".to_owned(),
        |a| str_of(&a["title"]).to_owned(),
    )
}

fn page_of(slug: &Value) -> String {
    format!("/agreements/{}", str_of(slug))
}

/// One agreement: a card linking to its page.
fn entry(agreement: &Value, agreements: &[Value], parties: &[Value]) -> String {
    let status = label("agreement_status", &agreement["status"]);
    let kind = label("agreement_kind", &agreement["kind"]);
    let mut body = el(
        "h3",
        &[],
        &el(
            "a",
            &[("href", &page_of(&agreement["slug"]))],
            &text(&agreement["title"]),
        ),
    );
    body += &el(
        "p",
        &[("class", "badges")],
        &format!(
            "{} {}",
            badge("kind", &agreement["kind"], &kind),
            badge("agreement", &agreement["status"], &status)
        ),
    );
    let names: Vec<String> = items(&agreement["parties"])
        .map(|code| {
            find(parties, "code", code).map_or_else(
                || str_of(code).to_owned(),
                |p| str_of(&p["name"]).to_owned(),
            )
        })
        .collect();
    body += &el("p", &[], &escape(&format!("Parties: {}", names.join(", "))));
    let relations: Vec<String> = items(&agreement["relations"])
        .map(|relation| {
            let words = format!("{} ", label("relation", &relation["kind"]));
            let other = &relation["agreement"];
            escape(&words)
                + &el(
                    "a",
                    &[("href", &page_of(other))],
                    &escape(&title_of(agreements, other)),
                )
        })
        .collect();
    if !relations.is_empty() {
        body += &el("p", &[("class", "relations")], &relations.join("; "));
    }
    body += &el(
        "p",
        &[("class", "note")],
        &escape(&opening(str_of(&agreement["summary"]), 30)),
    );
    el(
        "li",
        &[("class", "card"), ("data-key", str_of(&agreement["slug"]))],
        &body,
    )
}

/// One change in plain words, linking to the fact on its agreement's page when the fact is
/// still in the record.
async fn change(change: &Value, api: &Reader, agreements: &[Value]) -> String {
    let stamp = el(
        "span",
        &[("class", "stamp")],
        &escape(&when(&change["recorded_at"])),
    );
    let fact = match change["href"].as_str() {
        Some(href) => api.json(href).await,
        None => None,
    };
    let what = fact.as_ref().and_then(|fact| {
        let kind = str_of(&change["resource_type"]);
        let owner = owner(kind, fact)?;
        let name = ["title", "description", "summary", "name"]
            .iter()
            .find_map(|field| fact[*field].as_str())
            .unwrap_or(str_of(&change["slug"]));
        let words = format!(
            "{} {}: “{}”",
            label("type", &change["resource_type"]),
            label("action", &change["action"]),
            opening(name, 14)
        );
        let link = format!("{}#{kind}/{}", page_of(&owner), str_of(&change["slug"]));
        let page = format!(" — {}", title_of(agreements, &owner));
        Some(el("a", &[("href", &link)], &escape(&words)) + &escape(&page))
    });
    let what = what.unwrap_or_else(|| text(&change["description"]));
    el("li", &[], &format!("{stamp} {what}"))
}

/// The agreement a fact is shown under: an agreement is its own; a round, the first agreement
/// it did something for (as web/home.js finds it).
fn owner(kind: &str, fact: &Value) -> Option<Value> {
    match kind {
        "agreement" => Some(fact["slug"].clone()),
        "round" => Some(fact["agreements"][0]["agreement"].clone()).filter(|a| a.is_string()),
        _ => Some(fact["agreement"].clone()).filter(|a| a.is_string()),
    }
}
