//! One card per fact, as web/cards.js builds it: what the fact says, who reports it, and for a
//! commitment its current status with the note, date and quotes that support it and its history.

use serde_json::Value;

use super::context::{Context, attribution, badge, find, items};
use super::html::{el, escape, label, opening, str_of, text, when};

impl Context<'_> {
    pub fn commitment(&self, c: &Value) -> String {
        let key = format!("commitment/{}", str_of(&c["slug"]));
        let badges = format!(
            "{} {}",
            badge("status", &c["status"], &label("status", &c["status"])),
            badge(
                "spec",
                &c["specificity"],
                &label("specificity", &c["specificity"])
            )
        );
        let mut body = el("p", &[("class", "badges")], &badges);
        body += &el("h4", &[], &text(&c["description"]));
        body += &attribution(c);
        if let Some(scope) = c["scope"].as_str() {
            let unspecified = if c["scope_specified"] == Value::Bool(false) {
                " — which exactly, the source says, was not specified"
            } else {
                ""
            };
            let words = format!("Covers “{scope}”{unspecified}");
            body += &el("p", &[("class", "scope")], &escape(&words));
        }
        body += &temporary_terms(&c["temporary"]);
        let toward = format!(
            "Toward {} · {} · under the {}",
            self.party_name(&c["counterparty"]),
            label("category", &c["category"]),
            self.agreement_title(&c["agreement"])
        );
        body += &el("p", &[("class", "note")], &escape(&toward));
        if let Some(other) = c["reciprocates"].as_str() {
            let described = find(self.commitments, "slug", &c["reciprocates"])
                .map_or("another commitment", |r| str_of(&r["description"]));
            let link = el(
                "a",
                &[("href", &format!("#commitment/{other}"))],
                &escape(described),
            );
            body += &el("p", &[], &format!("In return for: {link}"));
        }
        body += &self.evidence(c);
        body += &history(c);
        self.fact_card(&key, &c["slug"], &body)
    }

    /// Where a commitment stands, in the words of its latest status change and its evidence.
    fn evidence(&self, c: &Value) -> String {
        let Some(current) = c["status_history"].as_array().and_then(|h| h.last()) else {
            return String::new();
        };
        let since = match current["date"]["text"].as_str() {
            Some(date) => format!("since “{date}”"),
            None => "the source gives no date".to_owned(),
        };
        let now = el(
            "strong",
            &[],
            &escape(&format!("Now: {}", label("status", &current["status"]))),
        );
        let rest = format!(" · {since} · recorded {}", when(&current["recorded_at"]));
        let mut body = el("p", &[("class", "current")], &(now + &escape(&rest)));
        if let Some(note) = current["note"].as_str() {
            let note = format!("Curator's note: {note}");
            body += &el("p", &[("class", "curator-note")], &escape(&note));
        }
        body += &self.quote_list(&current["provenance"]);
        el("div", &[("class", "evidence")], &body)
    }

    pub fn party(&self, party: &Value) -> String {
        let people: String = items(&party["representatives"])
            .map(|person| {
                let title = person["title"]
                    .as_str()
                    .map_or_else(String::new, |title| escape(&format!(", {title}")));
                el(
                    "li",
                    &[],
                    &(el("strong", &[], &text(&person["name"])) + &title),
                )
            })
            .collect();
        let heading = format!("{} ({})", str_of(&party["name"]), str_of(&party["code"]));
        let mut body =
            el("h3", &[], &escape(&heading)) + &el("ul", &[("class", "people")], &people);
        let institutions = items(&party["institutions"]).map(|i| str_of(&i["name"]).to_owned());
        body += &listed_note("Institutions", institutions);
        let key = format!("party/{}", str_of(&party["code"]));
        self.fact_card(&key, &party["code"], &body)
    }

    pub fn timeline_entry(&self, entry: &Value) -> String {
        let round = entry["kind"] == "round";
        let kind = if round { "round" } else { "milestone" };
        let key = format!("{kind}/{}", str_of(&entry["slug"]));
        let what = if round {
            "Negotiation round".to_owned()
        } else {
            let kind = escape(&format!(
                "{} · ",
                label("milestone", &entry["milestone_kind"])
            ));
            let title = escape(&self.agreement_title(&entry["agreement"]));
            // Another agreement's milestone leads to that agreement's page.
            if &entry["agreement"] == self.agreement {
                kind + &title
            } else {
                let page = format!("/agreements/{}", str_of(&entry["agreement"]));
                kind + &el("a", &[("href", &page)], &title)
            }
        };
        let date = entry["date"]["text"].as_str().unwrap_or("date not given");
        let mut body = el("p", &[("class", "when")], &escape(date));
        body += &el("h3", &[], &text(&entry["title"]));
        body += &el("p", &[("class", "note")], &what);
        let basis = str_of(&entry["order_basis"]);
        let order_note = match basis {
            "inferred" => Some("Placed here by the record, not by the source"),
            "unordered" => Some("The source does not say when this came: listed last"),
            _ => None,
        };
        if let Some(note) = order_note {
            let reason = entry["order_reason"]
                .as_str()
                .map_or_else(|| ".".to_owned(), |reason| format!(": {reason}"));
            let class = format!("order order-{basis}");
            body += &el(
                "p",
                &[("class", &class)],
                &escape(&format!("{note}{reason}")),
            );
        }
        body += &self.buttons(&key);
        let id = self.facts.get(&key).map_or("", |fact| fact.id.as_str());
        let data_key = format!("{}/{}", str_of(&entry["kind"]), str_of(&entry["slug"]));
        el(
            "li",
            &[
                ("id", id),
                ("class", &format!("timeline-entry {kind}")),
                ("tabindex", "-1"),
                ("data-key", &data_key),
            ],
            &body,
        )
    }

    pub fn observation(&self, o: &Value) -> String {
        let kind = badge("kind", &o["kind"], &label("observation", &o["kind"]));
        let mut body = el("p", &[("class", "badges")], &kind);
        body += &el("p", &[], &text(&o["summary"]));
        body += &attribution(o);
        body += &listed_note("Sectors", items(&o["sectors"]).map(|s| self.sector_name(s)));
        let key = format!("observation/{}", str_of(&o["slug"]));
        self.fact_card(&key, &o["slug"], &body)
    }

    pub fn expected_effect(&self, e: &Value) -> String {
        let areas: String = items(&e["areas"])
            .map(|a| el("li", &[], &text(a)))
            .collect();
        let body =
            el("p", &[], &text(&e["description"])) + &el("ul", &[], &areas) + &attribution(e);
        let key = format!("expected_effect/{}", str_of(&e["slug"]));
        self.fact_card(&key, &e["slug"], &body)
    }

    pub fn gap(&self, g: &Value) -> String {
        let kind = badge("gap", &g["kind"], &label("gap", &g["kind"]));
        let mut body = el("p", &[("class", "badges")], &kind);
        body += &el("h3", &[], &escape(&format!("“{}”", str_of(&g["topic"]))));
        body += &el("p", &[], &text(&g["description"]));
        body += &attribution(g);
        let key = format!("gap/{}", str_of(&g["slug"]));
        self.fact_card(&key, &g["slug"], &body)
    }

    pub fn sector(&self, sector: &Value) -> String {
        let mentions: String = items(&sector["mentioned_by"])
            .map(|m| {
                let key = format!("{}/{}", str_of(&m["type"]), str_of(&m["slug"]));
                let title = self
                    .facts
                    .get(&key)
                    .map_or("not on this page", |fact| fact.title.as_str());
                let words = format!("{}: {}", label("type", &m["type"]), opening(title, 12));
                el(
                    "li",
                    &[],
                    &el("a", &[("href", &format!("#{key}"))], &escape(&words)),
                )
            })
            .collect();
        let mut body = el("h3", &[], &text(&sector["name"]));
        body += &el(
            "p",
            &[("class", "note")],
            &escape(&label("sector_kind", &sector["kind"])),
        );
        body += &el("ul", &[], &mentions);
        let key = format!("sector/{}", str_of(&sector["slug"]));
        self.fact_card(&key, &sector["slug"], &body)
    }

    /// An agreement this one builds on, as a card of its own leading to its own page.
    pub fn agreement(&self, agreement: &Value) -> String {
        let status = label("agreement_status", &agreement["status"]);
        let mut body = el(
            "p",
            &[("class", "badges")],
            &badge("agreement", &agreement["status"], &status),
        );
        let page = format!("/agreements/{}", str_of(&agreement["slug"]));
        body += &el(
            "h3",
            &[],
            &el("a", &[("href", &page)], &text(&agreement["title"])),
        );
        body += &el("p", &[], &text(&agreement["summary"]));
        body += &attribution(agreement);
        let key = format!("agreement/{}", str_of(&agreement["slug"]));
        self.fact_card(&key, &agreement["slug"], &body)
    }
}

