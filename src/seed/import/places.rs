//! Where a fact is in the imported file, so that every problem names its line: a fact is found
//! by the line that gives its key (`slug = "…"` or `code = "…"`), a reference by the lines that
//! quote the value it names.

use std::path::Path;

pub struct Places {
    file: String,
    lines: Vec<String>,
}

impl Places {
    pub fn new(file: &Path, text: &str) -> Self {
        Self {
            file: file.display().to_string(),
            lines: text.lines().map(str::to_owned).collect(),
        }
    }

    /// `problem`, placed at the line that declares the fact keyed `key` (its first, if several).
    pub fn at(&self, key: &str, problem: String) -> String {
        let declares = |line: &&String| {
            let Some((name, value)) = line.split_once('=') else {
                return false;
            };
            matches!(name.trim(), "slug" | "code") && value.trim() == format!("\"{key}\"")
        };
        match self.line_numbers(declares).first() {
            Some(line) => format!("{}:{line}: {problem}", self.file),
            None => self.nowhere(problem),
        }
    }

    /// `problem`, placed at every line that names `value` as a quoted string.
    pub fn naming(&self, value: &str, problem: String) -> String {
        let quoted = format!("\"{value}\"");
        let lines = self.line_numbers(|line| line.contains(&quoted));
        match lines.as_slice() {
            [] => self.nowhere(problem),
            [line] => format!("{}:{line}: {problem}", self.file),
            lines => {
                let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
                format!("{}:{}: {problem}", self.file, lines.join(","))
            }
        }
    }

    /// `problem` about the fact a message names first in backticks (how the seed's checks
    /// name facts: "commitment `cn-approve-export-applications`: …").
    pub fn of_message(&self, problem: String) -> String {
        match problem.split('`').nth(1) {
            Some(key) if !key.is_empty() => {
                let key = key.to_owned();
                self.at(&key, problem)
            }
            _ => self.nowhere(problem),
        }
    }

    pub fn nowhere(&self, problem: String) -> String {
        format!("{}: {problem}", self.file)
    }

    fn line_numbers(&self, matches: impl Fn(&&String) -> bool) -> Vec<usize> {
        (1..)
            .zip(&self.lines)
            .filter(|(_, line)| matches(line))
            .map(|(number, _)| number)
            .collect()
    }
}
