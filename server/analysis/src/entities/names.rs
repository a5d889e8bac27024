//! Mention candidates: which token spans name a person, organisation or place,
//! and what hangs off each (title, honorific, possessive, acronym).
//!
//! Two layers. A *proposer* marks typed token spans: the statistical tagger
//! ([`super::tagger`]) when its model is loaded, with the rule proposer in this
//! file (capitalised runs classified by the lexicons) as its fallback. Then a
//! *rule layer* turns spans into [`MentionCandidate`]s: it splits titles off
//! names, attaches titles before/after names and standalone titles, honorifics,
//! possessives, acronyms spelled out in brackets, lowercase organisation
//! phrases ("Russia's foreign ministry"), and guesses name order from the
//! family-name list.

use std::ops::Range;

use super::lexicon::{
    KeyBuilder, NAME_PARTICLE_SET, ORGANIZATION_HEAD_SET, PLACE_HEAD_SET, in_list, lexicon, word_key,
};
use super::tokens::{Capitalization, Token, TokenKind};
use super::{MentionCandidate, TitlePlacement, tagger, titles};
use crate::document::ParagraphKind;
use crate::model::{EntityKind, MentionForm, Span};

/// A typed token span proposed as a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub tokens: Range<usize>,
    pub label: Label,
}

/// Entity labels as the tagger and the CoNLL data know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Person,
    Organization,
    Place,
    /// Other names (nationalities, events, products): never an entity, but
    /// knowing them keeps their words out of neighbouring names.
    Misc,
}

impl Label {
    pub const fn entity_kind(self) -> Option<EntityKind> {
        match self {
            Label::Person => Some(EntityKind::Person),
            Label::Organization => Some(EntityKind::Organization),
            Label::Place => Some(EntityKind::Place),
            Label::Misc => None,
        }
    }
}

fn is_connector(prose: &str, token: Token) -> bool {
    token.kind == TokenKind::Word && in_list(&["of", "for", "the", "de", "du", "des", "and", "&"], token.text(prose))
}

fn is_particle(prose: &str, token: Token) -> bool {
    token.kind == TokenKind::Word
        && token.caps == Capitalization::Lower
        && NAME_PARTICLE_SET.contains(token.text(prose))
}

/// A capitalised word that can be part of a name (not a sentence word like "The").
fn is_name_word(prose: &str, token: Token) -> bool {
    if !(token.is_capitalized_word() || token.kind == TokenKind::Word && token.caps == Capitalization::Mixed) {
        return false;
    }
    !(token.caps == Capitalization::Title && lexicon().is_sentence_word(token.text(prose)))
}

/// The rule proposer: runs of capitalised words (with particles and "of"
/// connectors inside), with titles split off and kinds from the lexicons.
pub fn propose_by_rules(prose: &str, tokens: &[Token], sentence: Range<usize>) -> Vec<Proposal> {
    let mut proposals = Vec::new();
    let mut index = sentence.start;
    while index < sentence.end {
        if !is_name_word(prose, tokens[index]) {
            index += 1;
            continue;
        }
        let start = index;
        let mut end = index + 1;
        while end < sentence.end {
            let token = tokens[end];
            if is_name_word(prose, token) {
                end += 1;
                continue;
            }
            // Particles, connectors and inner possessives continue a run only
            // when a capitalised word follows.
            let joins = is_particle(prose, token)
                || is_connector(prose, token)
                || (token.kind == TokenKind::Possessive && tokens[end - 1].caps == Capitalization::Title);
            if joins {
                let mut look = end + 1;
                while look < sentence.end
                    && look - end < 3
                    && (is_connector(prose, tokens[look]) || is_particle(prose, tokens[look]))
                {
                    look += 1;
                }
                if look < sentence.end && is_name_word(prose, tokens[look]) {
                    end = look + 1;
                    continue;
                }
            }
            break;
        }
        segment_run(prose, tokens, start..end, &mut proposals);
        index = end;
    }
    proposals
}

