//! Cues: the words that say a statement is someone's, in every order.
//!
//! `X said`, `said X`, `X said Friday that ...`, `X told reporters`, `X said in a
//! statement`, `according to X`, `TASS quoted X as telling reporters`,
//! participles that borrow their clause's subject (`..., saying ...`,
//! `..., adding that ...`), and the impersonal `it is understood that`. Each cue
//! comes with its source phrase (when the sentence names one) and the span of
//! the content it introduces: the clause after it (`that ...`, `to ...`) or,
//! when the cue closes the sentence (`..., sources said.`), the clause before.

use std::ops::Range;

use crate::model::{SourceKind, Span};

use super::lexicon::{SpeechVerb, VerbForm, lexicon};
use super::sources::{self, SourcePhrase, is_time_word};
use super::words::{Token, TokenKind};

/// What kind of cue was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A speech verb ("said", "urged").
    Verb(SpeechVerb),
    /// "according to X".
    AccordingTo,
    /// "X quoted Y as saying": Y is the source, X relays.
    QuotedAs,
    /// "it is understood that": an impersonal, anonymous source.
    Impersonal,
    /// A credit line: "(With input from Reuters)".
    Credit,
}

/// One cue in a sentence, with its source and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// The cue words ("said", "said in a press statement", "according to").
    pub span: Span,
    pub kind: CueKind,
    /// Token index of the first token of the cue's clause (source or verb),
    /// used to tell which cue follows a quote directly.
    pub clause_start: usize,
    /// Token index just after the cue (and its source, when inverted).
    pub clause_end: usize,
    pub source: Option<SourcePhrase>,
    /// Relaying agencies named by the cue itself ("TASS quoted ...").
    pub via: Option<SourcePhrase>,
    /// The reported content, when the sentence gives one.
    pub content: Option<Span>,
    /// True when the source was borrowed from the clause's subject (`, saying`).
    pub borrowed_source: bool,
    /// True for `said X` after a comma or quote: its content is before it.
    pub inverted: bool,
}

/// Words after a verb that are part of the cue ("said in a press statement").
const STATEMENT_NOUNS: &[&str] = &[
    "statement",
    "interview",
    "tweet",
    "post",
    "speech",
    "letter",
    "email",
    "release",
    "briefing",
    "conference",
    "video",
    "message",
    "op-ed",
    "memo",
    "report",
    "column",
];

/// Nouns for a written or shown message, which a participle after them
/// reports ("an email saying", "signs reading").
const MESSAGE_NOUNS: &[&str] = &[
    "email",
    "emails",
    "statement",
    "message",
    "messages",
    "tweet",
    "tweets",
    "post",
    "letter",
    "note",
    "sign",
    "signs",
    "banner",
    "banners",
    "ad",
    "ads",
    "video",
    "release",
    "memo",
    "headline",
    "text",
    "shirt",
    "shirts",
    "placard",
    "placards",
    "chants",
];

/// Auxiliaries that make a base form a verb ("will say", "did not deny").
const AUXILIARIES: &[&str] = &[
    "will", "would", "did", "does", "do", "could", "can", "may", "might", "must", "should", "shall", "not", "also",
    "never", "always", "often", "later", "n't", "didn't", "don't", "doesn't", "won't", "wouldn't", "cannot",
];

/// Words before a verb form that make it passive or a noun, not a cue.
const NOT_A_CUE_BEFORE: &[&str] = &[
    "is", "was", "were", "are", "be", "been", "being", "the", "a", "an", "his", "her", "their", "its", "this", "these",
    "those", "my", "our", "your", "so", "news", "media", "press", "of", "no", "any", "some", "many", "without", "not",
    "get", "got", "gets", "with",
];

