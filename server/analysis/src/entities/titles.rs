//! Titles attached to people: before the name ("Chinese Premier Li Keqiang",
//! "the late DPRK founder Kim Il Sung"), in apposition after it ("Choe Son Hui,
//! the vice foreign minister,"), relational ("his Russian counterpart Igor
//! Morgulov"), and titles standing alone as a reference ("the premier").
//!
//! Titles are found by scanning tokens outward from a name span; each scan is
//! bounded (a dozen tokens) so the cost per name is constant.

use super::lexicon::{SENTENCE_WORD_SET, in_list, lexicon, with_lowercase};
use super::tokens::{Token, TokenKind};
use super::{TitleCandidate, TitlePlacement};
use crate::model::Span;

/// Words that may join the parts of a title ("Minister for the Development of the Far East").
const TITLE_CONNECTORS: &[&str] = &["of", "for", "the", "and", "on", "to"];

/// Lowercase words that make a title relational: defined by another person.
const RELATIONAL_WORDS: &[&str] = &["counterpart", "counterparts", "successor", "predecessor"];

/// Words a normalised title leaves out.
const DROPPED_IN_NORMALIZED: &[&str] = &["the", "late", "former", "then", "a", "an", "his", "her", "their"];

/// The longest title scan, in tokens.
const MAX_TITLE_TOKENS: usize = 14;

fn is_title_word(prose: &str, token: Token) -> bool {
    token.kind == TokenKind::Word && lexicon().is_title_word(token.text(prose))
}

/// Finds a title written directly before the name that starts at token
/// `name_start`, not reaching before token `floor` (the sentence start or the
/// end of the previous mention).
pub fn title_before(prose: &str, tokens: &[Token], floor: usize, name_start: usize) -> Option<TitleCandidate> {
    let mut first = name_start;
    let mut saw_title_word = false;
    let mut index = name_start;
    while index > floor && name_start - index < MAX_TITLE_TOKENS {
        let token = tokens[index - 1];
        let text = token.text(prose);
        let accepted = match token.kind {
            TokenKind::Possessive => true,
            TokenKind::Word => {
                if is_title_word(prose, token) {
                    saw_title_word = true;
                    true
                } else if token.caps.is_capitalized() {
                    !lexicon().is_sentence_word(text)
                } else {
                    with_lowercase(text, |lower| {
                        TITLE_CONNECTORS.contains(&lower) || lower == "late" || lower == "former" || lower == "acting"
                    }) || lexicon().nationality(text).is_some()
                }
            }
            TokenKind::Punct => text == "-" && index >= 2 && tokens[index - 2].kind == TokenKind::Word,
            TokenKind::Number => false,
        };
        if !accepted {
            break;
        }
        index -= 1;
        first = index;
    }
    if !saw_title_word {
        return None;
    }
    // Drop leading connectors, articles and stray punctuation; a title starts at a content word.
    while first < name_start {
        let token = tokens[first];
        let text = token.text(prose);
        let is_connector = token.kind != TokenKind::Word
            || with_lowercase(text, |lower| TITLE_CONNECTORS.contains(&lower) && lower != "late");
        if !is_connector {
            break;
        }
        first += 1;
    }
    // A title must end with a title word or a qualifier after one; trim
    // trailing connectors (they belong to neither title nor name).
    let mut last = name_start;
    while last > first {
        let token = tokens[last - 1];
        if token.kind == TokenKind::Word && !in_list(TITLE_CONNECTORS, token.text(prose)) {
            break;
        }
        last -= 1;
    }
    if first >= last || !(first..last).any(|index| is_title_word(prose, tokens[index])) {
        return None;
    }
    let span = Span::new(tokens[first].span.start, tokens[last - 1].span.end);
    let relational = (first..last).any(|index| in_list(RELATIONAL_WORDS, tokens[index].text(prose)));
    let placement = if relational { TitlePlacement::Relational } else { TitlePlacement::Before };
    Some(make_title(prose, tokens, first..last, span, placement))
}

/// Finds an apposition title after the name ending at token `name_end`
/// (exclusive): `, [the] ... title-word ... ,` ("Choe Son Hui, the vice foreign minister,").
pub fn title_after(prose: &str, tokens: &[Token], name_end: usize, ceiling: usize) -> Option<TitleCandidate> {
    if name_end >= ceiling || tokens[name_end].text(prose) != "," {
        return None;
    }
    let mut index = name_end + 1;
    let start = index;
    let mut saw_title_word = false;
    while index < ceiling && index - start < MAX_TITLE_TOKENS {
        let token = tokens[index];
        let text = token.text(prose);
        match token.kind {
            TokenKind::Word => {
                if is_title_word(prose, token) {
                    saw_title_word = true;
                } else if (!saw_title_word && index - start > 4)
                    || with_lowercase(text, |lower| {
                        SENTENCE_WORD_SET.contains_exact(lower)
                            && !TITLE_CONNECTORS.contains(&lower)
                            && !matches!(lower, "a" | "an" | "his" | "her" | "its" | "their")
                    })
                {
                    return None;
                }
            }
            TokenKind::Possessive => {}
            TokenKind::Punct if matches!(text, "," | "." | ";" | ")" | "—" | "–") => break,
            TokenKind::Punct if text == "-" => {}
            _ => return None,
        }
        index += 1;
    }
    if !saw_title_word || index == start {
        return None;
    }
    let mut first = start;
    while first < index && with_lowercase(tokens[first].text(prose), |lower| matches!(lower, "the" | "a" | "an")) {
        first += 1;
    }
    if first >= index {
        return None;
    }
    let span = Span::new(tokens[first].span.start, tokens[index - 1].span.end);
    Some(make_title(prose, tokens, first..index, span, TitlePlacement::Apposition))
}