/// Splits a capitalised run into title words and names, and classifies the names.
fn segment_run(prose: &str, tokens: &[Token], run: Range<usize>, proposals: &mut Vec<Proposal>) {
    // Runs joined by a possessive ("DPRK's Vice Foreign Minister Choe Son Hui")
    // are split at it: the owner is its own name.
    if let Some(split) = run.clone().find(|&index| tokens[index].kind == TokenKind::Possessive) {
        let owner = run.start..split;
        let owned = split + 1..run.end;
        // "People's Republic": a possessive inside a known multi-word name stays.
        let whole = &prose[tokens[run.start].span.start..tokens[run.end - 1].span.end];
        let owner_text = &prose[tokens[run.start].span.start..tokens[split.max(run.start + 1) - 1].span.end];
        let owner_is_name = tokens[run.start].caps == Capitalization::Upper
            || lexicon().is_place(owner_text)
            || lexicon().is_organization(owner_text)
            || owned.clone().next().is_some_and(|first| lexicon().is_title_word(tokens[first].text(prose)));
        if owner_is_name && !lexicon().is_place(whole) && !lexicon().is_organization(whole) && !owned.is_empty() {
            if !owner.is_empty() {
                segment_run(prose, tokens, owner, proposals);
            }
            segment_run(prose, tokens, owned, proposals);
            return;
        }
    }
    // The last title word of the run, if a name follows it.
    let title_end = run.clone().rev().find(|&index| {
        index + 1 < run.end
            && tokens[index].caps == Capitalization::Title
            && lexicon().is_title_word(tokens[index].text(prose))
    });
    let mut name = run.clone();
    if let Some(title_end) = title_end {
        // After a qualified title ("Minister for the Development of the Far
        // East Alexander Kozlov"), the name is what follows the last connector
        // or acronym, minus known places and organisations at its front.
        let mut name_start = title_end + 1;
        for (index, token) in tokens.iter().enumerate().take(run.end).skip(title_end + 1) {
            if is_connector(prose, *token) || token.caps == Capitalization::Upper && token.span.len() > 1 {
                name_start = index + 1;
            }
        }
        let mut qualifier_end = name_start;
        for split in name_start..run.end {
            let prefix = &prose[tokens[name_start].span.start..tokens[split].span.end];
            if split + 1 < run.end && (lexicon().is_place(prefix) || lexicon().is_organization(prefix)) {
                qualifier_end = split + 1;
            }
        }
        if qualifier_end > name_start {
            proposals.push(Proposal {
                tokens: name_start..qualifier_end,
                label: classify(prose, tokens, name_start..qualifier_end),
            });
        }
        name = qualifier_end.max(name_start)..run.end;
        // Organisations named inside the qualifier ("of the Central Committee of the WPK").
        let mut segment_start = title_end + 1;
        for index in title_end + 1..=name_start.min(run.end) {
            let at_boundary = index == name_start || is_connector(prose, tokens[index]);
            if at_boundary {
                let segment = segment_start..index;
                let segment: Range<usize> = trim_connectors(prose, tokens, segment);
                if !segment.is_empty() && segment.end <= name_start {
                    let label = classify(prose, tokens, segment.clone());
                    if label != Label::Person {
                        proposals.push(Proposal { tokens: segment, label });
                    }
                }
                segment_start = index + 1;
            }
        }
    }
    let name = trim_connectors(prose, tokens, name);
    if name.is_empty() {
        return;
    }
    let label = classify(prose, tokens, name.clone());
    proposals.push(Proposal { tokens: name, label });
}

fn trim_connectors(prose: &str, tokens: &[Token], mut range: Range<usize>) -> Range<usize> {
    while range.start < range.end
        && (is_connector(prose, tokens[range.start]) || tokens[range.start].kind != TokenKind::Word)
    {
        range.start += 1;
    }
    while range.end > range.start
        && (is_connector(prose, tokens[range.end - 1]) || tokens[range.end - 1].kind != TokenKind::Word)
    {
        range.end -= 1;
    }
    range
}

/// A portfolio inside a title: "for External Economic Affairs" after "Minister",
/// "of the Development" after "Minister for"; not bodies or known names.
fn is_portfolio(prose: &str, tokens: &[Token], floor: usize, range: Range<usize>) -> bool {
    let mut before = range.start;
    if before > floor && in_list(&["the"], tokens[before - 1].text(prose)) {
        before -= 1;
    }
    if before < floor + 2 || !in_list(&["of", "for"], tokens[before - 1].text(prose)) {
        return false;
    }
    let head = tokens[before - 2];
    if head.kind != TokenKind::Word || !lexicon().is_title_word(head.text(prose)) {
        return false;
    }
    let text = &prose[tokens[range.start].span.start..tokens[range.end - 1].span.end];
    !(lexicon().is_place(text)
        || lexicon().is_organization(text)
        || ORGANIZATION_HEAD_SET.contains(tokens[range.end - 1].text(prose))
        || PLACE_HEAD_SET.contains(tokens[range.end - 1].text(prose)))
}

/// "I" to "XX" as written after a monarch's or pope's name.
fn is_regnal_number(word: &str) -> bool {
    in_list(
        &[
            "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
            "XVII", "XVIII", "XIX", "XX",
        ],
        word,
    ) && word.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// Nouns that describe a person before the name the way a title does
/// ("Spaniard Ana Ruiz", "winger Lee Park", "lawyer Tom Hale") but are not
/// titles to report. Kept apart from the title lexicon, which the tagger's
/// features read.
const DESCRIPTOR_NOUNS: &[&str] = &[
    "spaniard",
    "briton",
    "frenchman",
    "frenchwoman",
    "dutchman",
    "dutchwoman",
    "swede",
    "welshman",
    "englishman",
    "irishman",
    "irishwoman",
    "lawyer",
    "broker",
    "dealer",
    "trader",
    "winger",
    "fullback",
    "full-back",
    "opener",
    "skipper",
    "jockey",
];

const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Last words that make a name an organisation whatever the tagger says.
const STRONG_ORGANIZATION_HEADS: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "co",
    "co.",
    "ag",
    "gmbh",
    "ministry",
    "party",
    "council",
    "committee",
    "commission",
    "association",
    "federation",
    "university",
    "agency",
    "bank",
    "ferries",
    "airlines",
    "airways",
    "holdings",
    "industries",
    "wire",
    "newswire",
];

/// True when `acronym` is made of the initials of the name's words (small
/// words such as "of" may be skipped): "DPRK" for "Democratic People's
/// Republic of Korea", "WBC" for "World Boxing Council"; not "U.S." after a
/// person's name in a results table.
pub fn initials_match(prose: &str, name: &[Token], acronym: &str) -> bool {
    let letters: Vec<char> = acronym.chars().filter(|character| character.is_alphabetic()).collect();
    if letters.len() < 2 {
        return false;
    }
    let mut position = 0;
    for token in name {
        if token.kind != TokenKind::Word {
            continue;
        }
        let Some(first) = token.text(prose).chars().next() else { continue };
        if position < letters.len() && first.to_uppercase().eq(letters[position].to_uppercase()) {
            position += 1;
        } else if token.caps.is_capitalized() {
            return false;
        }
    }
    position == letters.len()
}