/// Finds every cue in the sentence `sentence` (token indices). `inside_quote`
/// marks the tokens inside quotation marks, which never hold cues.
pub fn find(prose: &str, tokens: &[Token], inside_quote: &[bool], sentence: Range<usize>, out: &mut Vec<Cue>) {
    let first_cue = out.len();
    let lexicon = lexicon();
    let mut index = sentence.start;
    // The clause floor (see [`clause_floor`]) kept up to date as `index`
    // moves forward (it never moves back): the tokens since the last word
    // are looked at once, where a walk back to the sentence start for every
    // word made the scan quadratic in the sentence's length.
    let mut floor = sentence.start;
    let mut floor_scanned_to = sentence.start;
    while index < sentence.end {
        let token = tokens[index];
        if inside_quote[index] || !token.is_word() {
            index += 1;
            continue;
        }
        let word = token.text(prose);
        if let Some(last) = tokens[floor_scanned_to..index].iter().rposition(|token| ends_clause(*token)) {
            floor = floor_scanned_to + last + 1;
        }
        floor_scanned_to = index;
        debug_assert_eq!(floor, clause_floor(tokens, sentence.start, index));
        // "according to X"
        if (word == "according" || word == "According")
            && tokens.get(index + 1).is_some_and(|next| next.text(prose) == "to")
        {
            let source = sources::forward_after_preposition(prose, tokens, index + 2, sentence.end);
            let clause_end = source.map_or(index + 2, |source| source.last + 1);
            out.push(Cue {
                span: Span::new(token.span.start, tokens[index + 1].span.end),
                kind: CueKind::AccordingTo,
                clause_start: index,
                clause_end,
                source,
                via: None,
                content: None,
                borrowed_source: false,
                inverted: false,
            });
            index = clause_end;
            continue;
        }
        // "it is understood that"
        if matches!(word, "it" | "It")
            && tokens.get(index + 1).is_some_and(|next| matches!(next.text(prose), "is" | "was"))
            && tokens
                .get(index + 2)
                .is_some_and(|next| matches!(next.text(prose), "understood" | "believed" | "reported" | "said"))
        {
            out.push(Cue {
                span: Span::new(tokens[index + 1].span.start, tokens[index + 2].span.end),
                kind: CueKind::Impersonal,
                clause_start: index,
                clause_end: index + 3,
                source: None,
                via: None,
                content: None,
                borrowed_source: false,
                inverted: false,
            });
            index += 3;
            continue;
        }
        // Speech verbs are 3 to 13 ASCII letters; most words are ruled out
        // before any hashing.
        let plausible = (3..=13).contains(&word.len()) && word.as_bytes()[1].is_ascii_lowercase();
        let Some(verb) = plausible.then(|| lexicon.speech_verb(word)).flatten() else {
            index += 1;
            continue;
        };
        // "X quoted Y as saying"
        if verb.lemma == "quote"
            && let Some(as_index) = (index + 2..sentence.end.min(index + 8)).find(|position| {
                tokens[*position].text(prose) == "as"
                    && tokens.get(position + 1).is_some_and(|next| {
                        lexicon.speech_verb(next.text(prose)).is_some_and(|verb| verb.form == VerbForm::Participle)
                    })
            })
        {
            let relay = sources::backward(prose, tokens, index, floor);
            let source = sources::forward(prose, tokens, index + 1, as_index);
            out.push(Cue {
                span: Span::new(token.span.start, tokens[as_index + 1].span.end),
                kind: CueKind::QuotedAs,
                clause_start: relay.map_or(index, |relay| relay.first),
                clause_end: as_index + 2,
                source,
                via: relay,
                content: None,
                borrowed_source: false,
                inverted: false,
            });
            index = as_index + 2;
            continue;
        }
        let previous = (index > sentence.start).then(|| tokens[index - 1]);
        let previous_word = previous.filter(|previous| previous.is_word()).map(|previous| previous.text(prose));
        // "Varga is calling the plan \"a maze\"", "she was telling donors": a
        // progressive form; the source is before the auxiliary.
        let progressive = verb.form == VerbForm::Participle
            && index >= sentence.start + 2
            && previous_word.is_some_and(|previous| matches!(previous, "is" | "are" | "was" | "were" | "been"));
        // "sent an email saying", "carried signs reading": the message says it,
        // on behalf of the clause's subject.
        let message_participle = verb.form == VerbForm::Participle
            && previous_word.is_some_and(|previous| MESSAGE_NOUNS.contains(&previous));
        if !progressive
            && previous_word
                .is_some_and(|previous| NOT_A_CUE_BEFORE.iter().any(|word| word.eq_ignore_ascii_case(previous)))
        {
            index += 1;
            continue;
        }
        // "Berg's comments": after a possessive a present form is a plural noun.
        if verb.form == VerbForm::Present
            && previous_word.is_some_and(|word| word.ends_with("'s") || word.ends_with("\u{2019}s"))
        {
            index += 1;
            continue;
        }
        // "a group called Forward", "a class called \"Ports\"": naming, not speech.
        if verb.lemma == "call" && verb.form == VerbForm::Past && names_a_thing(prose, tokens, sentence.start, index) {
            index += 1;
            continue;
        }
        // Mid-sentence capitals are names ("the United States"), not verbs.
        if token.capitalized
            && index > sentence.start
            && !matches!(previous.map(|previous| previous.kind), Some(TokenKind::Mark(_)))
        {
            index += 1;
            continue;
        }
        // A base form needs an auxiliary or a plural subject ("officials say");
        // otherwise it is a noun or an infinitive ("state visit", "to say").
        if verb.form == VerbForm::Base
            && !previous_word.is_some_and(|previous| {
                AUXILIARIES.contains(&previous)
                    || matches!(previous, "I" | "we" | "We" | "they" | "They" | "you" | "You")
                    || PLURALS_WITHOUT_S.contains(&previous)
                    || (previous.ends_with('s')
                        && !previous.ends_with("ss")
                        && !previous.ends_with("'s")
                        && !previous.ends_with("\u{2019}s"))
            })
        {
            index += 1;
            continue;
        }
        // "The new posts were": a present form followed by a verb is a plural noun.
        if verb.form == VerbForm::Present
            && tokens.get(index + 1).filter(|_| index + 1 < sentence.end).is_some_and(|next| {
                matches!(
                    next.text(prose),
                    "were"
                        | "are"
                        | "was"
                        | "is"
                        | "have"
                        | "had"
                        | "will"
                        | "would"
                        | "can"
                        | "could"
                        | "may"
                        | "might"
                )
            })
        {
            index += 1;
            continue;
        }
        let after_comma_or_quote =
            previous.is_none_or(|previous| previous.is_punct(',') || matches!(previous.kind, TokenKind::Mark(_)));
        // "Ada Lorne, the harbour's engineer, noted the delay in ...": after a
        // comma that closes an apposition the name before it is the source, not
        // the words after the verb.
        let apposition_source = previous.is_some_and(|previous| previous.is_punct(','))
            && sources::backward(prose, tokens, index, floor)
                .is_some_and(|source| source.pronoun.is_none() && tokens[source.first].capitalized);
        let mut cue_end = index + 1;
        // "said in a (press) statement", "said on Twitter"
        if let Some(end) = statement_phrase(prose, tokens, cue_end, sentence.end) {
            cue_end = end;
        }
        let mut inverted = false;
        let (source, clause_start, clause_end, borrowed) = if progressive {
            let Some(source) = sources::backward(prose, tokens, index - 1, floor) else {
                index += 1;
                continue;
            };
            (Some(source), source.first, cue_end, false)
        } else if verb.form == VerbForm::Participle {
            // "marchers chanting \"Dump Berg\"": a participle right before a quote.
            let introduces_quote = tokens.get(cue_end).is_some_and(|next| matches!(next.kind, TokenKind::Mark(_)))
                && cue_end < sentence.end;
            // `calling him a "stiff" and accusing him of ...`: a participle
            // coordinated with the cue before it is a cue too, with a
            // statement of its own (rules alone on the training split: 13
            // more quotes found, 5 fewer spurious ones, when the cue before
            // it was a participle; 2 more found with any speech verb).
            let coordinated_participle = matches!(previous_word, Some("and" | "or"))
                && out[first_cue..].last().is_some_and(|cue| matches!(cue.kind, CueKind::Verb(_)));
            if !after_comma_or_quote
                && !message_participle
                && !introduces_quote
                && !coordinated_participle
                && !previous_word
                    .is_some_and(|previous| matches!(previous, "also" | "while" | "by" | "before" | "after"))
            {
                index += 1;
                continue;
            }
            // The participle borrows the subject of its clause: the previous
            // cue's source, or the sentence's subject.
            let borrowed = if index == sentence.start {
                // "Speaking to reporters, Trump said": the subject follows the
                // participle's clause.
                // The comma may sit inside a quote: `Bemoaning the "long wait," Berg said`.
                (index + 1..sentence.end)
                    .find(|position| tokens[*position].is_punct(','))
                    .map(|comma| {
                        if tokens.get(comma + 1).is_some_and(|next| matches!(next.kind, TokenKind::Mark(_))) {
                            comma + 1
                        } else {
                            comma
                        }
                    })
                    .and_then(|comma| sentence_subject(prose, tokens, comma + 1, sentence.end))
            } else {
                out[first_cue..]
                    .iter()
                    .rev()
                    .find_map(|cue| cue.source)
                    .or_else(|| sentence_subject(prose, tokens, sentence.start, index))
            };
            (borrowed, index, cue_end, true)
        } else if after_comma_or_quote
            && !verb.takes_object
            && !apposition_source
            && let Some(source) = sources::forward(prose, tokens, cue_end.min(index + 1), sentence.end)
            && ends_inverted_clause(prose, tokens, source.last + 1, sentence.end)
        {
            // Inverted: `"...," said the minister`, `..., said Yonhap.`
            let end = source.last + 1;
            let end = statement_phrase(prose, tokens, end, sentence.end).unwrap_or(end);
            inverted = true;
            (Some(source), index, end, false)
        } else {
            let source = sources::backward(prose, tokens, index, floor);
            // "Reid caucused on Saturday and says ...": the coordinated verb
            // shares the sentence's subject.
            let coordinated = source.is_none() && matches!(previous_word, Some("and" | "but"));
            if coordinated {
                let borrowed = out[first_cue..]
                    .iter()
                    .rev()
                    .find_map(|cue| cue.source)
                    .or_else(|| sentence_subject(prose, tokens, sentence.start, index));
                (borrowed, index, cue_end, true)
            } else {
                (source, source.map_or(index, |source| source.first), cue_end, false)
            }
        };
        if source.is_none() && verb.form == VerbForm::Base {
            index += 1;
            continue;
        }
        let cue_start = if progressive { tokens[index - 1].span.start } else { token.span.start };
        out.push(Cue {
            span: Span::new(cue_start, tokens[cue_end - 1].span.end),
            kind: CueKind::Verb(verb),
            clause_start,
            clause_end: clause_end.max(cue_end),
            source,
            via: None,
            content: None,
            borrowed_source: borrowed,
            inverted,
        });
        index = clause_end.max(cue_end);
    }
    // "Lamenting the delay, the islanders said ...": a participle that opens
    // the sentence shares the subject of the main clause's cue.
    for position in first_cue..out.len() {
        if out[position].borrowed_source
            && out[position].source.is_none()
            && out[position].clause_start == sentence.start
        {
            out[position].source =
                out[position + 1..].iter().filter(|cue| !cue.borrowed_source).find_map(|cue| cue.source);
        }
    }
    drop_nested_cues(prose, tokens, inside_quote, first_cue, out);
    assign_content(prose, tokens, sentence, &mut out[first_cue..]);
}

