//! What every card needs beyond its own fact: the names of what it refers to, the buttons that
//! select and cite it (named as web/sources.js names them) and the parts cards share, drawn as
//! web/cards.js draws them.

use serde_json::Value;

use super::html::{Facts, el, escape, opening, str_of, text};

/// What a card needs beyond its own fact: the names of what it refers to.
pub struct Context<'a> {
    /// The slug of the agreement the page is about.
    pub agreement: &'a Value,
    pub facts: &'a Facts,
    pub parties: &'a [Value],
    pub agreements: &'a [Value],
    pub commitments: &'a [Value],
    pub sectors: &'a [Value],
    pub sources: &'a [Value],
}

pub fn find<'a>(items: &'a [Value], field: &str, wanted: &Value) -> Option<&'a Value> {
    items.iter().find(|item| &item[field] == wanted)
}

/// The `name` of the item in `items` whose `field` is `wanted`, or what `missing` says.
fn name_in(
    items: &[Value],
    (field, wanted): (&str, &Value),
    name: &str,
    missing: impl FnOnce() -> String,
) -> String {
    find(items, field, wanted).map_or_else(missing, |item| str_of(&item[name]).to_owned())
}

impl Context<'_> {
    pub fn party_name(&self, code: &Value) -> String {
        name_in(self.parties, ("code", code), "name", || {
            str_of(code).to_owned()
        })
    }

    pub fn agreement_title(&self, slug: &Value) -> String {
        name_in(self.agreements, ("slug", slug), "title", || {
            "an agreement not in the record".to_owned()
        })
    }

    pub fn sector_name(&self, slug: &Value) -> String {
        name_in(self.sectors, ("slug", slug), "name", || {
            str_of(slug).to_owned()
        })
    }

    pub fn source_title(&self, slug: &Value) -> String {
        name_in(self.sources, ("slug", slug), "title", || {
            "a source not in the record".to_owned()
        })
    }

    /// The name of a fact's button, as `showButton` gives it.
    fn name(&self, key: &str) -> String {
        self.facts
            .get(key)
            .map_or_else(|| "Show in source".to_owned(), |fact| fact.name.clone())
    }

    pub fn show_button(&self, key: &str) -> String {
        el(
            "button",
            &[
                ("type", "button"),
                ("class", "quote-button"),
                ("aria-controls", "source-text"),
                ("aria-label", &self.name(key)),
                ("data-fact", key),
            ],
            "Show in source",
        )
    }

    pub fn cite_button(&self, key: &str) -> String {
        let name = self.facts.get(key).map_or_else(
            || opening(key, 7),
            |fact| fact.name.trim_start_matches("Show in source: ").to_owned(),
        );
        el(
            "button",
            &[
                ("type", "button"),
                ("class", "cite-button"),
                ("aria-label", &format!("Cite: {name}")),
                ("data-fact", key),
            ],
            "Cite",
        )
    }

    /// The buttons every selectable fact ends with.
    pub fn buttons(&self, key: &str) -> String {
        format!("{} {}", self.show_button(key), self.cite_button(key))
    }

    pub fn fact_card(&self, key: &str, data_key: &Value, children: &str) -> String {
        let id = self.facts.get(key).map_or("", |fact| fact.id.as_str());
        el(
            "article",
            &[
                ("id", id),
                ("class", "card fact"),
                ("tabindex", "-1"),
                ("data-key", str_of(data_key)),
            ],
            &format!("{children}{}", self.buttons(key)),
        )
    }

    /// Quotes under the title of the source they come from, each source named once.
    pub fn quote_list(&self, quotes: &Value) -> String {
        let quotes = quotes.as_array().map(Vec::as_slice).unwrap_or_default();
        let mut sources: Vec<&Value> = Vec::new();
        for q in quotes {
            if !sources.contains(&&q["source"]) {
                sources.push(&q["source"]);
            }
        }
        let groups: String = sources
            .into_iter()
            .map(|source| {
                let items: String = quotes
                    .iter()
                    .filter(|q| &q["source"] == source)
                    .map(|q| el("li", &[], &el("q", &[], &text(&q["quote"]))))
                    .collect();
                let cite = format!("From “{}”:", self.source_title(source));
                el("p", &[("class", "cite")], &escape(&cite)) + &el("ul", &[], &items)
            })
            .collect();
        el("div", &[("class", "quotes")], &groups)
    }
}

pub fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

pub fn badge(kind: &str, value: &Value, words: &str) -> String {
    let class = format!("badge {kind}-{}", str_of(value));
    el("span", &[("class", &class)], &escape(words))
}

/// Who reports a fact, and, for an inferred one, why the record reads it so.
pub fn attribution(fact: &Value) -> String {
    let reporter = &fact["reported_by"];
    let who = if reporter["kind"] == "source" {
        "The report's own words".to_owned()
    } else {
        format!("Reported by {}", str_of(&reporter["name"]))
    };
    let inferred = if fact["basis"] == "inferred" {
        let reason = fact["basis_reason"].as_str().unwrap_or("null");
        let words = format!(" · Inferred by the record: {reason}");
        el("span", &[("class", "inferred")], &escape(&words))
    } else {
        String::new()
    };
    el(
        "p",
        &[("class", "attribution")],
        &(escape(&who) + &inferred),
    )
}