/// Guesses the kind of a name from the lexicons and its head word.
pub fn classify(prose: &str, tokens: &[Token], range: Range<usize>) -> Label {
    let text = &prose[tokens[range.start].span.start..tokens[range.end - 1].span.end];
    let lexicon = lexicon();
    if lexicon.is_place(text) {
        return Label::Place;
    }
    if lexicon.is_organization(text) {
        return Label::Organization;
    }
    let last = tokens[range.end - 1].text(prose);
    if ORGANIZATION_HEAD_SET.contains(last) {
        return Label::Organization;
    }
    if range.len() > 1 && PLACE_HEAD_SET.contains(last) {
        return Label::Place;
    }
    if (range.clone())
        .any(|index| in_list(&["republic", "kingdom", "emirates", "federation", "islands"], tokens[index].text(prose)))
    {
        return Label::Place;
    }
    if range.len() > 1 && (0..range.len()).any(|offset| is_connector(prose, tokens[range.start + offset])) {
        return Label::Organization;
    }
    if lexicon.nationality(text).is_some() {
        return Label::Misc;
    }
    if range.len() == 1 && tokens[range.start].caps == Capitalization::Upper {
        return Label::Organization;
    }
    Label::Person
}

/// Finds the mention candidates of a paragraph.
pub fn find_mentions(
    prose: &str,
    kind: ParagraphKind,
    tokens: &[Token],
    sentence_tokens: &[Range<usize>],
) -> Vec<MentionCandidate> {
    let mut mentions = Vec::new();
    if kind == ParagraphKind::Outlet {
        // The outlet line of a wire header names the publishing organisation.
        if let (Some(first), Some(last)) = (tokens.first(), tokens.last()) {
            let span = Span::new(first.span.start, last.span.end);
            mentions.push(MentionCandidate {
                span,
                kind: EntityKind::Organization,
                form: if tokens.len() == 1 && first.caps == Capitalization::Upper {
                    MentionForm::Acronym
                } else {
                    MentionForm::Full
                },
                name_parts: tokens.iter().map(|token| token.span).collect(),
                honorific: None,
                title: None,
                relative_to: None,
                possessive: false,
                acronym: None,
                family_name_first: None,
                sentence: 0,
            });
        }
        return mentions;
    }
    let mut tagged = tagger::model().map(|model| model.propose_paragraph(prose, tokens, sentence_tokens));
    for (sentence_index, sentence) in sentence_tokens.iter().enumerate() {
        let proposals = match &mut tagged {
            Some(tagged) => std::mem::take(&mut tagged[sentence_index]),
            None => propose_by_rules(prose, tokens, sentence.clone()),
        };
        let proposals = apply_person_patterns(prose, tokens, sentence.clone(), proposals);
        build_candidates(prose, tokens, sentence.clone(), sentence_index, &proposals, &mut mentions);
    }
    mentions.sort_by_key(|mention| (mention.span.start, mention.span.end));
    mentions
}