/// Plural nouns that do not end in `s`, which take a base form as a verb
/// (`Police say they have "adequate resources"`). Attribution round 9: dev
/// one quote more found; the training folds unchanged.
const PLURALS_WITHOUT_S: &[&str] = &["police", "Police", "people", "People", "men", "women", "children", "staff"];

/// Words that, between two cues, start a clause of its own: the second cue is
/// then a statement of its own ("Lorne said she agreed, and Berg said ...").
const CLAUSE_OPENERS: &[&str] = &[
    "and", "but", "or", "while", "whereas", "as", "when", "because", "after", "before", "although", "though", "so",
    "if", "since", "until", "unless", "who", "which",
];

/// How many tokens after an object verb may hold its addressee and where
/// it was said before `that` (`told supporters at the harbour after the
/// vote on Friday that ...`). On the training split 16 found 2 more quotes
/// than 9; 24 lost one on dev.
const ADDRESSEE_REACH: usize = 16;

/// Words that open a clause subordinate to the one before them.
const SUBORDINATORS: &[&str] =
    &["when", "because", "if", "after", "before", "since", "until", "unless", "although", "though"];

/// Removes the cues that sit inside the clause another cue introduces: in
/// "Lorne said Berg called the plan \"a maze,\"" what Berg called the plan
/// is part of what Lorne said, so the quote and the clause are Lorne's (each
/// word belongs to one attribution).
fn drop_nested_cues(prose: &str, tokens: &[Token], inside_quote: &[bool], first_cue: usize, out: &mut Vec<Cue>) {
    let mut position = first_cue + 1;
    while position < out.len() {
        let (outer, inner) = (&out[position - 1], &out[position]);
        let outer_takes_clause = matches!(outer.kind, CueKind::Verb(_) | CueKind::QuotedAs) && !outer.inverted;
        // `said the notice "plainly and wrongly" implies that ...`: a verb
        // right after quoted words has the noun phrase that holds them as
        // its subject, which no source phrase reads across the marks.
        let subject_ends_in_quote = inner.source.is_none()
            && inner.clause_start > outer.clause_end
            && matches!(tokens[inner.clause_start - 1].kind, TokenKind::Mark(_));
        // `told reporters that the board hopes to stall by calling ...`: a
        // participle after `by` inside a that-clause is part of the clause
        // it modifies. Outside one (`responded by calling ...`) the
        // participle goes on from the verb and reports a statement of its own.
        let participle_inside = inner.borrowed_source
            && inner.clause_start > outer.clause_end
            && matches!(tokens[inner.clause_start - 1].text(prose), "by")
            && (outer.clause_end..inner.clause_start).any(|index| tokens[index].text(prose) == "that");
        let inner_has_own_subject = !inner.inverted
            && (!inner.borrowed_source || participle_inside)
            && matches!(inner.kind, CueKind::Verb(_))
            && (subject_ends_in_quote
                || participle_inside
                || inner.source.is_some_and(|source| {
                    source.first >= outer.clause_end && !matches!(tokens[source.last].text(prose), "who" | "which")
                }));
        // Quoted words between the two cues are part of the outer clause
        // too (`said the board's "final" offer shows ...`), but punctuation
        // still ends it, inside the marks as well (`"a maze," Berg said`).
        // Inside a that-clause a subordinate clause (`that the crew was
        // "worn out" when she said ...`) is still the outer speaker's; without
        // the `that` it was a loss on the training split (3 quotes fewer),
        // except right after quoted words (`said the crew was "worn out"
        // when she said ...`), where the subordinator would otherwise dangle
        // at the end of the outer content (attribution round 9: dev one
        // spurious quote fewer, held-out train one more found, one fewer
        // spurious).
        let in_that_clause = (outer.clause_end..inner.clause_start).any(|index| tokens[index].text(prose) == "that");
        let directly_inside = outer_takes_clause
            && inner_has_own_subject
            && (outer.clause_end..inner.clause_start).all(|index| {
                let token = tokens[index];
                (token.is_word()
                    && (inside_quote[index]
                        || !CLAUSE_OPENERS.contains(&token.text(prose))
                        || (in_that_clause && SUBORDINATORS.contains(&token.text(prose)))
                        || (SUBORDINATORS.contains(&token.text(prose))
                            && index > 0
                            && matches!(tokens[index - 1].kind, TokenKind::Mark(_)))))
                    || matches!(token.kind, TokenKind::Mark(_))
            });
        if directly_inside {
            out.remove(position);
        } else {
            position += 1;
        }
    }
}