/// A temporary measure's terms, saying plainly what the source does not give.
fn temporary_terms(terms: &Value) -> String {
    if terms.is_null() {
        return String::new();
    }
    let known = |date: &Value| {
        if date["known"] == Value::Bool(true) {
            str_of(&date["date"]["text"]).to_owned()
        } else {
            "unknown".to_owned()
        }
    };
    let duration = &terms["duration"];
    let coverage = terms["coverage"]
        .as_str()
        .map_or_else(String::new, |coverage| format!(" · covers “{coverage}”"));
    let words = format!(
        "Temporary: {} {}s (“{}”) · starts {} · expires {}{coverage}",
        duration["amount"],
        str_of(&duration["unit"]),
        str_of(&duration["text"]),
        known(&terms["start"]),
        known(&terms["expiry"]),
    );
    el("p", &[("class", "temporary")], &escape(&words))
}

/// The commitment's history as the record holds it; the script reads the API's fuller history
/// when the reader opens it.
fn history(c: &Value) -> String {
    let entries: Vec<&Value> = items(&c["status_history"]).collect();
    let list: String = entries
        .iter()
        .map(|entry| {
            let note = entry["note"]
                .as_str()
                .map_or_else(String::new, |note| format!(" — {note}"));
            let words = format!(
                "{}: {}{note}",
                when(&entry["recorded_at"]),
                label("status", &entry["status"])
            );
            el("li", &[], &escape(&words))
        })
        .collect();
    let count = entries.len();
    let summary = format!(
        "History: {count} status {}",
        if count == 1 { "entry" } else { "entries" }
    );
    el(
        "details",
        &[("class", "history"), ("data-history", str_of(&c["slug"]))],
        &(el("summary", &[], &escape(&summary)) + &el("ol", &[("class", "history-list")], &list)),
    )
}

/// A note listing `names` after `label` ("Sectors: energy, …"), or nothing when there are none.
fn listed_note(label: &str, names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.collect();
    if names.is_empty() {
        return String::new();
    }
    let words = format!("{label}: {}", names.join(", "));
    el("p", &[("class", "note")], &escape(&words))
}