/// Person names the lexicons recognise whatever the tagger says: a family
/// name written first followed by one or two given-name syllables ("Kim Yong
/// Jae", "Choe Son Hui", "Li Keqiang", "Kim Jong-un"), or a known given name
/// followed by a surname ("Stephen Biegun", "Alexander Kozlov"). The tagger,
/// trained on 1996 Reuters copy, often misses the first pattern and glues
/// either to a neighbouring title or acronym; overlapping proposals are cut.
fn apply_person_patterns(
    prose: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    proposals: Vec<Proposal>,
) -> Vec<Proposal> {
    let lexicon = lexicon();
    let name_like = |index: usize| {
        let token = tokens[index];
        if token.kind != TokenKind::Word || token.caps != Capitalization::Title {
            return false;
        }
        // One key for the five lexicon lookups.
        let key = word_key(token.text(prose));
        !lexicon.is_title_word_key(key)
            // Short syllables ("Un", "Il") are not checked against the lists,
            // where they would match acronyms such as "UN".
            && (token.span.len() <= 3 || !lexicon.is_place_key(key))
            && (token.span.len() <= 3 || !lexicon.is_organization_key(key))
            && !lexicon.is_nationality_key(key)
            && !ORGANIZATION_HEAD_SET.contains(token.text(prose))
            && !PLACE_HEAD_SET.contains(token.text(prose))
            && !lexicon.is_sentence_word_key(key)
    };
    let mut patterns: Vec<(Range<usize>, Label)> = Vec::new();
    let mut index = sentence.start;
    while index < sentence.end {
        let token = tokens[index];
        // Multi-word names in the lexicons ("Democratic People's Republic of Korea").
        if token.kind == TokenKind::Word && token.caps.is_capitalized() {
            let mut longest = None;
            // The key of the text from this token to each later one, extended
            // piece by piece (a key is built character by character, so
            // extending it equals keying the whole text) rather than hashing
            // the text again for every end.
            let mut key = KeyBuilder::new().word(token.text(prose));
            let mut keyed_to = token.span.end;
            for end in index + 2..=(index + 7).min(sentence.end) {
                let last = tokens[end - 1];
                if last.kind != TokenKind::Word || !last.caps.is_capitalized() {
                    continue;
                }
                key = key.word(&prose[keyed_to..last.span.end]);
                keyed_to = last.span.end;
                let text_key = key.finish();
                if lexicon.is_place_key(text_key) {
                    longest = Some((index..end, Label::Place));
                } else if lexicon.is_organization_key(text_key) {
                    longest = Some((index..end, Label::Organization));
                }
            }
            // A longer name the tagger found around it ("New York Stock Exchange") wins.
            let inside_longer = longest.as_ref().is_some_and(|(range, _)| {
                proposals.iter().any(|proposal| {
                    proposal.tokens.start <= range.start
                        && proposal.tokens.end >= range.end
                        && proposal.tokens != *range
                })
            });
            if let Some(found) = longest.filter(|_| !inside_longer) {
                index = found.0.end;
                patterns.push(found);
                continue;
            }
        }
        // Particles inside a person's name ("Ursula von der Leyen", "Mohammed
        // bin Salman"): the tagger scores the halves apart and may split them.
        if token.kind == TokenKind::Word && token.caps == Capitalization::Title {
            let mut after = index + 1;
            while after < sentence.end && after - index <= 3 && is_particle(prose, tokens[after]) {
                after += 1;
            }
            if after > index + 1
                && after < sentence.end
                && tokens[after].kind == TokenKind::Word
                && tokens[after].caps == Capitalization::Title
            {
                let person_nearby = proposals.iter().any(|proposal| {
                    proposal.label == Label::Person
                        && (proposal.tokens.contains(&index) || proposal.tokens.contains(&after))
                });
                // "von", "van", "bin", "ibn" and "zu" between two capitalised
                // words make a person's name even when neither word is known
                // ("de" and "la" also join places: "Rio de Janeiro").
                let strong_particle = in_list(&["von", "van", "bin", "ibn", "zu"], tokens[index + 1].text(prose))
                    && !lexicon.is_place(token.text(prose))
                    && !lexicon.is_place(tokens[after].text(prose));
                if person_nearby || strong_particle || lexicon.is_given_name(token.text(prose)) {
                    patterns.push((index..after + 1, Label::Person));
                    index = after + 1;
                    continue;
                }
            }
        }
        // A surname led by a capitalised particle and a lowercase one ("Van
        // den Berg's office", "De la Cruz"), as at the start of a sentence.
        if token.kind == TokenKind::Word
            && token.caps == Capitalization::Title
            && NAME_PARTICLE_SET.contains(token.text(prose))
            && index + 2 < sentence.end
            && is_particle(prose, tokens[index + 1])
        {
            let mut after = index + 1;
            while after < sentence.end && after - index <= 2 && is_particle(prose, tokens[after]) {
                after += 1;
            }
            if after < sentence.end
                && tokens[after].kind == TokenKind::Word
                && tokens[after].caps == Capitalization::Title
                && !lexicon.is_place(tokens[after].text(prose))
            {
                patterns.push((index..after + 1, Label::Person));
                index = after + 1;
                continue;
            }
        }
        // A particle-led surname inside a sentence ("von der Leyen's plan",
        // "de Silva"): particles, then a capitalised word.
        if is_particle(prose, token) && (index == sentence.start || !tokens[index - 1].is_capitalized_word()) {
            let mut after = index + 1;
            while after < sentence.end && after - index <= 2 && is_particle(prose, tokens[after]) {
                after += 1;
            }
            if after < sentence.end
                && tokens[after].kind == TokenKind::Word
                && tokens[after].caps == Capitalization::Title
                && (proposals
                    .iter()
                    .any(|proposal| proposal.label == Label::Person && proposal.tokens.contains(&after))
                    || !proposals.iter().any(|proposal| proposal.tokens.contains(&after)))
                && !(after + 1 < sentence.end && tokens[after + 1].is_capitalized_word())
            {
                patterns.push((index..after + 1, Label::Person));
                index = after + 1;
                continue;
            }
        }
        // A compound title inside another kind of name, then a name that ends
        // it ("Harbour Commissioner Brandvik", "Defence Minister Ito"): the
        // tagger read the whole as an organisation; the name is a person's.
        if token.kind == TokenKind::Word
            && token.caps == Capitalization::Title
            && index > sentence.start
            && tokens[index - 1].is_capitalized_word()
            && lexicon.is_title_word(token.text(prose))
            && let Some(proposal) = proposals.iter().find(|proposal| {
                proposal.label != Label::Person && proposal.tokens.start < index && proposal.tokens.contains(&index)
            })
        {
            let mut end = index + 1;
            while end < proposal.tokens.end && end - index <= 3 && name_like(end) {
                end += 1;
            }
            if end > index + 1 && end == proposal.tokens.end {
                patterns.push((index + 1..end, Label::Person));
                index = end;
                continue;
            }
        }
        // "Mr.", "Mrs.", "Dr." and the words after it: a person's name, even
        // one the tagger does not know ("Mr. Ji Won").
        if token.kind == TokenKind::Word
            && token.caps == Capitalization::Title
            && lexicon.is_honorific(token.text(prose))
            && index + 1 < sentence.end
            && !proposals
                .iter()
                .any(|proposal| proposal.label == Label::Person && proposal.tokens.contains(&(index + 1)))
        {
            let mut end = index + 1;
            while end < sentence.end && end - index <= 3 && name_like(end) {
                end += 1;
            }
            if end > index + 1 {
                patterns.push((index + 1..end, Label::Person));
                index = end;
                continue;
            }
        }
        // A public figure's surname standing alone ("Trump"), also where the
        // tagger read the lone word as a place.
        if token.kind == TokenKind::Word
            && token.caps == Capitalization::Title
            && lexicon.is_public_figure(token.text(prose))
            && !proposals.iter().any(|proposal| {
                proposal.tokens.contains(&index)
                    && (proposal.tokens.len() > 1 || matches!(proposal.label, Label::Person | Label::Organization))
            })
        {
            patterns.push((index..index + 1, Label::Person));
            index += 1;
            continue;
        }
        if token.kind != TokenKind::Word || token.caps != Capitalization::Title {
            index += 1;
            continue;
        }
        let text = token.text(prose);
        let family_first = lexicon
            .family_name_order(text)
            .is_some_and(|order| order.written_first > order.written_last && order.written_first >= 1);
        let given = lexicon.is_given_name(text);
        if family_first || given {
            let mut end = index + 1;
            while end < sentence.end && end - index <= 2 && name_like(end) {
                end += 1;
            }
            // A family-first name has short syllables after the family name
            // ("Jong Un", "Son Hui"), or one long given name ("Keqiang").
            let accepted = end > index + 1
                && (!family_first
                    || (index + 1..end).all(|part| {
                        let part_text = tokens[part].text(prose);
                        part_text.len() <= 8 || part_text.contains('-')
                    }));
            // A given name the tagger made the start of another kind of name
            // ("Morgan Stanley") is left to the tagger.
            let tagger_disagrees = !family_first
                && proposals.iter().any(|proposal| proposal.tokens.start == index && proposal.label != Label::Person);
            if accepted && (family_first || end - index == 2) && !tagger_disagrees {
                patterns.push((index..end, Label::Person));
                index = end;
                continue;
            }
        }
        index += 1;
    }
    if patterns.is_empty() {
        return proposals;
    }
    let mut result: Vec<Proposal> = Vec::with_capacity(proposals.len() + patterns.len());
    for proposal in proposals {
        let mut pieces = vec![proposal.tokens.clone()];
        for (pattern, pattern_label) in &patterns {
            let mut next = Vec::new();
            for piece in pieces {
                if piece.end <= pattern.start || piece.start >= pattern.end {
                    next.push(piece);
                    continue;
                }
                // The tagger already has this person, perhaps with more words: keep it.
                if proposal.label == *pattern_label && piece.start <= pattern.start && piece.end >= pattern.end {
                    next.push(piece);
                    continue;
                }
                if piece.start < pattern.start {
                    next.push(piece.start..pattern.start);
                }
                if piece.end > pattern.end {
                    next.push(pattern.end..piece.end);
                }
            }
            pieces = next;
        }
        for piece in pieces {
            let piece = trim_connectors(prose, tokens, piece);
            if !piece.is_empty() {
                let label = if piece == proposal.tokens {
                    proposal.label
                } else {
                    classify_piece(prose, tokens, piece.clone(), proposal.label)
                };
                result.push(Proposal { tokens: piece, label });
            }
        }
    }
    for (pattern, label) in patterns {
        if !result.iter().any(|proposal| proposal.tokens.start <= pattern.start && proposal.tokens.end >= pattern.end) {
            result.push(Proposal { tokens: pattern, label });
        }
    }
    result.sort_by_key(|proposal| (proposal.tokens.start, proposal.tokens.end));
    result
}