/// True when "called" at `verb` names something rather than reports speech:
/// a reduced relative after an indefinite noun phrase ("a fund called Forward",
/// "an app called \"Ferry\""), or a name given by "what X called" in a
/// clause that is already someone's statement.
fn names_a_thing(prose: &str, tokens: &[Token], sentence_start: usize, verb: usize) -> bool {
    let mut index = verb;
    let mut words = 0;
    while index > sentence_start && words < 4 {
        let token = tokens[index - 1];
        if !token.is_word() {
            return false;
        }
        let word = token.text(prose);
        if matches!(word, "a" | "an") && words > 0 {
            return true;
        }
        if word == "what" && words > 0 {
            return true;
        }
        if token.capitalized || (sources::Pronoun::from_word(word).is_some() && words > 0) {
            return false;
        }
        index -= 1;
        words += 1;
    }
    false
}

/// After `said X`, the clause must end (punctuation, a quote, the sentence
/// end) or go on with a cue phrase; "said the family would stay" is not inverted.
fn ends_inverted_clause(prose: &str, tokens: &[Token], after: usize, sentence_end: usize) -> bool {
    if after >= sentence_end {
        return true;
    }
    let token = tokens[after];
    match token.kind {
        TokenKind::Punct(_) | TokenKind::Mark(_) => true,
        TokenKind::Word => matches!(
            token.text(prose),
            "in" | "on" | "at" | "during" | "after" | "before" | "to" | "who" | "when" | "while" | "as"
        ),
    }
}

