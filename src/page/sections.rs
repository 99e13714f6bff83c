//! The parts of the first paint around the cards: the sources panel with a tab per cited source
//! (as web/sources.js builds it), the other sources' texts for readers without JavaScript, the
//! "last updated" stamp (as web/live.js says it) and the downloads this build can serve.

use serde_json::Value;

use super::html::{el, escape, label, str_of, text, when};

/// The stamp of the latest change, in the words `stamp()` in web/live.js uses.
pub fn stamp(change: &Value) -> String {
    if change.is_null() {
        return String::new();
    }
    let words = format!(
        "Last updated {} (revision {}).",
        when(&change["recorded_at"]),
        change["revision"]
    );
    escape(&words)
}

/// One tab per source; the first is the one shown.
pub fn source_tabs(sources: &[Value]) -> String {
    sources
        .iter()
        .enumerate()
        .map(|(at, source)| {
            let kind = format!(" ({})", label("source_kind", &source["kind"]));
            let tab = el(
                "button",
                &[
                    ("type", "button"),
                    ("class", "source-tab"),
                    ("data-source", str_of(&source["slug"])),
                    ("aria-controls", "source-text"),
                    ("aria-pressed", if at == 0 { "true" } else { "false" }),
                ],
                &(text(&source["title"]) + &el("span", &[("class", "tab-kind")], &escape(&kind))),
            );
            el("li", &[("data-key", str_of(&source["slug"]))], &tab)
        })
        .collect()
}

/// A source's title, kind, what is known of where it comes from and its digest, as
/// `describe()` in web/sources.js says them.
pub fn describe(source: &Value) -> String {
    let known = |item: &Value, what: &str| {
        if item["known"] == Value::Bool(true) {
            let value = item["value"]
                .as_str()
                .map_or_else(|| item["value"].to_string(), str::to_owned);
            format!("{what} {value}")
        } else {
            format!("{what} unknown")
        }
    };
    let metadata = &source["metadata"];
    let digest: String = str_of(&source["sha256"]).chars().take(12).collect();
    escape(&format!(
        "{} ({}; {}; {}; {}; SHA-256 {digest}…)",
        str_of(&source["title"]),
        label("source_kind", &source["kind"]),
        known(&metadata["publisher"], "publisher"),
        known(&metadata["url"], "URL"),
        known(&metadata["published_on"], "published"),
    ))
}

/// Every source after the first, in full: without JavaScript the tabs cannot switch, so each
/// is shown under its title (inside `<noscript>`, so that it costs a scripted page no layout).
pub fn other_sources(sources: &[Value], texts: &[String]) -> String {
    sources
        .iter()
        .zip(texts)
        .skip(1)
        .map(|(source, words)| {
            let heading = el("h3", &[], &text(&source["title"]));
            let meta = el("p", &[("class", "note")], &describe(source));
            let body = el("div", &[("class", "source-text")], &escape(words));
            el(
                "section",
                &[("class", "other-source")],
                &(heading + &meta + &body),
            )
        })
        .collect()
}

/// The template without its Parquet download, for a build that cannot write Parquet.
pub fn without_parquet(template: &str) -> String {
    const OPENING: &str = "<span class=\"parquet-download\">";
    let Some(start) = template.find(OPENING) else {
        return template.to_owned();
    };
    let end = template[start..]
        .find("</span>")
        .map_or(template.len(), |at| start + at + "</span>".len());
    format!("{}{}", &template[..start], &template[end..])
}

#[cfg(test)]
mod tests {
    use super::without_parquet;

    #[test]
    fn a_build_without_parquet_offers_no_parquet_download() {
        let template = "<a>JSON</a><span class=\"parquet-download\"> · <a>Parquet</a></span>.";
        assert_eq!(without_parquet(template), "<a>JSON</a>.");
    }
}