/// The label of a piece cut out of a tagger proposal: what the lexicons say,
/// else the proposal's label, except that title words alone are no name.
fn classify_piece(prose: &str, tokens: &[Token], piece: Range<usize>, label: Label) -> Label {
    let text = &prose[tokens[piece.start].span.start..tokens[piece.end - 1].span.end];
    if lexicon().is_place(text) {
        Label::Place
    } else if lexicon().is_organization(text)
        || ORGANIZATION_HEAD_SET.contains(tokens[piece.end - 1].text(prose))
        || (piece.len() == 1 && tokens[piece.start].caps == Capitalization::Upper)
    {
        Label::Organization
    } else if piece.into_iter().any(|index| lexicon().is_title_word(tokens[index].text(prose))) {
        Label::Misc
    } else {
        label
    }
}

/// Capitalised words that are in no mention and no title and are not sentence
/// words: the linker attaches them to an entity when they are exactly one
/// person's family name or an organisation's or place's name ("Simmons" at the
/// start of a sentence, after "Phil Simmons" elsewhere in the story).
pub fn other_capitalized(prose: &str, tokens: &[Token], mentions: &[MentionCandidate]) -> Vec<Span> {
    let mut covered: Vec<Span> = Vec::with_capacity(mentions.len() * 2);
    for mention in mentions {
        covered.push(mention.span);
        if let Some(title) = &mention.title {
            covered.push(title.span);
        }
        if let Some(honorific) = mention.honorific {
            covered.push(honorific);
        }
    }
    covered.sort();
    tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| token.kind == TokenKind::Word && token.caps.is_capitalized() && token.span.len() > 1)
        // The tests are independent; the cheap search among the mentions
        // goes first, since most capitalised words are in a mention, and the
        // word-list lookups then run for the few words left.
        .filter(|(_, token)| {
            let index = covered.partition_point(|span| span.end <= token.span.start);
            covered.get(index).is_none_or(|span| !span.overlaps(token.span))
        })
        .filter(|(_, token)| !lexicon().is_sentence_word(token.text(prose)))
        .filter(|&(index, _)| !next_to_capitalized_word(prose, tokens, index))
        .map(|(_, token)| token.span)
        .collect()
}

