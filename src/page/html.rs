//! Markup built the way the script's `element()` builds it (web/dom.js), in the script's own
//! words (web/labels.json), so that the script finds the server's nodes equal to its own and keeps
//! them: the same elements, attributes and text, every text escaped.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

/// The plain words for the API's codes, shared with the script.
static LABELS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../web/labels.json")).unwrap_or_default()
});

/// Text made safe inside elements and quoted attributes alike (`&`, `<`, `>`, `"`, `'`, `/`).
pub fn escape(text: &str) -> String {
    html_escape::encode_safe(text).into_owned()
}

/// A string of the record, escaped (nothing for a missing one).
pub fn text(value: &Value) -> String {
    escape(str_of(value))
}

pub fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// `<tag attributes…>children</tag>`; `children` is markup already, attribute values are text.
pub fn el(tag: &str, attributes: &[(&str, &str)], children: &str) -> String {
    let mut html = format!("<{tag}");
    for (name, value) in attributes {
        html.push_str(&format!(" {name}=\"{}\"", escape(value)));
    }
    format!("{html}>{children}</{tag}>")
}

/// Inserts each content right after its container's opening tag, as the script fills the
/// container.
pub fn fill_containers<'a>(html: &mut String, fills: impl IntoIterator<Item = (&'a str, String)>) {
    for (opening, content) in fills {
        if let Some(at) = html.find(opening) {
            html.insert_str(at + opening.len(), &content);
        }
    }
}

/// The words for `code` in `vocabulary`, as `label()` in web/labels.js says them.
pub fn label(vocabulary: &str, code: &Value) -> String {
    let code = code
        .as_str()
        .map_or_else(|| code.to_string(), str::to_owned);
    if let Some(known) = LABELS[vocabulary][code.as_str()].as_str() {
        return known.to_owned();
    }
    let words = code.replace(['_', '-'], " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The first `words` words of a text, as `opening()` in web/dom.js.
pub fn opening(text: &str, words: usize) -> String {
    let all: Vec<&str> = text.split_whitespace().collect();
    if all.len() <= words {
        all.join(" ")
    } else {
        format!("{}…", all[..words].join(" "))
    }
}

/// A timestamp as `when()` in web/dom.js says it: "28 Nov 2026, 00:00 UTC".
pub fn when(timestamp: &Value) -> String {
    str_of(timestamp)
        .parse::<jiff::Timestamp>()
        .map(|at| at.strftime("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// One selectable fact: its element's id, its title, its quotes and its button's name.
pub struct Fact {
    pub id: String,
    pub title: String,
    pub quotes: Vec<Value>,
    pub name: String,
}

/// Every fact the page shows by key (`type/slug`), named as `registerFact` in web/sources.js
/// names them (registered in the same order, so that each gets the same name).
#[derive(Default)]
pub struct Facts {
    facts: HashMap<String, Fact>,
    /// The keys in the order they were registered (a script `Map`'s order).
    order: Vec<String>,
    names: HashMap<String, String>,
}

impl Facts {
    pub fn register(&mut self, key: &str, id: Option<String>, title: &Value, quotes: &Value) {
        let title = str_of(title).to_owned();
        let quotes = quotes.as_array().cloned().unwrap_or_default();
        let mut candidates: Vec<String> = quotes
            .iter()
            .map(|q| format!("Show in source: {}", opening(str_of(&q["quote"]), 7)))
            .collect();
        candidates.push(format!("Show in source: {}", opening(&title, 10)));
        candidates.push(format!("Show in source: {title}"));
        let name = candidates
            .into_iter()
            .find(|candidate| self.names.get(candidate).is_none_or(|holder| holder == key))
            .unwrap_or_else(|| format!("Show in source: {key}"));
        self.names.insert(name.clone(), key.to_owned());
        let id = id.unwrap_or_else(|| key.replacen('/', "-", 1));
        if !self.facts.contains_key(key) {
            self.order.push(key.to_owned());
        }
        self.facts.insert(
            key.to_owned(),
            Fact {
                id,
                title,
                quotes,
                name,
            },
        );
    }

    pub fn get(&self, key: &str) -> Option<&Fact> {
        self.facts.get(key)
    }

    pub fn in_order(&self) -> impl Iterator<Item = &Fact> {
        self.order.iter().filter_map(|key| self.facts.get(key))
    }
}

#[cfg(test)]
mod tests {
    use super::{Facts, escape, label, opening, when};
    use serde_json::json;

    #[test]
    fn text_from_the_record_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B's\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&#x27;s&quot;&lt;&#x2F;b&gt;"
        );
    }

    #[test]
    fn words_are_said_as_the_script_says_them() {
        assert_eq!(
            label("status", &json!("in_effect")),
            "In effect, not fulfilled"
        );
        assert_eq!(label("status", &json!("not_a-code")), "Not a code");
        assert_eq!(opening("one two  three", 2), "one two…");
        assert_eq!(
            when(&json!("2026-11-28T09:05:00.000000Z")),
            "28 Nov 2026, 09:05 UTC"
        );
    }

    #[test]
    fn two_facts_opening_alike_get_distinct_names() {
        let mut facts = Facts::default();
        let quotes = json!([{"quote": "the same words"}]);
        facts.register("gap/a", None, &json!("A"), &quotes);
        facts.register("gap/b", None, &json!("B"), &quotes);
        assert_eq!(
            facts.get("gap/a").unwrap().name,
            "Show in source: the same words"
        );
        assert_eq!(facts.get("gap/b").unwrap().name, "Show in source: B");
        assert_eq!(facts.get("gap/b").unwrap().id, "gap-b");
    }
}
