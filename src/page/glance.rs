//! The status at a glance, as web/glance.js draws it: the filters' choices, one row per
//! commitment of the framework with its latest change in the source's words, and its gaps.

use serde_json::Value;

use super::context::{Context, items};
use super::html::{el, escape, label, opening, str_of, text};

fn choices(all: &str, values: &[(String, String)]) -> String {
    let mut html = el("option", &[("value", "")], &escape(all));
    for (value, words) in values {
        html += &el("option", &[("value", value)], &escape(words));
    }
    html
}

pub fn party_choices(ours: &[&Value], context: &Context) -> String {
    let mut codes: Vec<&str> = ours.iter().map(|c| str_of(&c["obligor"])).collect();
    codes.sort_unstable();
    codes.dedup();
    let values: Vec<(String, String)> = codes
        .into_iter()
        .map(|code| (code.to_owned(), context.party_name(&code.into())))
        .collect();
    choices("All parties", &values)
}

pub fn status_choices(ours: &[&Value]) -> String {
    let mut values: Vec<(String, String)> = Vec::new();
    for c in ours {
        let status = str_of(&c["status"]).to_owned();
        if !values.iter().any(|(known, _)| known == &status) {
            values.push((status, label("status", &c["status"])));
        }
    }
    choices("Any status", &values)
}

pub fn sector_choices(sectors: &[Value]) -> String {
    let values: Vec<(String, String)> = sectors
        .iter()
        .map(|s| (str_of(&s["slug"]).to_owned(), str_of(&s["name"]).to_owned()))
        .collect();
    choices("Any sector", &values)
}

/// The commitments in the order the glance table lists them: by the party that undertakes them.
fn by_obligor<'a>(ours: &[&'a Value]) -> Vec<&'a Value> {
    let mut sorted = ours.to_vec();
    sorted.sort_by_key(|c| str_of(&c["obligor"]));
    sorted
}

/// The status at a glance: one row per commitment, its latest change in the source's words.
pub fn rows(ours: &[&Value], context: &Context) -> String {
    by_obligor(ours)
        .into_iter()
        .map(|c| glance_row(c, context))
        .collect()
}

fn glance_row(c: &Value, context: &Context) -> String {
    let current = c["status_history"].as_array().and_then(|h| h.last());
    let change = match current.and_then(|entry| entry["note"].as_str()) {
        Some(note) => note.to_owned(),
        None if current.is_some_and(|entry| entry["sequence"] == 1) => {
            "As first recorded".to_owned()
        }
        None => "Status changed".to_owned(),
    };
    let date = current
        .and_then(|entry| entry["date"]["text"].as_str())
        .map_or_else(|| "no date in the source".to_owned(), |d| format!("“{d}”"));
    let what = match c["action"].as_str().filter(|a| !a.is_empty()) {
        Some(action) => {
            let mut chars = action.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => opening(str_of(&c["description"]), 12),
    };
    let link = format!("#commitment/{}", str_of(&c["slug"]));
    let sectors: Vec<&str> = items(&c["sectors"]).map(str_of).collect();
    let toward = format!(" · toward {}", context.party_name(&c["counterparty"]));
    let cells = [
        el(
            "th",
            &[("scope", "row"), ("data-label", "Party")],
            &escape(&context.party_name(&c["obligor"])),
        ),
        el(
            "td",
            &[("data-label", "Commitment")],
            &(el("a", &[("href", &link)], &escape(&what))
                + &el("span", &[("class", "note")], &escape(&toward))),
        ),
        el(
            "td",
            &[("data-label", "Status")],
            &escape(&label("status", &c["status"])),
        ),
        el(
            "td",
            &[("data-label", "Last change")],
            &escape(&format!("{change} · {date}")),
        ),
        el(
            "td",
            &[("data-label", "Evidence")],
            &el(
                "a",
                &[
                    ("href", &link),
                    ("class", "evidence-link"),
                    ("aria-label", &format!("The quote for: {what}")),
                ],
                "Quote",
            ),
        ),
    ];
    el(
        "tr",
        &[
            ("data-party", str_of(&c["obligor"])),
            ("data-status", str_of(&c["status"])),
            ("data-sectors", &sectors.join(" ")),
            ("data-key", str_of(&c["slug"])),
        ],
        &cells.concat(),
    )
}

pub fn gaps(gaps: &[Value]) -> String {
    gaps.iter()
        .map(|gap| {
            let sectors: Vec<&str> = items(&gap["sectors"]).map(str_of).collect();
            let link = el(
                "a",
                &[("href", &format!("#gap/{}", str_of(&gap["slug"])))],
                &text(&gap["description"]),
            );
            el(
                "li",
                &[
                    ("data-sectors", &sectors.join(" ")),
                    ("data-key", str_of(&gap["slug"])),
                ],
                &link,
            )
        })
        .collect()
}