/// True when token `index` has a capitalised word (not a sentence word)
/// right before or after it: then it is part of a longer name nobody
/// recognised ("Tin Mya"), and one of its words alone is no reference.
fn next_to_capitalized_word(prose: &str, tokens: &[Token], index: usize) -> bool {
    let capitalized = |token: &Token| {
        token.kind == TokenKind::Word && token.caps.is_capitalized() && !lexicon().is_sentence_word(token.text(prose))
    };
    (index > 0 && capitalized(&tokens[index - 1])) || tokens.get(index + 1).is_some_and(capitalized)
}

fn build_candidates(
    prose: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    sentence_index: usize,
    proposals: &[Proposal],
    mentions: &mut Vec<MentionCandidate>,
) {
    let lexicon = lexicon();
    let mut floor = sentence.start;
    let first_person_in_sentence =
        proposals.iter().find(|proposal| proposal.label == Label::Person).map(|proposal| proposal.tokens.clone());
    let mut covered_until = sentence.start;
    for proposal in proposals {
        let mut range = proposal.tokens.clone();
        // Buildings and landforms are places whatever the tagger says
        // ("Presidential Palace", "Korean Peninsula", "Baltic Sea", which a
        // tagger trained on Reuters may read as an adjective and a noun).
        const LANDFORMS: &[&str] =
            &["palace", "peninsula", "square", "airport", "river", "mountains", "island", "sea", "ocean", "strait"];
        // The head is the last word, or the word before "of" ("People's
        // Palace of Culture").
        let landform = range.len() > 1
            && (in_list(LANDFORMS, tokens[range.end - 1].text(prose))
                || (range.start + 1..range.end - 1).any(|index| {
                    in_list(LANDFORMS, tokens[index].text(prose)) && tokens[index + 1].text(prose) == "of"
                }));
        // Likewise a strong organisation head at the end ("Baltic Wire",
        // "Nordsund Ferries") makes an organisation of what the tagger
        // called a miscellaneous name.
        let organization_head =
            range.len() > 1 && in_list(STRONG_ORGANIZATION_HEADS, tokens[range.end - 1].text(prose));
        let Some(mut kind) = proposal
            .label
            .entity_kind()
            .or(landform.then_some(EntityKind::Place))
            .or(organization_head.then_some(EntityKind::Organization))
        else {
            continue;
        };
        if kind == EntityKind::Organization && landform {
            kind = EntityKind::Place;
        }
        // After "Mr." or "Dr." comes a person, whatever else the words could be.
        if kind != EntityKind::Person
            && range.start > sentence.start
            && tokens[range.start - 1].kind == TokenKind::Word
            && lexicon.is_honorific(tokens[range.start - 1].text(prose))
            && !lexicon.is_place(&prose[tokens[range.start].span.start..tokens[range.end - 1].span.end])
        {
            kind = EntityKind::Person;
        }
        // A "person" ending in a title word ("Vice Department Director") is
        // part of a title; so is a portfolio after "Minister for/of"
        // ("External Economic Affairs"), unless it names a body ("Central Committee").
        // A given name and one title word is a name ("John Major").
        let given_and_surname =
            |range: &Range<usize>| range.len() == 2 && lexicon.is_given_name(tokens[range.start].text(prose));
        if kind == EntityKind::Person
            && lexicon.is_title_word(tokens[range.end - 1].text(prose))
            && !given_and_surname(&range)
        {
            continue;
        }
        // The end of a longer title the tagger cut in two ("Vice | Department
        // Director of the Central Committee").
        if kind != EntityKind::Person
            && range.start > sentence.start
            && tokens[range.start - 1].caps == Capitalization::Title
            && lexicon.is_title_word(tokens[range.start - 1].text(prose))
            && lexicon.is_title_word(tokens[range.end - 1].text(prose))
        {
            continue;
        }
        if kind != EntityKind::Person && is_portfolio(prose, tokens, sentence.start, range.clone()) {
            continue;
        }
        // A strong organisation head at the end ("Jones Medical Industries
        // Inc") outweighs the tagger, which decides at the first word.
        if range.len() > 1 && in_list(STRONG_ORGANIZATION_HEADS, tokens[range.end - 1].text(prose)) {
            kind = EntityKind::Organization;
        }
        // Title words and nationality nouns the tagger took into a person's
        // name ("King Mohammed Idris", "Director Ana Horvat",
        // "Spaniard Ana Ruiz") belong to the title; a given name that is also
        // a title word stays before a surname ("Dean Hale").
        while kind == EntityKind::Person
            && range.len() > 1
            && tokens[range.start].caps == Capitalization::Title
            && (lexicon.is_title_word(tokens[range.start].text(prose))
                || lexicon.nationality(tokens[range.start].text(prose)).is_some()
                || in_list(DESCRIPTOR_NOUNS, tokens[range.start].text(prose)))
            && !given_and_surname(&range)
        {
            range.start += 1;
        }
        // A sentence word opening the sentence ("Earlier Tuesday") and
        // weekdays at the end ("Ana Maria Lopez Monday") belong to the
        // sentence, not to the name.
        if kind == EntityKind::Person {
            let opens_sentence = range.start == sentence.start
                || (range.start > sentence.start && tokens[range.start - 1].kind == TokenKind::Punct);
            if range.len() > 1 && opens_sentence && lexicon.is_sentence_word(tokens[range.start].text(prose)) {
                range.start += 1;
            }
            while !range.is_empty() && in_list(WEEKDAYS, tokens[range.end - 1].text(prose)) {
                range.end -= 1;
            }
            if range.is_empty() {
                continue;
            }
        }
        // Regnal numbers belong to the name ("Henry VIII", "Elizabeth I").
        if kind == EntityKind::Person
            && range.len() == 1
            && range.end < sentence.end
            && lexicon.is_given_name(tokens[range.start].text(prose))
            && is_regnal_number(tokens[range.end].text(prose))
        {
            range.end += 1;
        }
        let mut honorific = None;
        // A leading honorific ("Mr. Trump") is not part of the name.
        if kind == EntityKind::Person && range.len() > 1 && lexicon.is_honorific(tokens[range.start].text(prose)) {
            honorific = Some(tokens[range.start].span);
            range.start += 1;
        } else if kind == EntityKind::Person
            && range.start > sentence.start
            && lexicon.is_honorific(tokens[range.start - 1].text(prose))
        {
            honorific = Some(tokens[range.start - 1].span);
        }
        let span = Span::new(tokens[range.start].span.start, tokens[range.end - 1].span.end);
        let possessive = tokens.get(range.end).is_some_and(|token| token.kind == TokenKind::Possessive);
        let after_name = if possessive { range.end + 1 } else { range.end };

        // "Democratic People's Republic of Korea (DPRK)": an acronym in brackets.
        let mut acronym = None;
        if kind != EntityKind::Person || range.len() > 1 {
            let bracket = after_name;
            if bracket + 2 < sentence.end
                && tokens[bracket].kind == TokenKind::Punct
                && tokens[bracket].text(prose) == "("
                && tokens[bracket + 1].caps == Capitalization::Upper
                && tokens[bracket + 2].text(prose) == ")"
                && range.len() > 1
                && initials_match(prose, &tokens[range.clone()], tokens[bracket + 1].text(prose))
            {
                acronym = Some(tokens[bracket + 1].span);
                if kind == EntityKind::Person {
                    kind = EntityKind::Organization;
                }
            }
        }

        // "Russia's foreign ministry": a place's possessive and a lowercase
        // organisation phrase make an organisation.
        if kind == EntityKind::Place && possessive {
            let mut end = range.end + 1;
            while end < sentence.end
                && end - range.end <= 3
                && tokens[end].kind == TokenKind::Word
                && tokens[end].caps == Capitalization::Lower
            {
                end += 1;
                if in_list(
                    &[
                        "ministry",
                        "government",
                        "army",
                        "military",
                        "parliament",
                        "embassy",
                        "navy",
                        "police",
                        "cabinet",
                        "foreign ministry",
                        "central bank",
                        "agency",
                        "council",
                        "court",
                        "senate",
                        "congress",
                    ],
                    tokens[end - 1].text(prose),
                ) {
                    let org_span = Span::new(span.start, tokens[end - 1].span.end);
                    mentions.push(MentionCandidate {
                        span: org_span,
                        kind: EntityKind::Organization,
                        form: MentionForm::Full,
                        name_parts: vec![span, tokens[end - 1].span],
                        honorific: None,
                        title: None,
                        relative_to: None,
                        possessive: false,
                        acronym: None,
                        family_name_first: None,
                        sentence: sentence_index,
                    });
                    covered_until = end;
                    break;
                }
            }
            if covered_until > range.end {
                floor = covered_until;
                continue;
            }
        }

        let mut title = None;
        let mut relative_to = None;
        let mut family_name_first = None;
        if kind == EntityKind::Person {
            let title_floor = floor.max(sentence.start);
            title = titles::title_before(
                prose,
                tokens,
                title_floor,
                if honorific.is_some()
                    && range.start > sentence.start
                    && tokens[range.start - 1].span == honorific.unwrap_or_default()
                {
                    range.start - 1
                } else {
                    range.start
                },
            )
            .or_else(|| titles::title_after(prose, tokens, range.end, sentence.end));
            if let Some(found) = &title
                && found.placement == TitlePlacement::Relational
                && let Some(first) = &first_person_in_sentence
                && first.start < range.start
            {
                relative_to = Some(Span::new(tokens[first.start].span.start, tokens[first.end - 1].span.end));
            }
            if range.len() > 1 {
                let first_word = tokens[range.start].text(prose);
                let last_word = tokens[range.end - 1].text(prose);
                let first_order = lexicon.family_name_order(first_word);
                let last_order = lexicon.family_name_order(last_word);
                family_name_first = match (first_order, last_order) {
                    (Some(first), last)
                        if first.written_first > first.written_last
                            && last.is_none_or(|last| last.written_last <= first.written_first) =>
                    {
                        Some(true)
                    }
                    (_, Some(last)) if last.written_last > 0 => Some(false),
                    _ if lexicon.is_given_name(first_word) => Some(false),
                    _ => None,
                };
            }
        }
        let single = range.len() == 1;
        let form = if single
            && tokens[range.start].caps == Capitalization::Upper
            && tokens[range.start].span.len() > 1
            && kind != EntityKind::Person
        {
            MentionForm::Acronym
        } else if single && kind == EntityKind::Person {
            MentionForm::Partial
        } else {
            MentionForm::Full
        };
        let name_parts = tokens[range.clone()]
            .iter()
            .filter(|token| token.kind == TokenKind::Word)
            .map(|token| token.span)
            .collect();
        mentions.push(MentionCandidate {
            span,
            kind,
            form,
            name_parts,
            honorific,
            title,
            relative_to,
            possessive,
            acronym,
            family_name_first,
            sentence: sentence_index,
        });
        // A title never reaches back past another person's name; it may
        // contain organisations and places ("DPRK Vice Foreign Minister").
        if kind == EntityKind::Person {
            floor = range.end;
        }
        covered_until = covered_until.max(range.end);
    }

    // Titles standing alone ("the premier").
    for index in sentence.clone() {
        if let Some(title_range) = titles::standalone_title(prose, tokens, index, sentence.end) {
            let span = Span::new(tokens[title_range.start].span.start, tokens[title_range.end - 1].span.end);
            if mentions.iter().any(|mention| {
                mention.span.overlaps(span) || mention.title.as_ref().is_some_and(|title| title.span.overlaps(span))
            }) {
                continue;
            }
            mentions.push(MentionCandidate {
                span,
                kind: EntityKind::Person,
                form: MentionForm::Title,
                name_parts: Vec::new(),
                honorific: None,
                title: None,
                relative_to: None,
                possessive: false,
                acronym: None,
                family_name_first: None,
                sentence: sentence_index,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::analyze_paragraph;

    /// Renders every mention candidate of `input` as `text/kind/form[+title]`.
    fn check(input: &str, expect: &str) {
        let result = analyze_paragraph(input, ParagraphKind::Body);
        let rendered: Vec<String> = result
            .mentions
            .iter()
            .map(|mention| {
                let kind = match mention.kind {
                    EntityKind::Person => "PER",
                    EntityKind::Organization => "ORG",
                    EntityKind::Place => "LOC",
                };
                let mut out = format!("{}/{kind}/{:?}", mention.text(input), mention.form);
                if let Some(title) = &mention.title {
                    out.push_str(&format!("[{}]", title.text));
                }
                if let Some(acronym) = mention.acronym {
                    out.push_str(&format!("({})", &input[acronym.start..acronym.end]));
                }
                if mention.family_name_first == Some(true) {
                    out.push_str("{family first}");
                }
                out
            })
            .collect();
        assert_eq!(rendered.join(" | "), expect, "input: {input:?}");
    }

    #[test]
    fn names_with_titles() {
        check(
            "Chinese Premier Li Keqiang spoke in Beijing.",
            "Li Keqiang/PER/Full[Chinese Premier]{family first} | Beijing/LOC/Full",
        );
        check("Mr. Trump met Ursula von der Leyen.", "Trump/PER/Partial | Ursula von der Leyen/PER/Full");
    }

    #[test]
    fn organisations_and_acronyms() {
        check(
            "The Democratic People's Republic of Korea (DPRK) met Russia's foreign ministry.",
            "Democratic People's Republic of Korea/LOC/Full(DPRK) | DPRK/ORG/Acronym | Russia's foreign ministry/ORG/Full",
        );
        check("Staff at Nordvik Ferries struck.", "Nordvik Ferries/ORG/Full");
        check("Ice covered the Baltic Sea for weeks.", "Baltic Sea/LOC/Full");
    }

    #[test]
    fn people_the_tagger_misreads() {
        // A compound title and a surname, read as one organisation by the tagger.
        check("Harbour Commissioner Brandvik met the board.", "Brandvik/PER/Partial[Harbour Commissioner]");
        // Capitalised particle at the start of a sentence.
        check("Van den Berg's office declined to comment.", "Van den Berg/PER/Full");
        // Strong particles join two unknown words into a name.
        check("Mr. Trump met Ursula von der Leyen.", "Trump/PER/Partial | Ursula von der Leyen/PER/Full");
        // After an honorific comes a person.
        check("Mr. Ji Won left early.", "Ji Won/PER/Full");
        // Given names that are also title words, regnal numbers, descriptors.
        check("Scorers: Dean Hale scored twice.", "Dean Hale/PER/Full");
        check("Prime Minister John Major spoke.", "John Major/PER/Full[Prime Minister]");
        check("The portrait shows Henry VIII in armour.", "Henry VIII/PER/Full");
        check("Spaniard Carlos Ruiz lost time.", "Carlos Ruiz/PER/Full");
        // Sentence words and weekdays are no part of a name.
        check("Earlier Tuesday, the envoy left.", "envoy/PER/Title");
        check("Talks with Foreign Minister Ana Lopez open Monday.", "Ana Lopez/PER/Full[Foreign Minister]");
    }

    #[test]
    fn capitalised_words_left_for_the_linker() {
        let prose = "Reporters met Aung Tin Mya and Tin Mya said no. Later Mya left.";
        let result = analyze_paragraph(prose, ParagraphKind::Body);
        let words: Vec<&str> = result.other_capitalized.iter().map(|span| &prose[span.start..span.end]).collect();
        // Words of an unrecognised two-word name are no references on their own.
        assert!(!words.contains(&"Tin"), "{words:?}");
        assert!(words.iter().all(|word| *word != "Later"), "{words:?}");
    }

    #[test]
    fn unicode_spaces_separate_words() {
        // A no-break space before the name and a narrow one inside it, as
        // pasted from web pages, are spaces like any other.
        check(
            "The U.S. envoy\u{a0}Stephen\u{202f}Biegun urged calm.",
            "U.S./LOC/Acronym | Stephen\u{202f}Biegun/PER/Full[U.S. envoy]",
        );
        check("Talks with Choe\u{2009}Son\u{a0}Hui ended.", "Choe\u{2009}Son\u{a0}Hui/PER/Full{family first}");
    }
}
