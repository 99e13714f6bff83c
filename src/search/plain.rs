//! What a person types, read as words and phrases: `rare-earth`, `U.S.`, `AND` or `China's` are
//! words to find, never search syntax. Each term becomes a double-quoted FTS5 string, so that
//! nothing the client typed reaches the engine as an operator.

/// The FTS5 expression that finds every term of `text` (all must match), or `None` when it has
/// no word at all. Double quotes enclose a phrase (an unclosed one runs to the end); outside
/// them, words joined by punctuation (`rare-earth`, `U.S.`) are a phrase of adjacent words, as
/// the index splits them the same way; a `*` at a term's end makes its last word a prefix.
pub fn to_fts5(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for (index, part) in text.split('"').enumerate() {
        // Odd parts are inside double quotes.
        if index % 2 == 1 {
            terms.extend(term(part));
        } else {
            terms.extend(part.split_whitespace().filter_map(term));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// One phrase of the words in `chunk`, prefix-matched when it ends in `*`.
fn term(chunk: &str) -> Option<String> {
    let words: Vec<&str> = chunk
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    // Words hold letters and digits only, so no double quote needs escaping.
    let phrase = format!("\"{}\"", words.join(" "));
    Some(if chunk.trim_end().ends_with('*') {
        phrase + "*"
    } else {
        phrase
    })
}

#[cfg(test)]
mod tests {
    use super::to_fts5;

    #[test]
    fn typed_text_becomes_quoted_words_and_phrases() {
        let cases = [
            ("rare-earth", Some(r#""rare earth""#)),
            ("U.S.", Some(r#""U S""#)),
            ("AND", Some(r#""AND""#)),
            ("rare OR earth NOT", Some(r#""rare" "OR" "earth" "NOT""#)),
            ("China's exports", Some(r#""China s" "exports""#)),
            ("export*", Some(r#""export"*"#)),
            (r#""rare earth" tariffs"#, Some(r#""rare earth" "tariffs""#)),
            (r#""unbalanced quote"#, Some(r#""unbalanced quote""#)),
            ("a:b (c NEAR(d", Some(r#""a b" "c" "NEAR d""#)),
            ("* - \"\" ()", None),
        ];
        for (text, expected) in cases {
            assert_eq!(to_fts5(text).as_deref(), expected, "{text}");
        }
    }
}