fn make_title(
    prose: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    span: Span,
    placement: TitlePlacement,
) -> TitleCandidate {
    let mut normalized = String::with_capacity(span.len());
    for token in &tokens[range] {
        let text = token.text(prose);
        if token.kind == TokenKind::Possessive {
            continue;
        }
        if in_list(DROPPED_IN_NORMALIZED, text) && normalized.is_empty() || in_list(&["late", "former"], text) {
            continue;
        }
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.push_str(&text.to_lowercase());
    }
    TitleCandidate { span, text: prose[span.start..span.end].to_owned(), normalized, placement }
}

/// Finds titles standing alone as references: "the premier", "the vice
/// foreign minister" (an article, optional modifiers, a title word, and no
/// name after it). Returns token ranges of the title words.
///
/// Asked for every token of the paragraph, and almost every token is not
/// "the": a token of another length is answered here, inlined at the
/// caller, without the call.
#[inline]
pub fn standalone_title(
    prose: &str,
    tokens: &[Token],
    article: usize,
    ceiling: usize,
) -> Option<std::ops::Range<usize>> {
    if tokens[article].span.len() != "the".len() {
        return None;
    }
    standalone_title_after_three_letters(prose, tokens, article, ceiling)
}

/// [`standalone_title`] for a token of three bytes.
fn standalone_title_after_three_letters(
    prose: &str,
    tokens: &[Token],
    article: usize,
    ceiling: usize,
) -> Option<std::ops::Range<usize>> {
    if !in_list(&["the"], tokens[article].text(prose)) {
        return None;
    }
    let mut index = article + 1;
    while index < ceiling && index - article <= 4 {
        let token = tokens[index];
        if token.kind != TokenKind::Word {
            return None;
        }
        if is_title_word(prose, token) {
            // The head title word must be the last title word in a row.
            let mut end = index + 1;
            while end < ceiling && is_title_word(prose, tokens[end]) {
                end += 1;
            }
            // A name right after ("the premier Li Keqiang") or a qualifier
            // ("the minister of ...") is not a standalone reference.
            if let Some(next) = tokens.get(end)
                && end < ceiling
                && (next.is_capitalized_word() || in_list(&["of", "for"], next.text(prose)))
            {
                return None;
            }
            let head = tokens[end - 1].text(prose);
            // Generic words that are titles only with a name ("official", "head") are not references.
            if in_list(
                &[
                    "official",
                    "officials",
                    "head",
                    "chief",
                    "officer",
                    "executive",
                    "analyst",
                    "analysts",
                    "counterpart",
                    "deputy",
                    "vice",
                    "prime",
                    "general",
                    "major",
                    "major",
                    "representative",
                    "justice",
                ],
                head,
            ) {
                return None;
            }
            return Some(article + 1..end);
        }
        if token.caps.is_capitalized() || SENTENCE_WORD_SET.contains(token.text(prose)) {
            return None;
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    /// Finds the name `name` in `input` and renders the title found before or after it.
    fn check(input: &str, name: &str, expect: &str) {
        let tokens = tokenize(input);
        let name_start_byte = input.find(name).expect("name in input");
        let name_end_byte = name_start_byte + name.len();
        let start = tokens.iter().position(|token| token.span.start == name_start_byte).expect("token start");
        let end = tokens.iter().position(|token| token.span.end == name_end_byte).expect("token end") + 1;
        let title = title_before(input, &tokens, 0, start).or_else(|| title_after(input, &tokens, end, tokens.len()));
        let rendered = title.map_or_else(
            || "-".to_owned(),
            |title| format!("{:?} {:?} [{}]", title.placement, title.text, title.normalized),
        );
        assert_eq!(rendered, expect, "input: {input:?}");
    }

    #[test]
    fn titles_around_names() {
        check("Chinese Premier Li Keqiang said", "Li Keqiang", "Before \"Chinese Premier\" [chinese premier]");
        check(
            "the late DPRK founder Kim Il Sung's visit",
            "Kim Il Sung",
            "Before \"late DPRK founder\" [dprk founder]",
        );
        check(
            "met his Russian counterpart Igor Morgulov in",
            "Igor Morgulov",
            "Relational \"Russian counterpart\" [russian counterpart]",
        );
        check(
            "with Russian Minister for the Development of the Far East Alexander Kozlov while",
            "Alexander Kozlov",
            "Before \"Russian Minister for the Development of the Far East\" [russian minister for the development of the far east]",
        );
        check(
            "Earlier, the U.S. envoy for the DPRK Stephen Biegun urged",
            "Stephen Biegun",
            "Before \"U.S. envoy for the DPRK\" [u.s. envoy for the dprk]",
        );
        check(
            "Meanwhile, DPRK's Vice Foreign Minister Choe Son Hui said",
            "Choe Son Hui",
            "Before \"DPRK's Vice Foreign Minister\" [dprk vice foreign minister]",
        );
        check(
            "Choe Son Hui, the vice foreign minister, said",
            "Choe Son Hui",
            "Apposition \"vice foreign minister\" [vice foreign minister]",
        );
        check("between Trump and Kim in Hanoi", "Kim", "-");
        check("Yesterday the crowd met Ana Lopes.", "Ana Lopes", "-");
    }

    #[test]
    fn standalone_titles() {
        let input = "the premier said the minister of health and the premier Li agreed";
        let tokens = tokenize(input);
        let found: Vec<String> = (0..tokens.len())
            .filter_map(|index| standalone_title(input, &tokens, index, tokens.len()))
            .map(|range| input[tokens[range.start].span.start..tokens[range.end - 1].span.end].to_owned())
            .collect();
        assert_eq!(found, ["premier"]);
    }
}
