//! The first paint's HTML: the template's empty containers filled with the record, in the words
//! of `web/labels.json` (the script's own), every text escaped.

use std::fmt::Write;
use std::sync::LazyLock;

use serde_json::Value;

/// The plain words for the API's codes, shared with the script.
static LABELS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../web/labels.json")).unwrap_or_default()
});

/// What the first paint shows, as the API serves it.
pub struct Record {
    pub agreement: Value,
    pub commitments: Vec<Value>,
    pub source: Value,
    pub text: String,
}

fn label(vocabulary: &str, code: &Value) -> String {
    let code = code.as_str().unwrap_or_default();
    LABELS[vocabulary][code]
        .as_str()
        .map_or_else(|| code.replace('_', " "), str::to_owned)
}

/// Text made safe inside elements and quoted attributes alike (`&`, `<`, `>`, `"`, `'`, `/`).
fn escape(text: &str) -> String {
    html_escape::encode_safe(text).into_owned()
}

fn text(value: &Value) -> String {
    escape(value.as_str().unwrap_or_default())
}

/// The template with each container's content inserted right after its opening tag.
pub fn page(template: &str, record: &Record) -> String {
    let agreement = &record.agreement;
    let slug = agreement["slug"].as_str().unwrap_or_default();
    let party = |code: &Value| {
        agreement["included"]["parties"]
            .as_array()
            .and_then(|parties| parties.iter().find(|party| &party["code"] == code))
            .map_or_else(|| text(code), |party| text(&party["name"]))
    };
    let (ours, earlier): (Vec<&Value>, Vec<&Value>) = record
        .commitments
        .iter()
        .partition(|commitment| commitment["agreement"] == slug);
    let fills = [
        (
            "<p id=\"agreement-summary\" class=\"lede\">",
            text(&agreement["summary"]),
        ),
        (
            "<div id=\"agreement-facts\" class=\"facts\">",
            facts(agreement),
        ),
        ("<tbody id=\"glance-rows\">", glance_rows(&ours, &party)),
        (
            "<ul id=\"glance-gaps\" class=\"gap-list\">",
            gaps(agreement),
        ),
        (
            "<div id=\"parties\" class=\"cards two\">",
            parties(agreement),
        ),
        ("<div id=\"commitments\">", party_groups(&ours, &party)),
        (
            "<div id=\"earlier-commitments\" class=\"cards two\">",
            earlier.iter().map(|c| card(c, &party)).collect(),
        ),
        (
            "<div id=\"gaps\" class=\"cards two\">",
            gap_cards(agreement),
        ),
        (
            "<ul id=\"source-list\" class=\"source-list\">",
            format!("<li>{}</li>", text(&record.source["title"])),
        ),
        (
            "<div id=\"source-text\" class=\"source-text\" tabindex=\"0\" aria-label=\"Full text of the source\">",
            escape(&record.text),
        ),
    ];
    // The record is here already: no loading notice.
    let mut html = template.replacen(">Loading the record…<", " hidden><", 1);
    for (opening, content) in fills {
        if let Some(at) = html.find(opening) {
            html.insert_str(at + opening.len(), &content);
        }
    }
    html
}

fn facts(agreement: &Value) -> String {
    let aims: Vec<String> = agreement["objectives"]
        .as_array()
        .map(|objectives| objectives.iter().map(|o| text(&o["text"])).collect())
        .unwrap_or_default();
    format!(
        "<p><span class=\"badge\">Status: {}</span></p><p>Aims: {}</p>",
        escape(&label("agreement_status", &agreement["status"])),
        aims.join("; ")
    )
}

/// The status at a glance: one row per commitment, its latest change in the source's words.
fn glance_rows(commitments: &[&Value], party: &impl Fn(&Value) -> String) -> String {
    let mut rows = String::new();
    for c in commitments {
        let current = c["status_history"].as_array().and_then(|h| h.last());
        let change = current
            .and_then(|entry| entry["note"].as_str())
            .map_or_else(|| "As recorded".to_owned(), escape);
        let date = current
            .and_then(|entry| entry["date"]["text"].as_str())
            .map_or_else(
                || "no date in the source".to_owned(),
                |d| format!("“{}”", escape(d)),
            );
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{}</th><td><a href=\"#commitment-{}\">{}</a></td><td>{}</td><td>{change} · {date}</td><td><a href=\"#commitment-{}\">Quote</a></td></tr>",
            party(&c["obligor"]),
            text(&c["slug"]),
            text(&c["action"]),
            escape(&label("status", &c["status"])),
            text(&c["slug"]),
        );
    }
    rows
}

