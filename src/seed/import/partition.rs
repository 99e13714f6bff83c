//! Which facts of an imported file the record lacks. Generic over what a seed file holds: every
//! top-level list of facts keyed by `slug` (or a party's `code`) is compared item by item with
//! the record read back in the same shape, so that a list added to `SeedFile` later is imported
//! with no change here.

use std::collections::{BTreeMap, HashSet};

use toml::{Table, Value};

use super::places::Places;

/// The facts of the file that the record lacks, as a seed file's table, and what was set aside.
pub struct Partition {
    pub fresh: Table,
    /// Facts present in the record and equal to the file's.
    pub unchanged: usize,
    /// (list, change-log slug) of every fact to create, in the file's order.
    pub created: Vec<(String, String)>,
}

/// A fact's key within its list: its `slug`, or a party's `code`.
fn key_of(item: &Value) -> Option<&str> {
    let table = item.as_table()?;
    table
        .get("slug")
        .or_else(|| table.get("code"))
        .and_then(Value::as_str)
}

/// The key under which the change log knows a fact: a party is known by its code in lower case.
fn change_slug(item: &Value) -> Option<String> {
    let table = item.as_table()?;
    match table.get("slug").and_then(Value::as_str) {
        Some(slug) => Some(slug.to_owned()),
        None => table
            .get("code")
            .and_then(Value::as_str)
            .map(str::to_lowercase),
    }
}

/// Splits `file` into what `record` (the current record, read back with the file's default
/// source) lacks and what it holds already. A fact the record holds with other content is a
/// problem: changes to recorded facts go through the API, one reviewed request at a time.
pub fn partition(
    file: &Table,
    record: &Table,
    default_source: &str,
    places: &Places,
    problems: &mut Vec<String>,
) -> Partition {
    let mut fresh = Table::new();
    let mut unchanged = 0;
    let mut created = Vec::new();
    for (name, value) in file {
        let Some(items) = value.as_array() else {
            fresh.insert(name.clone(), value.clone());
            continue;
        };
        let recorded: BTreeMap<&str, &Value> = record
            .get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| Some((key_of(item)?, item)))
            .collect();
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for item in items {
            let Some(key) = key_of(item) else {
                kept.push(item.clone());
                continue;
            };
            if !seen.insert(key) {
                problems.push(places.at(key, format!("{name}: `{key}` is given twice")));
                continue;
            }
            match recorded.get(key) {
                None => {
                    created.extend(change_slug(item).map(|slug| (name.clone(), slug)));
                    kept.push(item.clone());
                }
                Some(present) => {
                    let differing = differing_keys(
                        &normal(item, default_source),
                        &normal(present, default_source),
                    );
                    if differing.is_empty() {
                        unchanged += 1;
                    } else {
                        problems.push(places.at(
                            key,
                            format!(
                                "{name}: `{key}` is in the record already, with other {}: \
                                 change recorded facts through the API (PATCH), not by import",
                                differing.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        fresh.insert(name.clone(), Value::Array(kept));
    }
    Partition {
        fresh,
        unchanged,
        created,
    }
}

/// The top-level keys whose values differ between two facts.
fn differing_keys(file: &Value, record: &Value) -> Vec<String> {
    let empty = Table::new();
    let file = file.as_table().unwrap_or(&empty);
    let record = record.as_table().unwrap_or(&empty);
    let mut keys: Vec<String> = file
        .keys()
        .chain(record.keys())
        .filter(|key| file.get(*key) != record.get(*key))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A fact as compared: what the seed's format lets be written two ways is written one way. A
/// quote of the default source names none, an occurrence of 1 is left out (a quote is found
/// either way), the default source's voice is no `reported_by`, an empty list is no list, and a
/// source's `file` (a name on disk, not part of the record) is left out.
fn normal(value: &Value, default_source: &str) -> Value {
    match value {
        Value::Table(table) => {
            let is_default = |value: &Value| value.as_str() == Some(default_source);
            let quoted = table.contains_key("quote");
            let normal: Table = table
                .iter()
                .filter(|(key, value)| match key.as_str() {
                    "source" => !(quoted && is_default(value)),
                    "occurrence" => value.as_integer() != Some(1),
                    "reported_by" => !is_default(value),
                    "file" => false,
                    _ => !matches!(value, Value::Array(items) if items.is_empty()),
                })
                .map(|(key, value)| (key.clone(), normal(value, default_source)))
                .collect();
            Value::Table(normal)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| normal(item, default_source))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "report";

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    fn split(file: &str, record: &str) -> (Partition, Vec<String>) {
        let places = Places::new(std::path::Path::new("f.toml"), file);
        let mut problems = Vec::new();
        let partition = partition(&table(file), &table(record), SOURCE, &places, &mut problems);
        (partition, problems)
    }

    #[test]
    fn a_fact_written_another_way_with_the_same_meaning_is_unchanged() {
        let file = r#"
            [[gaps]]
            slug = "g"
            reported_by = "report"
            provenance = [{ source = "report", quote = "words", occurrence = 1 }]
            mentions = []
        "#;
        let record = r#"
            [[gaps]]
            slug = "g"
            provenance = [{ quote = "words" }]
        "#;

        let (partition, problems) = split(file, record);

        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(partition.unchanged, 1);
        assert!(partition.created.is_empty());
        assert_eq!(partition.fresh["gaps"].as_array().map(Vec::len), Some(0));
    }

    #[test]
    fn a_recorded_fact_with_other_content_is_a_problem_naming_its_line_and_keys() {
        let file = "[[parties]]\ncode = \"JP\"\nname = \"Nippon\"\n";
        let record = "[[parties]]\ncode = \"JP\"\nname = \"Japan\"\n";

        let (partition, problems) = split(file, record);

        assert_eq!(partition.unchanged, 0);
        assert_eq!(
            problems,
            [
                "f.toml:2: parties: `JP` is in the record already, with other name: change \
              recorded facts through the API (PATCH), not by import"
            ]
        );
    }

    #[test]
    fn new_facts_are_kept_in_order_and_a_key_given_twice_is_a_problem() {
        let file =
            "[[parties]]\ncode = \"JP\"\n[[parties]]\ncode = \"EU\"\n[[parties]]\ncode = \"JP\"\n";

        let (partition, problems) = split(file, "");

        let created = [("parties", "jp"), ("parties", "eu")]
            .map(|(list, slug)| (list.to_owned(), slug.to_owned()));
        assert_eq!(partition.created, created);
        assert_eq!(problems, ["f.toml:2: parties: `JP` is given twice"]);
    }
}
