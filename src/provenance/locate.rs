//! Where a quote sits in its source: a quote must say something (a word of two letters at
//! least), cover whole characters as a reader sees them (grapheme clusters: a letter with its
//! accents, an emoji sequence), and name one place; a quote found several times needs its
//! writer to say which occurrence is meant.

use std::num::NonZeroU32;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Most occurrences named when a quote is ambiguous.
const MAX_NAMED_OCCURRENCES: usize = 10;
/// Most occurrences counted: past this many, a quote cites no place in particular, and counting
/// on would cost a pass per occurrence (they may overlap) for nothing.
const MAX_OCCURRENCES: usize = 1000;

/// Where a quote sits in a text, in Unicode scalar values, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
}

/// Why a quote cannot be placed in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteFault {
    /// No word of two letters: one character, a lone mark, an invisible character.
    TooShort,
    NotFound,
    /// Found only where its first or last character is part of a character of the source (a
    /// letter without its accent, half of an emoji sequence).
    SplitsCharacters,
    /// Found `count` times (more than `MAX_OCCURRENCES` past it) and no occurrence was chosen;
    /// `first` names the first few.
    Ambiguous {
        count: usize,
        first: Vec<QuoteSpan>,
    },
    /// The chosen occurrence is past the last one (or past `MAX_OCCURRENCES`).
    NoSuchOccurrence {
        chosen: NonZeroU32,
        count: usize,
    },
}

impl QuoteFault {
    /// What is wrong, in a sentence that follows "quote … in source `slug`".
    pub fn reason(&self, source: &str) -> String {
        match self {
            Self::TooShort => "a quote must hold at least one word of two letters or more (in \
                               scripts written without spaces, two letters in a row); one \
                               character, a lone mark or an invisible character supports nothing"
                .to_owned(),
            Self::NotFound => format!("quote not found verbatim in source `{source}`"),
            Self::SplitsCharacters => format!(
                "quote found in source `{source}` only where it cuts a character in two (a \
                 letter and its accents, an emoji sequence): quote whole characters"
            ),
            Self::Ambiguous { count, first } => {
                let places: Vec<String> = first
                    .iter()
                    .map(|span| format!("{}-{}", span.start, span.end))
                    .collect();
                let more = if *count > first.len() { ", …" } else { "" };
                format!(
                    "quote occurs {} in source `{source}`, at offsets {}{more} (start-end, in \
                     characters): give `occurrence` (1 to {}) to say which one is meant, or \
                     quote more of the text around it",
                    times(*count),
                    places.join(", "),
                    (*count).min(MAX_OCCURRENCES)
                )
            }
            Self::NoSuchOccurrence { chosen, count } => {
                let past_the_bound = if *count > MAX_OCCURRENCES {
                    format!(
                        "; occurrences are counted up to {MAX_OCCURRENCES}: quote more of the \
                         text around it"
                    )
                } else {
                    String::new()
                };
                format!(
                    "`occurrence` is {chosen}, but the quote occurs {} in source \
                     `{source}`{past_the_bound}",
                    times(*count)
                )
            }
        }
    }

    /// Whether the fault lies with the `occurrence` field rather than the quote.
    pub fn is_about_occurrence(&self) -> bool {
        matches!(self, Self::NoSuchOccurrence { .. })
    }
}

/// Places `quote` in `text`: its only occurrence, or the `occurrence`-th (1-based) when given.
pub fn locate(
    text: &str,
    quote: &str,
    occurrence: Option<NonZeroU32>,
) -> Result<QuoteSpan, QuoteFault> {
    if !says_something(quote) {
        return Err(QuoteFault::TooShort);
    }
    let found = occurrences(text, quote, MAX_OCCURRENCES + 1);
    match (occurrence, found.as_slice()) {
        (_, []) if text.contains(quote) => Err(QuoteFault::SplitsCharacters),
        (_, []) => Err(QuoteFault::NotFound),
        (None, [only]) => Ok(*only),
        (None, several) => Err(QuoteFault::Ambiguous {
            count: several.len(),
            first: several
                .iter()
                .take(MAX_NAMED_OCCURRENCES)
                .copied()
                .collect(),
        }),
        (Some(chosen), all) => {
            let index = chosen.get() as usize - 1;
            all.get(index)
                .filter(|_| index < MAX_OCCURRENCES)
                .copied()
                .ok_or(QuoteFault::NoSuchOccurrence {
                    chosen,
                    count: all.len(),
                })
        }
    }
}

/// "once", "2 times", or "more than 1000 times" past the count's bound.
fn times(count: usize) -> String {
    match count {
        1 => "once".to_owned(),
        count if count > MAX_OCCURRENCES => format!("more than {MAX_OCCURRENCES} times"),
        count => format!("{count} times"),
    }
}

/// Whether `phrase` is the source's wording somewhere (a topic, a date's own words): phrases
/// are stored as words, not as places, so any occurrence will do.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    !occurrences(text, phrase, 1).is_empty()
}