fn gaps(agreement: &Value) -> String {
    agreement["included"]["gaps"]
        .as_array()
        .map(|gaps| {
            gaps.iter()
                .map(|gap| format!("<li>{}</li>", text(&gap["description"])))
                .collect()
        })
        .unwrap_or_default()
}

/// Each party with its representatives: who speaks for whom.
fn parties(agreement: &Value) -> String {
    let items = agreement["included"]["parties"].as_array();
    items
        .into_iter()
        .flatten()
        .map(|party| {
            let people: String = party["representatives"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|person| match person["title"].as_str() {
                    Some(title) => format!(
                        "<li><strong>{}</strong>, {}</li>",
                        text(&person["name"]),
                        escape(title)
                    ),
                    None => format!("<li><strong>{}</strong></li>", text(&person["name"])),
                })
                .collect();
            format!(
                "<article class=\"card\"><h3>{} ({})</h3><ul class=\"people\">{people}</ul></article>",
                text(&party["name"]),
                text(&party["code"])
            )
        })
        .collect()
}

/// What the source says is missing, each under its kind in plain words.
fn gap_cards(agreement: &Value) -> String {
    agreement["included"]["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|gap| {
            format!(
                "<article id=\"gap-{}\" class=\"card fact\"><p class=\"badges\"><span class=\"badge\">{}</span></p><h3>“{}”</h3><p>{}</p></article>",
                text(&gap["slug"]),
                escape(&label("gap", &gap["kind"])),
                text(&gap["topic"]),
                text(&gap["description"])
            )
        })
        .collect()
}

fn party_groups(commitments: &[&Value], party: &impl Fn(&Value) -> String) -> String {
    let mut obligors: Vec<&Value> = commitments.iter().map(|c| &c["obligor"]).collect();
    obligors.sort_by_key(|code| code.as_str().unwrap_or_default());
    obligors.dedup();
    obligors
        .into_iter()
        .map(|code| {
            let cards: String = commitments
                .iter()
                .filter(|c| &c["obligor"] == code)
                .map(|c| card(c, party))
                .collect();
            format!(
                "<section class=\"party-group\"><h3>{} undertakes</h3><div class=\"cards\">{cards}</div></section>",
                party(code)
            )
        })
        .collect()
}

/// A commitment: what it says, where it stands now and the quotes that say so.
fn card(c: &Value, party: &impl Fn(&Value) -> String) -> String {
    let current = c["status_history"].as_array().and_then(|h| h.last());
    let quotes: String = current
        .and_then(|entry| entry["provenance"].as_array())
        .map(|quotes| {
            quotes
                .iter()
                .map(|q| format!("<li><q>{}</q></li>", text(&q["quote"])))
                .collect()
        })
        .unwrap_or_default();
    format!(
        "<article id=\"commitment-{}\" class=\"card fact\"><p class=\"badges\"><span class=\"badge status-{}\">{}</span></p><h4>{}</h4><p class=\"note\">Toward {}</p><div class=\"evidence\"><p><strong>Now: {}</strong></p><div class=\"quotes\"><ul>{quotes}</ul></div></div></article>",
        text(&c["slug"]),
        text(&c["status"]),
        escape(&label("status", &c["status"])),
        text(&c["description"]),
        party(&c["counterparty"]),
        escape(&label("status", &c["status"])),
    )
}

#[cfg(test)]
mod tests {
    use super::{Record, escape, page};
    use serde_json::json;

    #[test]
    fn text_from_the_record_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B's\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&#x27;s&quot;&lt;&#x2F;b&gt;"
        );
    }

    #[test]
    fn the_record_fills_the_templates_containers_in_plain_words() {
        let record = Record {
            agreement: json!({"slug": "a", "status": "finalized", "summary": "S <1>",
                "objectives": [], "included": {"parties": [{"code": "CN", "name": "China"}], "gaps": []}}),
            commitments: vec![
                json!({"slug": "c", "agreement": "a", "obligor": "CN", "counterparty": "CN",
                "action": "act", "description": "D", "status": "in_effect",
                "status_history": [{"note": null, "date": null, "provenance": [{"quote": "Q"}]}]}),
            ],
            source: json!({"title": "T"}),
            text: "full text".into(),
        };
        let template =
            "<p id=\"agreement-summary\" class=\"lede\"></p><tbody id=\"glance-rows\"></tbody>";
        let html = page(template, &record);
        assert!(html.contains("class=\"lede\">S &lt;1&gt;</p>"), "{html}");
        assert!(html.contains("<th scope=\"row\">China</th>"), "{html}");
        assert!(html.contains("In effect, not fulfilled"), "{html}");
    }
}