/// A credit line such as "(With input from Reuters)" or "(Reporting by ...)".
pub fn credit_line(prose: &str, tokens: &[Token]) -> Option<Cue> {
    let trimmed = prose.trim();
    if !(trimmed.starts_with('(') && trimmed.ends_with(')')) {
        return None;
    }
    let cue_words: &[&[&str]] = &[
        &["With", "input", "from"],
        &["With", "reporting", "from"],
        &["With", "reporting", "by"],
        &["Reporting", "by"],
        &["Additional", "reporting", "by"],
        &["Compiled", "by"],
        &["Source"],
    ];
    let words_start = tokens.iter().position(|token| token.is_word())?;
    for phrase in cue_words {
        let matches = phrase.iter().enumerate().all(|(offset, expected)| {
            tokens.get(words_start + offset).is_some_and(|token| token.text(prose) == *expected)
        });
        if !matches {
            continue;
        }
        let source_start = words_start + phrase.len();
        let source_start = if tokens.get(source_start).is_some_and(|token| token.is_punct(':')) {
            source_start + 1
        } else {
            source_start
        };
        let mut source_end = source_start;
        while source_end < tokens.len() && (tokens[source_end].is_word() || tokens[source_end].is_punct('.')) {
            if tokens[source_end].text(prose) == "and" || tokens[source_end].text(prose) == "in" {
                break;
            }
            source_end += 1;
        }
        let source = (source_end > source_start).then(|| {
            let words = &tokens[source_start..source_end];
            let kind = sources::classify(prose, words);
            SourcePhrase {
                span: Span::new(tokens[source_start].span.start, tokens[source_end - 1].span.end),
                first: source_start,
                last: source_end - 1,
                kind: if kind == SourceKind::Person
                    && lexicon()
                        .mentions_agency(&prose[tokens[source_start].span.start..tokens[source_end - 1].span.end])
                {
                    SourceKind::Agency
                } else {
                    kind
                },
                pronoun: None,
            }
        });
        let last_cue_word = words_start + phrase.len() - 1;
        let start = tokens.first()?.span.start;
        let end = tokens.last()?.span.end;
        return Some(Cue {
            span: Span::new(tokens[words_start].span.start, tokens[last_cue_word].span.end),
            kind: CueKind::Credit,
            clause_start: 0,
            clause_end: tokens.len(),
            source,
            via: None,
            content: Some(Span::new(start, end)),
            borrowed_source: false,
            inverted: false,
        });
    }
    None
}