/// Whether a quote holds a word of two letters or more. Words are UAX #29's; scripts written
/// without spaces (Chinese, Japanese) make each ideograph a word of its own, so letters in
/// adjacent words, with nothing between them, count together.
fn says_something(quote: &str) -> bool {
    let mut letters_in_a_row = 0;
    for segment in quote.split_word_bounds() {
        let letters = segment
            .graphemes(true)
            .filter(|grapheme| grapheme.chars().next().is_some_and(char::is_alphabetic))
            .count();
        letters_in_a_row = if letters == 0 {
            0
        } else {
            letters_in_a_row + letters
        };
        if letters_in_a_row >= 2 {
            return true;
        }
    }
    false
}

/// The first `limit` places where `quote` occurs in `text` with both ends on character
/// (grapheme cluster) boundaries, overlapping ones included, in order. One automaton pass over
/// the text: however many times the quote occurs, the search costs the text's length, never
/// the quote's length again for each occurrence.
fn occurrences(text: &str, quote: &str, limit: usize) -> Vec<QuoteSpan> {
    if quote.is_empty() {
        return Vec::new();
    }
    let automaton = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build([quote]);
    // Building fails only past automaton sizes far beyond the longest quote a body may hold.
    let Ok(automaton) = automaton else {
        return Vec::new();
    };
    let quote_chars = quote.chars().count();
    // Character offsets are counted on from the previous occurrence, not from the text's start.
    let (mut counted_to, mut counted) = (0, 0);
    automaton
        .find_overlapping_iter(text)
        .filter(|found| is_boundary(text, found.start()) && is_boundary(text, found.end()))
        .take(limit)
        .map(|found| {
            counted += text[counted_to..found.start()].chars().count();
            counted_to = found.start();
            QuoteSpan {
                start: counted,
                end: counted + quote_chars,
            }
        })
        .collect()
}

fn is_boundary(text: &str, offset: usize) -> bool {
    GraphemeCursor::new(offset, text.len(), true)
        .is_boundary(text, 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nth(n: u32) -> Option<NonZeroU32> {
        NonZeroU32::new(n)
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "China’s Ministry of Commerce — said";
        let span = locate(text, "Ministry", None).unwrap();
        assert_eq!(span, QuoteSpan { start: 8, end: 16 });
        let chars: String = text
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect();
        assert_eq!(chars, "Ministry");
    }

    #[test]
    fn missing_and_empty_quotes_are_not_found() {
        assert_eq!(locate("abc", "abd", None), Err(QuoteFault::NotFound));
        assert_eq!(locate("abc", "", None), Err(QuoteFault::TooShort));
    }

    #[test]
    fn a_quote_must_hold_a_word_of_two_letters() {
        for short in [
            "a", "é", "e\u{301}", "\u{301}", "\u{200b}", "a b", "1234", ".",
        ] {
            assert!(!says_something(short), "{short:?}");
        }
        for meaningful in ["US", "U.S.", "中国", "rare earths", "x ab"] {
            assert!(says_something(meaningful), "{meaningful:?}");
        }
    }

    #[test]
    fn a_quote_that_cuts_a_character_in_two_is_refused() {
        let text = "the cafe\u{301} opened";
        assert_eq!(
            locate(text, "the cafe", None),
            Err(QuoteFault::SplitsCharacters)
        );
        assert_eq!(
            locate(text, "the cafe\u{301}", None),
            Ok(QuoteSpan { start: 0, end: 9 })
        );
    }

    #[test]
    fn a_repeated_quote_needs_its_occurrence_and_overlaps_count() {
        let text = "ab ab ab";
        assert_eq!(
            locate(text, "ab ab", None),
            Err(QuoteFault::Ambiguous {
                count: 2,
                first: vec![
                    QuoteSpan { start: 0, end: 5 },
                    QuoteSpan { start: 3, end: 8 }
                ],
            })
        );
        assert_eq!(
            locate(text, "ab ab", nth(2)),
            Ok(QuoteSpan { start: 3, end: 8 })
        );
        assert_eq!(
            locate(text, "ab ab", nth(3)),
            Err(QuoteFault::NoSuchOccurrence {
                chosen: NonZeroU32::new(3).unwrap(),
                count: 2
            })
        );
        assert_eq!(
            locate("x ab", "ab", nth(1)),
            Ok(QuoteSpan { start: 2, end: 4 })
        );
    }

    #[test]
    fn occurrences_are_counted_up_to_a_bound() {
        let text = "ab ".repeat(MAX_OCCURRENCES + 5);
        let Err(QuoteFault::Ambiguous { count, first }) = locate(&text, "ab", None) else {
            panic!("ambiguous");
        };
        assert_eq!(
            (count, first.len()),
            (MAX_OCCURRENCES + 1, MAX_NAMED_OCCURRENCES)
        );
        let last = u32::try_from(MAX_OCCURRENCES).unwrap();
        assert_eq!(
            locate(&text, "ab", nth(last)).map(|span| span.start),
            Ok(3 * (MAX_OCCURRENCES - 1))
        );
        assert!(matches!(
            locate(&text, "ab", nth(last + 1)),
            Err(QuoteFault::NoSuchOccurrence { .. })
        ));
        assert!(
            QuoteFault::Ambiguous { count, first }
                .reason("s")
                .contains("more than 1000 times")
        );
    }

    #[test]
    fn phrases_are_found_anywhere() {
        assert!(contains_phrase("in May and in May", "in May"));
        assert!(!contains_phrase("in May", "in June"));
        assert!(!contains_phrase("in May", ""));
    }
}