/// The token index after "in a (press) statement", "on Twitter", "to reporters"
/// when they follow `from`.
fn statement_phrase(prose: &str, tokens: &[Token], from: usize, end: usize) -> Option<usize> {
    let mut index = from;
    // "said Friday in a statement": skip one time word.
    if index < end && is_time_word(tokens[index].text(prose)) {
        index += 1;
    }
    let first = tokens.get(index).filter(|_| index < end)?.text(prose);
    if first == "on" {
        let next = tokens.get(index + 1).filter(|_| index + 1 < end)?.text(prose);
        return matches!(next, "Twitter" | "Facebook" | "Instagram" | "X" | "television" | "TV" | "radio")
            .then_some(index + 2);
    }
    if first != "in" {
        return None;
    }
    (index + 1..end.min(index + 5))
        .find(|position| STATEMENT_NOUNS.contains(&tokens[*position].text(prose)))
        .map(|position| position + 1)
}

/// The first token of the clause `index` is in: after the sentence start, the
/// last closing quote, or a semicolon.
fn clause_floor(tokens: &[Token], sentence_start: usize, index: usize) -> usize {
    (sentence_start..index)
        .rev()
        .find(|position| ends_clause(tokens[*position]))
        .map_or(sentence_start, |position| position + 1)
}

/// A token after which a new clause starts: a quotation mark, a semicolon or a colon.
fn ends_clause(token: Token) -> bool {
    matches!(token.kind, TokenKind::Mark(_) | TokenKind::Punct(';' | ':'))
}

/// Words that open an introductory phrase before a sentence's subject.
const INTRODUCTORY_WORDS: &[&str] = &[
    "In",
    "On",
    "At",
    "During",
    "As",
    "After",
    "Before",
    "Following",
    "With",
    "For",
    "Since",
    "Despite",
    "Under",
    "From",
    "By",
    "Amid",
    "While",
    "When",
    "If",
    "Although",
    "Though",
    "Earlier",
    "Later",
    "Speaking",
    "Asked",
];

/// The subject of a sentence for a participle cue: the noun phrase at its
/// start, after an introductory phrase closed by a comma ("Meanwhile, ...").
fn sentence_subject(prose: &str, tokens: &[Token], start: usize, limit: usize) -> Option<SourcePhrase> {
    let mut begin = start;
    // "In a memo on Friday, the board ...": an introductory phrase may be
    // longer when it opens with a preposition.
    let introduced = tokens.get(start).is_some_and(|token| INTRODUCTORY_WORDS.contains(&token.text(prose)));
    let reach = if introduced { 16 } else { 5 };
    // The comma right before the participle closes the subject's clause, not an introduction.
    let before_participle = limit.saturating_sub(1);
    if let Some(comma) = (start..before_participle.min(start + reach)).find(|position| tokens[*position].is_punct(','))
    {
        begin = comma + 1;
    } else if introduced {
        return None;
    }
    // "But Lorne, saying ...": a leading conjunction is not the subject.
    while begin < limit && matches!(tokens[begin].text(prose), "But" | "And" | "So" | "Yet" | "Or") {
        begin += 1;
    }
    if let Some(token) = tokens.get(begin)
        && let Some(pronoun) = sources::Pronoun::from_word(token.text(prose))
    {
        return Some(SourcePhrase {
            span: token.span,
            first: begin,
            last: begin,
            kind: SourceKind::Person,
            pronoun: Some(pronoun),
        });
    }
    let mut end = begin;
    while end < limit
        && end - begin < 8
        && tokens[end].is_word()
        && (tokens[end].capitalized || matches!(tokens[end].text(prose), "the" | "of" | "for"))
    {
        end += 1;
    }
    while end > begin && !tokens[end - 1].capitalized {
        end -= 1;
    }
    // "The justice apologized, saying": a determiner and its noun.
    if end == begin + 1 && matches!(tokens[begin].text(prose), "The" | "A" | "An" | "This" | "That") {
        while end < limit
            && end - begin < 5
            && tokens[end].is_word()
            && !tokens[end].text(prose).ends_with("ed")
            && !sources::CLAUSE_WORDS.contains(&tokens[end].text(prose))
            && lexicon().speech_verb(tokens[end].text(prose)).is_none()
        {
            end += 1;
        }
        if end == begin + 1 {
            return None;
        }
    }
    if end > begin && tokens[begin].text(prose).ends_with("ing") {
        return None;
    }
    (end > begin).then(|| SourcePhrase {
        span: Span::new(tokens[begin].span.start, tokens[end - 1].span.end),
        first: begin,
        last: end - 1,
        kind: sources::classify(prose, &tokens[begin..end]),
        pronoun: None,
    })
}

/// Gives each cue the content it introduces: the clause after it up to the next
/// cue's clause, or, when nothing follows it, the clause before it.
fn assign_content(prose: &str, tokens: &[Token], sentence: Range<usize>, cues: &mut [Cue]) {
    let sentence_end = trim_sentence_end(tokens, sentence.clone());
    for position in 0..cues.len() {
        let next_clause = cues.get(position + 1).map_or(sentence_end, |next| next.clause_start);
        let previous_clause_end = if position == 0 { sentence.start } else { cues[position - 1].clause_end };
        let cue = &cues[position];
        if matches!(cue.kind, CueKind::Credit) {
            continue;
        }
        // Skip time words and "that"-less adverbs after the cue.
        let mut start = cue.clause_end;
        while start < next_clause && tokens[start].is_word() && {
            let word = tokens[start].text(prose);
            is_time_word(word) || matches!(word, "on" | "last" | "this" | "also")
        } {
            start += 1;
        }
        if start < next_clause && tokens[start].is_punct(',') {
            start += 1;
        }
        // "told reporters that ...": the content starts at "that".
        if let CueKind::Verb(verb) = cue.kind
            && verb.takes_object
            && let Some(that) = (start..next_clause.min(start + ADDRESSEE_REACH))
                .find(|position| tokens[*position].text(prose) == "that")
            && (start..that)
                .all(|position| tokens[position].is_word() || matches!(tokens[position].kind, TokenKind::Mark(_)))
        {
            start = that;
        } else if let CueKind::Verb(verb) = cue.kind
            && verb.takes_object
            && let Some(subject) = (start + 1..next_clause.min(start + 4)).find(|position| {
                tokens[*position].is_word()
                    && matches!(tokens[*position].text(prose), "he" | "she" | "they" | "we" | "I" | "it")
            })
            && (start..subject).all(|position| tokens[position].is_word())
        {
            // "told reporters he would ask ...": the content is the clause after the addressee.
            start = subject;
        }
        // "according to two members who attended": the relative clause
        // belongs to the source; the content is the clause before the cue.
        if cue.kind == CueKind::AccordingTo
            && start < next_clause
            && matches!(tokens[start].text(prose), "who" | "which" | "whose")
        {
            start = next_clause;
        }
        let mut end = next_clause;
        // "Berg, who said he rarely votes, backed the plan": a relative
        // clause's content ends at its closing comma.
        if cue.source.is_some_and(|source| matches!(tokens[source.last].text(prose), "who" | "which"))
            && let Some(comma) = (start..end).find(|position| tokens[*position].is_punct(','))
        {
            end = comma;
        }
        // Trailing punctuation and a dangling "and" before the next cue's clause.
        while end > start
            && (matches!(tokens[end - 1].kind, TokenKind::Punct(',' | ';' | ':' | '\u{2014}' | '-'))
                || matches!(tokens[end - 1].text(prose), "and" | "but" | "or"))
        {
            end -= 1;
        }
        let has_clause_before = cue.clause_start > previous_clause_end
            && (previous_clause_end..cue.clause_start)
                .any(|position| tokens[position].is_word() || matches!(tokens[position].kind, TokenKind::Mark(_)));
        let content = if end > start
            && !(cue.inverted && has_clause_before)
            && !(has_clause_before && only_adjunct_after(prose, tokens, cue, previous_clause_end, next_clause))
            && (end - start > 1 || tokens[start].is_word() || matches!(tokens[start].kind, TokenKind::Mark(_)))
        {
            Some(Span::new(tokens[start].span.start, tokens[end - 1].span.end))
        } else {
            // Nothing after the cue: the content is the clause before it.
            let before_end = cue.clause_start;
            let mut end = before_end;
            while end > previous_clause_end
                && matches!(tokens[end - 1].kind, TokenKind::Punct(',' | ';' | ':' | '\u{2014}' | '-'))
            {
                end -= 1;
            }
            let start = previous_clause_end;
            (end > start).then(|| Span::new(tokens[start].span.start, tokens[end - 1].span.end))
        };
        cues[position].content = content;
    }
}

/// True when a cue that closes a clause of its own (`the ferry sails at
/// noon, Lorne said in her book, "Harbour Days."`) is followed only by where
/// or when it was said: the content is the clause before it, not the
/// adjunct after it.
fn only_adjunct_after(prose: &str, tokens: &[Token], cue: &Cue, clause_before: usize, next_clause: usize) -> bool {
    if cue.inverted || cue.clause_start == 0 || !tokens[cue.clause_start - 1].is_punct(',') {
        return false;
    }
    let words_before = (clause_before..cue.clause_start).filter(|position| tokens[*position].is_word()).count();
    let mut probe = cue.clause_end;
    while probe < next_clause && tokens[probe].is_word() && is_time_word(tokens[probe].text(prose)) {
        probe += 1;
    }
    words_before >= 4
        && probe < next_clause
        && matches!(tokens[probe].text(prose), "in" | "on" | "at" | "during")
        && !(probe..next_clause).any(|position| tokens[position].text(prose) == "that")
}

/// The end of the sentence's content: before its final full stop.
fn trim_sentence_end(tokens: &[Token], sentence: Range<usize>) -> usize {
    let mut end = sentence.end;
    while end > sentence.start && matches!(tokens[end - 1].kind, TokenKind::Punct('.' | '!' | '?' | ')' | '\u{2026}')) {
        end -= 1;
    }
    end
}
