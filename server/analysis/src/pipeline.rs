//! The analysis pipeline: paragraphs, then per-paragraph analysis (cached by
//! content), then the cheap document-level linking and the rules.
//!
//! The per-paragraph stage is where almost all the work is, and its results use
//! paragraph-relative offsets, so a paragraph that did not change is never
//! analysed again, even when text before it moved it. The document-level stage
//! shifts offsets, links entities and quotes across paragraphs and runs the rules;
//! the `Analyzer` carries each of its parts (entity linking, quote linking, each
//! rule) over a keystroke that cannot change that part's output, and runs the
//! others (`Analyzer::carry_parts_over`).

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::carry_over;
use crate::config::Config;
use crate::document::{self, DocumentKind, DocumentLayout, LayoutEdit, Paragraph, ParagraphKind, layout};
use crate::entities::dependencies::LinkingDependencies;
use crate::entities::linking::{EditedParagraph, Relinked};
use crate::entities::{self, EntityLinking, ParagraphEntities};
use crate::model::{Analysis, Diagnostic, Quote, Span, entity_position};
use crate::quotes::linking::AgencyAnswers;
use crate::quotes::{self, ParagraphQuotes};
use crate::rules;
use crate::rules::given_name_as_surname::CapitalizedStart;
use crate::tracked_text::{self, ReadRecord, TrackedText};

/// Everything the per-paragraph stage finds in one paragraph, with offsets
/// relative to the paragraph's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphAnalysis {
    pub entities: ParagraphEntities,
    pub quotes: ParagraphQuotes,
    pub rule_facts: rules::ParagraphFacts,
}

/// Analyses one paragraph's prose view. Pure: the same prose and kind always
/// give the same result, which is what makes the cache sound.
pub fn analyze_paragraph(prose: &str, kind: ParagraphKind) -> ParagraphAnalysis {
    let entities = entities::analyze_paragraph(prose, kind);
    let quotes = quotes::analyze_paragraph(prose, kind, &entities);
    let rule_facts = rules::paragraph_facts(prose, kind);
    ParagraphAnalysis { entities, quotes, rule_facts }
}

/// A paragraph of the document together with its (possibly cached) analysis.
#[derive(Debug, Clone)]
pub struct ParagraphView<'a> {
    pub index: usize,
    pub paragraph: &'a Paragraph,
    pub analysis: Arc<ParagraphAnalysis>,
}

impl ParagraphView<'_> {
    /// The document offset of the paragraph's first byte; add it to every
    /// paragraph-relative offset.
    pub fn offset(&self) -> usize {
        self.paragraph.span.start
    }
}

/// The full result of analysing a document, with the intermediate stages kept
/// for callers (the language server's features) that need more than [`Analysis`].
#[derive(Debug, Clone)]
pub struct DocumentAnalysis {
    pub layout: DocumentLayout,
    pub paragraph_analyses: Vec<Arc<ParagraphAnalysis>>,
    /// What the paragraph parts of the rules found in each paragraph, with
    /// paragraph-relative offsets and default severities (see [`rules::run_paragraph_rules`]).
    pub paragraph_diagnostics: Vec<Arc<Vec<Diagnostic>>>,
    /// Shared with the `Analyzer` that made it, which carries it over to the
    /// next version of the draft when an edit cannot change it (moving it in
    /// place when nobody else holds it any more, copying it otherwise).
    pub analysis: Arc<Analysis>,
}

impl DocumentAnalysis {
    /// The paragraphs paired with their analyses.
    pub fn paragraph_views(&self) -> Vec<ParagraphView<'_>> {
        paragraph_views(&self.layout, &self.paragraph_analyses)
    }
}

/// The paragraph rules' findings for one written form of a paragraph.
#[derive(Debug)]
struct RuleCacheEntry {
    document_kind: DocumentKind,
    /// The paragraph as written; in Markdown it can differ from the prose
    /// view (masked links, inline code), and the rules quote it in messages.
    text: Box<str>,
    diagnostics: Arc<Vec<Diagnostic>>,
}

#[derive(Debug)]
struct CacheEntry {
    kind: ParagraphKind,
    prose: Box<str>,
    analysis: Arc<ParagraphAnalysis>,
    /// Rule findings computed under the analyser's current configuration.
    rules: Vec<RuleCacheEntry>,
    /// How many paragraphs of the last analysed document use this entry; the
    /// entry leaves the cache when none does.
    uses: usize,
}

impl CacheEntry {
    fn rule_diagnostics(&self, document_kind: DocumentKind, text: &str) -> Option<Arc<Vec<Diagnostic>>> {
        self.rules
            .iter()
            .find(|entry| entry.document_kind == document_kind && *entry.text == *text)
            .map(|entry| Arc::clone(&entry.diagnostics))
    }
}

/// One paragraph of the previously analysed document, as the next call needs
/// it to carry the paragraph over without hashing or comparing its text.
#[derive(Debug)]
struct PreviousParagraph {
    span: Span,
    kind: ParagraphKind,
    /// The [`content_hash`] of the paragraph, under which its entry is filed.
    hash: u64,
    analysis: Arc<ParagraphAnalysis>,
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// The previously analysed document.
#[derive(Debug, Default)]
struct PreviousDocument {
    text: String,
    kind: DocumentKind,
    /// Its layout, from which the next call derives its own when the edit
    /// allows ([`document::relayout`]); `None` before the first call.
    layout: Option<DocumentLayout>,
    paragraphs: Vec<PreviousParagraph>,
    /// The document stage's output and what it read, for carrying over.
    output: Option<PreviousOutput>,
}

/// Whether the edited paragraphs' duplicate keys were shared: the counts of
/// the keys of the paragraphs that left, in the previous document, and the
/// counts of every key in the new one.
#[derive(Debug, Clone, Copy)]
struct DuplicateKeys<'a> {
    before: &'a [(u64, usize)],
    after: &'a FxHashMap<u64, usize>,
}

/// Whether a change of `fact` in the edited paragraph can change what a
/// rule found last (`old_found`): always, but for the capitalised starts of
/// a rule that kept the keys of the starts it reads
/// (`rules::OwnedFindings::fact_keys`) when none of the starts that
/// changed (`changed_capitalized_starts`, when known, with whether the
/// text goes on alphanumerically after the paragraph) is among them. The
/// character after the paragraph is read by that rule's part (recorded):
/// the same as when it last ran unless its read record refuses the carry.
fn fact_change_read(
    fact: rules::Fact,
    old_found: &rules::OwnedFindings,
    changed_capitalized_starts: Option<&(Vec<CapitalizedStart>, bool)>,
) -> bool {
    match (fact, &old_found.fact_keys, changed_capitalized_starts) {
        (rules::Fact::CapitalizedStarts, Some(keys), Some((changed, runs_go_on))) => {
            rules::given_name_as_surname::capitalized_starts_change_matters(keys, changed, *runs_go_on)
        }
        _ => true,
    }
}

/// Whether a change of the linking at `differing` entities is narrow
/// enough for the rules that run per entity to run on those alone: past
/// 64, a keystroke changed a whole component of the linking, and running
/// over every entity keeps the read records short.
fn few_entities(differing: usize) -> bool {
    differing <= 64
}

/// How a change of the edited paragraph's kind (a subhead turned into
/// body text by a letter typed at its end, and back) reaches a rule's
/// document part, after what the rule declares it reads
/// (`rules::Reads::paragraph_kinds`).
#[derive(Debug, PartialEq, Eq)]
enum KindChangeReach {
    /// It reads no kind the change touched: carried over or run as after
    /// any other keystroke.
    Unread,
    /// Only the findings of the entities at these positions of the linking
    /// (ascending), named or titled in the paragraph, can change: a part
    /// that runs per entity runs on them alone.
    Entities(Vec<usize>),
    /// It runs again over the whole draft.
    Whole,
}

/// What the rules may read of the edited paragraph when its kind changed
/// (and no paragraph count did), after the keystroke.
#[derive(Debug)]
struct KindChange {
    /// Its old kind and its new one.
    kinds: (ParagraphKind, ParagraphKind),
    /// The entities named or titled in it (positions in the linking, ascending).
    named_here: Vec<usize>,
    /// Whether a quote starts in it.
    quote_here: bool,
    /// Its capitalised starts, old and new; `None` when they do not tell
    /// what `given-name-as-surname` reads of it.
    starts: Option<Vec<CapitalizedStart>>,
}

/// The reach of the kind change `change` (`None` after a split or a join)
/// on `rule`, whose last run kept `keys` (`OwnedFindings::fact_keys`). A
/// rule that reads kinds at the mentions or quotes it reads reads the
/// edited paragraph's only for those in it now: what else changed with
/// the linking or the quotes, the rule finds again as after any keystroke.
/// One that reads kinds where it offers capitalised starts reads the
/// paragraph's when one of its starts, old or new, may begin a form its
/// last run kept the keys of.
fn kind_change_reach(rule: &rules::Rule, change: Option<&KindChange>, keys: Option<&[u64]>) -> KindChangeReach {
    let Some(change) = change else { return KindChangeReach::Whole };
    let unread_unless = |read: bool| if read { KindChangeReach::Whole } else { KindChangeReach::Unread };
    match rule.reads.paragraph_kinds {
        rules::KindReads::Never => KindChangeReach::Unread,
        rules::KindReads::HeaderLines => {
            let header_line = |kind| matches!(kind, ParagraphKind::Outlet | ParagraphKind::Tags);
            unread_unless(header_line(change.kinds.0) || header_line(change.kinds.1))
        }
        rules::KindReads::AtEntityMentions => match rule.check {
            _ if change.named_here.is_empty() => KindChangeReach::Unread,
            rules::DocumentPart::PerEntity(_) => KindChangeReach::Entities(change.named_here.clone()),
            rules::DocumentPart::Whole(_) => KindChangeReach::Whole,
        },
        rules::KindReads::AtCapitalizedStarts => match (keys, &change.starts) {
            (Some(keys), Some(starts)) => {
                unread_unless(rules::given_name_as_surname::capitalized_starts_change_matters(keys, starts, false))
            }
            _ => KindChangeReach::Whole,
        },
        rules::KindReads::AtQuoteStarts => unread_unless(change.quote_here),
        rules::KindReads::Any => KindChangeReach::Whole,
    }
}

/// What the next call needs to carry the document stage's output over.
#[derive(Debug)]
struct PreviousOutput {
    analysis: Arc<Analysis>,
    /// Whether entity linking's output (quote linking's input, which a
    /// keystroke that re-runs quote linking alone needs again) is the
    /// output's linking less what quote linking added
    /// ([`carry_over::strip_quote_linking`]); when not, neither linking
    /// part is carried over.
    entity_linking_derivable: bool,
    /// What each rule's document part found (`StageOutput::rule_findings`).
    rule_findings: Vec<rules::OwnedFindings>,
    /// Where each diagnostic came from (`StageOutput::diagnostic_origins`).
    diagnostic_origins: Vec<rules::Origin>,
    records: PartRecords,
    /// What entity linking's items depend on (`StageOutput::linking_dependencies`).
    linking_dependencies: Option<LinkingDependencies>,
}

/// How the new layout came about, for the check that the layout's parts
/// besides the paragraphs moved with the edit.
#[derive(Debug)]
enum LayoutChange {
    /// Derived from the previous layout by [`document::relayout`], which
    /// leaves everything before the edited line where it was and moves
    /// everything after it with the edit: moved as the `OffsetMap` moves
    /// offsets, but for the start of the edited line and its paragraph
    /// when the edit starts there, which stay.
    Derived { edit: LayoutEdit },
    /// Laid out from scratch; the previous layout, when there was one, to
    /// compare with.
    Rebuilt(Option<DocumentLayout>),
}

/// What each part of the document stage read from the draft.
#[derive(Debug, Default)]
struct PartRecords {
    entities: ReadRecord,
    quotes: ReadRecord,
    /// One per rule of `rules::RULES` (empty for a rule switched off).
    rules: Vec<ReadRecord>,
    /// One per rule: how many reads its record held after its last run over
    /// every entity. A run over some entities adds its reads to the old
    /// record (the reads of the entities' old findings stay: a record that
    /// reads more is only more cautious); past twice this, the rule runs
    /// over every entity again, so that the record does not grow without end.
    rules_reads_after_whole_run: Vec<usize>,
    /// Putting the rules' findings together (`rules::assemble`: the
    /// suppression comments).
    assembly: ReadRecord,
}

/// The document stage's output with what the `Analyzer` keeps to carry it
/// over part by part.
#[derive(Debug)]
struct StageOutput {
    analysis: Analysis,
    /// `PreviousOutput::entity_linking_derivable`.
    entity_linking_derivable: bool,
    /// What each rule's document part found, one list per rule of
    /// `rules::RULES`, before severities and suppression comments, with
    /// which entity owns each finding for a rule whose document part runs
    /// per entity.
    rule_findings: Vec<rules::OwnedFindings>,
    /// Where each of the analysis's diagnostics came from, one per
    /// diagnostic, for putting only the changed sources' findings in place
    /// on a later keystroke (`rules::reassemble`).
    diagnostic_origins: Vec<rules::Origin>,
    records: PartRecords,
    /// What entity linking's items depend on, for re-linking only some of
    /// them on a later keystroke (`entities::linking::relink`); `None`
    /// after a run of the whole stage, which does not record them (a
    /// full linking costs a third more recording them): the first
    /// keystroke whose entity linking runs then links in full and records
    /// them, and the keystrokes after it can re-link.
    linking_dependencies: Option<LinkingDependencies>,
}

/// Which parts of the document stage the last call ran, each with the reason
/// it could not be carried over (the first condition that failed); `None`
/// for a part whose output was carried over, moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageParts {
    /// `entities::link`.
    pub entities: Option<&'static str>,
    /// When entity linking ran by linking again only the items the edit
    /// could reach (`entities::linking::relink`) rather than all of them:
    /// how many it linked again. For tests and benchmarks.
    pub entities_relinked: Option<usize>,
    /// `quotes::link`.
    pub quotes: Option<&'static str>,
    /// Whether quote linking linked again only a window of paragraphs
    /// around the edited one (`quotes::window`). For tests and benchmarks.
    pub quotes_window: bool,
    /// Whether quote linking's output was carried over although entity
    /// linking's changed, the change reaching no quote
    /// (`quotes::reach::linking_change_unreached`). For tests and benchmarks.
    pub quotes_across_linking_change: bool,
    /// Whether quote linking linked again only a window of paragraphs
    /// after entity linking's output changed, the quotes outside it kept
    /// with their entities renumbered
    /// (`quotes::reach::linking_change_reach`). For tests and benchmarks.
    pub quotes_window_across_linking_change: bool,
    /// How many windows of paragraphs it linked again then (one around the
    /// edit, and one around each distant group of quotes that read a
    /// changed entity). For tests and benchmarks.
    pub quotes_windows_across: usize,
    /// The rules' document parts and putting their findings together
    /// (`rules::run`), the reason of the first rule that ran.
    pub rules: Option<&'static str>,
    /// Which rules' document parts ran: bit `i` for `rules::RULES[i]`
    /// (when `rules` is set, possibly none: the findings were only put
    /// together again).
    pub rules_ran: u32,
    /// Which of the rules that ran (`rules_ran`) ran on the entities the
    /// linking changed alone (`rules::EntityScope::Only`), the others'
    /// findings carried over. For tests and benchmarks.
    pub rules_per_entity: u32,
    /// How the rules' findings were put together.
    pub assembly: Assembly,
    /// Whether the edit added or removed a paragraph and the stage was
    /// carried over it part by part, the old paragraphs seen at their new
    /// positions (rather than the whole stage run). For tests and benchmarks.
    pub paragraphs_renumbered: bool,
}

/// How a call put the rules' findings together (`StageParts::assembly`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Assembly {
    /// The old result, moved: every source found what it found before.
    #[default]
    CarriedOver,
    /// The changed sources' findings merged into the old result's others
    /// (`rules::reassemble`).
    Merged,
    /// Every finding put together again (`rules::assemble`).
    Full,
}

impl StageParts {
    /// Every part ran, for one reason.
    fn all(reason: &'static str, config: &Config) -> StageParts {
        let rules_ran = rules::RULES
            .iter()
            .enumerate()
            .filter(|(_, rule)| rules::effective_severity(rule, config).is_some())
            .fold(0, |ran, (index, _)| ran | 1 << index);
        StageParts {
            entities: Some(reason),
            entities_relinked: None,
            quotes: Some(reason),
            quotes_window: false,
            quotes_across_linking_change: false,
            quotes_window_across_linking_change: false,
            quotes_windows_across: 0,
            rules: Some(reason),
            rules_ran,
            rules_per_entity: 0,
            assembly: Assembly::Full,
            paragraphs_renumbered: false,
        }
    }

    /// The parts that ran, for benchmarks' counts: "entities+quotes+rules",
    /// "quotes+rules", "rules", ... or "none".
    pub fn label(self) -> &'static str {
        match (self.entities.is_some(), self.quotes.is_some(), self.rules.is_some()) {
            (false, false, false) => "none",
            (false, false, true) => "rules",
            (false, true, false) => "quotes",
            (false, true, true) => "quotes+rules",
            (true, false, false) => "entities",
            (true, false, true) => "entities+rules",
            (true, true, false) => "entities+quotes",
            (true, true, true) => "entities+quotes+rules",
        }
    }

    /// How many rules' document parts ran.
    pub fn rules_run(self) -> usize {
        self.rules_ran.count_ones() as usize
    }

    /// The first part's reason for running, if any part ran.
    fn first_reason(self) -> Option<&'static str> {
        self.entities.or(self.quotes).or(self.rules)
    }
}

/// What the parts of the document stage read besides the text and layout.
#[derive(Debug, Clone, Copy)]
struct StageInputs<'a> {
    paragraph_analyses: &'a [Arc<ParagraphAnalysis>],
    paragraph_diagnostics: &'a [Arc<Vec<Diagnostic>>],
    config: &'a Config,
    /// Quote linking's answers to whether a text names a news agency, kept
    /// between calls (`quotes::linking::AgencyAnswers`).
    agency_answers: &'a RefCell<AgencyAnswers>,
}

/// Analyses documents again and again (once per edit), reusing the analysis of
/// every paragraph whose text did not change.
///
/// Two levels of reuse. First, a paragraph lying wholly in the text before
/// the first changed byte, or wholly in the text after the last one, is
/// carried over from the previous call as it was: its bytes are known to be
/// the same without looking at them, which is what one keystroke in a long
/// draft leaves for every paragraph but one. Second, every other paragraph
/// is looked up in a cache keyed by its content, which serves paragraphs
/// moved, pasted, or written twice.
#[derive(Debug, Default)]
pub struct Analyzer {
    /// Keyed by [`content_hash`], already a well-mixed 64-bit hash, so the
    /// map uses the cheap Fx hasher rather than SipHash (whose cost showed
    /// in every keystroke's profile of a long draft). Holds exactly the
    /// entries the previous document's paragraphs use.
    cache: FxHashMap<u64, Vec<CacheEntry>>,
    previous: PreviousDocument,
    /// How many paragraphs of the previous document have each duplicate
    /// key (`rules::ParagraphFacts::duplicate_key`): the edited paragraph's
    /// key may change without changing the document stage's output when it
    /// is shared with no other paragraph, before the edit and after.
    duplicate_keys: FxHashMap<u64, usize>,
    /// Quote linking's answers to whether a text names a news agency,
    /// kept from one call to the next (`quotes::linking::AgencyAnswers`).
    agency_answers: RefCell<AgencyAnswers>,
    /// The configuration the cached rule findings were computed under; a
    /// different one drops them (the paragraph analyses do not depend on it).
    rules_config: Option<Config>,
    /// How many calls of [`Analyzer::analyze`] there have been: debug
    /// builds compare the idle work's result with the kept output when no
    /// analysis came in between ([`Analyzer::install_prepared`]).
    #[cfg(debug_assertions)]
    analyses_run: u64,
    /// How many calls ran entity linking in any way (the whole stage, a
    /// full linking, a re-linking of some items) or moved its items to new
    /// paragraph positions (a paragraph added or removed): the idle work's
    /// result is kept only for the linking it was taken from
    /// ([`Analyzer::install_prepared`]).
    linking_generation: u64,
    /// How many paragraphs the last call analysed afresh; for tests and benchmarks.
    pub last_fresh_paragraphs: usize,
    /// How many paragraphs the last call carried over from the previous
    /// document without looking them up; for tests and benchmarks.
    pub last_carried_paragraphs: usize,
    /// Why the last call ran the document stage, or a part of it, instead
    /// of carrying its output over (the first condition that failed, or the
    /// reason of the first part that ran); `None` when it carried the whole
    /// output over. For tests and benchmarks.
    pub last_refusal: Option<&'static str>,
    /// Which parts of the document stage the last call ran, and why. For
    /// tests and benchmarks.
    pub last_parts: StageParts,
    /// Whether the last call derived its layout from the previous one
    /// ([`document::relayout`]) rather than laying the text out from
    /// scratch. For tests and benchmarks.
    pub last_layout_derived: bool,
}

/// A fast, non-cryptographic hash of a paragraph for the cache's index.
/// Equal texts are still compared byte for byte before an entry is reused,
/// so a collision costs a comparison, never a wrong result. Eight bytes at a
/// time with a multiply and a rotate (the scheme of rustc's FxHasher), which
/// keeps hashing every paragraph of a 100,000-word draft well under a millisecond.
fn content_hash(kind: ParagraphKind, prose: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash = (kind as u64).wrapping_add(prose.len() as u64).wrapping_mul(SEED);
    let mut mix = |word: u64| hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    let mut chunks = prose.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(u64::from_le_bytes(word));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    mix(u64::from_le_bytes(tail));
    hash
}

/// The lengths of the longest common prefix and, in what follows it, the
/// longest common suffix of two texts, in bytes. Never more than the shorter
/// text between them, so the two never overlap.
fn common_prefix_and_suffix(old: &[u8], new: &[u8]) -> (usize, usize) {
    // Compared in blocks first: slice equality is a memcmp, far faster than a
    // byte-by-byte walk over a long unchanged draft.
    const BLOCK: usize = 4096;
    let shorter = old.len().min(new.len());
    let mut prefix = 0;
    while prefix + BLOCK <= shorter && old[prefix..prefix + BLOCK] == new[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    while prefix < shorter && old[prefix] == new[prefix] {
        prefix += 1;
    }
    let room = shorter - prefix;
    let mut suffix = 0;
    while suffix + BLOCK <= room
        && old[old.len() - suffix - BLOCK..old.len() - suffix] == new[new.len() - suffix - BLOCK..new.len() - suffix]
    {
        suffix += BLOCK;
    }
    while suffix < room && old[old.len() - suffix - 1] == new[new.len() - suffix - 1] {
        suffix += 1;
    }
    (prefix, suffix)
}

/// How an edit changed the list of paragraphs, for carrying the document
/// stage over it: every part indexes paragraphs by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParagraphCountChange {
    /// The same paragraphs, each in its old place.
    Same,
    /// A paragraph added at this position, whose text is exactly the
    /// inserted bytes (the first letter typed on an empty line): the
    /// paragraphs from there on are the old ones one place further.
    Added(usize),
    /// The old paragraph at this position removed, its text exactly the
    /// removed bytes (its only character deleted): the paragraphs after it
    /// are the old ones one place earlier.
    Removed(usize),
    /// The old paragraph at this position split in two by line breaks
    /// typed inside it (Enter pressed in a paragraph): its text before
    /// them is the new paragraph at this position, its text after them
    /// the next one; the paragraphs after are the old ones one place
    /// further.
    Split(usize),
    /// The old paragraphs at this position and the next joined into one
    /// by deleting line breaks between them (Backspace at a paragraph's
    /// start, Delete at its end): the paragraphs after are the old ones
    /// one place earlier.
    Joined(usize),
}

impl ParagraphCountChange {
    /// Whether the edit split a paragraph or joined two, rather than adding
    /// or removing a whole one: then paragraphs the edit did not touch keep
    /// their text, but the edited ones are each other's old text cut or
    /// glued at the line breaks.
    fn split_or_joined(self) -> bool {
        matches!(self, ParagraphCountChange::Split(_) | ParagraphCountChange::Joined(_))
    }
}

/// The previous document's paragraphs as the new positions see them: the
/// old paragraph at each new position, and for a paragraph added, an empty
/// old paragraph in its place (at the edit, with the facts of an empty
/// paragraph), so that the added paragraph counts as the edited one whose
/// every fact is new.
struct OldParagraphs<'a> {
    paragraphs: &'a [PreviousParagraph],
    change: ParagraphCountChange,
    /// The empty old paragraph standing for an added one.
    empty: Option<PreviousParagraph>,
}

impl OldParagraphs<'_> {
    /// The old paragraph at the new position `position`.
    fn get(&self, position: usize) -> &PreviousParagraph {
        match (self.change, &self.empty) {
            (ParagraphCountChange::Added(added), Some(empty)) if position == added => empty,
            (ParagraphCountChange::Added(added), _) if position > added => &self.paragraphs[position - 1],
            (ParagraphCountChange::Removed(removed), _) if position >= removed => &self.paragraphs[position + 1],
            // Both halves of a split paragraph were the one old paragraph.
            (ParagraphCountChange::Split(split), _) if position > split => &self.paragraphs[position - 1],
            (ParagraphCountChange::Joined(joined), _) if position > joined => &self.paragraphs[position + 1],
            _ => &self.paragraphs[position],
        }
    }

    /// The old bytes of the paragraphs from new position `first` to
    /// `last`: with a removed paragraph next to them, it too (its bytes
    /// are the edit, which a window that takes over the reads around the
    /// edit must hold).
    fn window_span(&self, first: usize, last: usize) -> Span {
        let mut span = Span::new(self.get(first).span.start, self.get(last).span.end);
        if let ParagraphCountChange::Removed(removed) = self.change {
            let removed_span = self.paragraphs[removed].span;
            if first == removed {
                span.start = span.start.min(removed_span.start);
            }
            if last + 1 == removed {
                span.end = span.end.max(removed_span.end);
            }
        }
        // The joined paragraph was two old ones: the second's bytes too.
        if let ParagraphCountChange::Joined(joined) = self.change
            && last == joined
        {
            span.end = span.end.max(self.paragraphs[joined + 1].span.end);
        }
        span
    }
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Analyses `text`. Paragraphs of the previous call are carried over or
    /// taken from the cache; the cache then keeps only this call's
    /// paragraphs, so it never holds more than one document's worth.
    pub fn analyze(&mut self, text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
        #[cfg(debug_assertions)]
        {
            self.analyses_run += 1;
        }
        let mut carry_allowed = self.previous.kind == kind;
        if self.rules_config.as_ref() != Some(config) {
            for entry in self.cache.values_mut().flatten() {
                entry.rules.clear();
            }
            self.rules_config = Some(config.clone());
            // The previous paragraphs' rule findings are the old configuration's.
            carry_allowed = false;
        }
        let mut previous = std::mem::take(&mut self.previous);
        // Owned, so that carrying it over moves its offsets in place.
        let previous_output = previous.output.take();
        // The edit, as the longest common prefix and suffix give it.
        let edit = (previous.kind == kind && previous.layout.is_some())
            .then(|| common_prefix_and_suffix(previous.text.as_bytes(), text.as_bytes()));
        // The layout, derived from the previous one when the edit allows:
        // laying out every paragraph again was the largest linear cost of a
        // keystroke in a long draft.
        let layout_edit = edit.map(|(prefix, suffix)| LayoutEdit {
            start: prefix,
            old_end: previous.text.len() - suffix,
            new_end: text.len() - suffix,
        });
        let (layout, layout_change) = match (previous.layout.take(), layout_edit) {
            (Some(mut derived), Some(edit)) => {
                if document::relayout(&mut derived, &previous.text, text, edit) {
                    (derived, LayoutChange::Derived { edit })
                } else {
                    (layout(text, kind), LayoutChange::Rebuilt(Some(derived)))
                }
            }
            (old, _) => (layout(text, kind), LayoutChange::Rebuilt(old)),
        };
        debug_assert_eq!(layout, document::layout(text, kind), "the derived layout is not the full one");
        self.last_layout_derived = matches!(layout_change, LayoutChange::Derived { .. });
        let (prefix, suffix) = match edit {
            Some(edit) if carry_allowed && !previous.paragraphs.is_empty() => edit,
            _ => (0, 0),
        };
        // Where the unchanged tail starts, in the new text and in the old.
        let suffix_start_new = text.len() - suffix;
        let suffix_start_old = previous.text.len() - suffix;
        let mut carried_from_previous = vec![false; previous.paragraphs.len()];
        // The duplicate keys of the paragraphs not carried over, counted in
        // after those of the previous paragraphs that leave are counted out.
        let counts_follow_previous = carry_allowed && previous_output.is_some();
        let mut entering_keys = Vec::new();
        let mut previous_cursor = 0;
        let mut fresh = 0;
        let mut carried = 0;
        let mut paragraphs = Vec::with_capacity(layout.paragraphs.len());
        for paragraph in &layout.paragraphs {
            // The paragraph's bytes in the previous text, when the edit cannot
            // have touched them. In Markdown a change earlier in the draft
            // (an opened comment or code fence) can hide text further on, so
            // there only the part before the edit is carried over; in plain
            // text a paragraph's prose is its own bytes.
            let unchanged_span = if paragraph.span.end <= prefix {
                Some(paragraph.span)
            } else if paragraph.span.start >= suffix_start_new && kind == DocumentKind::PlainText {
                Some(Span::new(
                    paragraph.span.start - suffix_start_new + suffix_start_old,
                    paragraph.span.end - suffix_start_new + suffix_start_old,
                ))
            } else {
                None
            };
            if let Some(old_span) = unchanged_span {
                while previous_cursor < previous.paragraphs.len()
                    && previous.paragraphs[previous_cursor].span.start < old_span.start
                {
                    previous_cursor += 1;
                }
                if let Some(old) = previous.paragraphs.get(previous_cursor)
                    && old.span == old_span
                    && old.kind == paragraph.kind
                {
                    carried_from_previous[previous_cursor] = true;
                    carried += 1;
                    paragraphs.push(PreviousParagraph {
                        span: paragraph.span,
                        kind: paragraph.kind,
                        hash: old.hash,
                        analysis: Arc::clone(&old.analysis),
                        diagnostics: Arc::clone(&old.diagnostics),
                    });
                    continue;
                }
            }
            let hash = content_hash(paragraph.kind, &paragraph.prose);
            let same = |entry: &CacheEntry| entry.kind == paragraph.kind && *entry.prose == *paragraph.prose;
            let entries = self.cache.entry(hash).or_default();
            let index = entries.iter().position(same).unwrap_or_else(|| {
                fresh += 1;
                entries.push(CacheEntry {
                    kind: paragraph.kind,
                    prose: Box::from(&*paragraph.prose),
                    analysis: Arc::new(analyze_paragraph(&paragraph.prose, paragraph.kind)),
                    rules: Vec::new(),
                    uses: 0,
                });
                entries.len() - 1
            });
            entries[index].uses += 1;
            if let Some(key) = entries[index].analysis.rule_facts.duplicate_key {
                entering_keys.push(key);
            }
            let entry = &mut entries[index];
            let paragraph_text = &text[paragraph.span.start..paragraph.span.end];
            let diagnostics = entry.rule_diagnostics(kind, paragraph_text).unwrap_or_else(|| {
                let found =
                    Arc::new(rules::run_paragraph_rules(paragraph_text, kind, paragraph, &entry.analysis, config));
                entry.rules.push(RuleCacheEntry {
                    document_kind: kind,
                    text: paragraph_text.into(),
                    diagnostics: Arc::clone(&found),
                });
                found
            });
            paragraphs.push(PreviousParagraph {
                span: paragraph.span,
                kind: paragraph.kind,
                hash,
                analysis: Arc::clone(&entry.analysis),
                diagnostics,
            });
        }
        // The edited paragraphs' keys: how many paragraphs had each before.
        let mut leaving_keys = Vec::new();
        if counts_follow_previous {
            for (old, _) in previous.paragraphs.iter().zip(&carried_from_previous).filter(|(_, carried)| !**carried) {
                if let Some(key) = old.analysis.rule_facts.duplicate_key {
                    leaving_keys.push((key, self.duplicate_keys.get(&key).copied().unwrap_or(0)));
                }
            }
            for (key, _) in &leaving_keys {
                if let Some(count) = self.duplicate_keys.get_mut(key) {
                    *count -= 1;
                    if *count == 0 {
                        self.duplicate_keys.remove(key);
                    }
                }
            }
            for key in &entering_keys {
                *self.duplicate_keys.entry(*key).or_default() += 1;
            }
        } else {
            self.duplicate_keys.clear();
            for paragraph in &paragraphs {
                if let Some(key) = paragraph.analysis.rule_facts.duplicate_key {
                    *self.duplicate_keys.entry(key).or_default() += 1;
                }
            }
        }
        let paragraph_analyses: Vec<_> = paragraphs.iter().map(|paragraph| Arc::clone(&paragraph.analysis)).collect();
        let paragraph_diagnostics: Vec<_> =
            paragraphs.iter().map(|paragraph| Arc::clone(&paragraph.diagnostics)).collect();
        let inputs = StageInputs {
            paragraph_analyses: &paragraph_analyses,
            paragraph_diagnostics: &paragraph_diagnostics,
            config,
            agency_answers: &self.agency_answers,
        };
        let carried_output = if !carry_allowed {
            Err("kind or stylebook changed")
        } else {
            let keys = DuplicateKeys { before: &leaving_keys, after: &self.duplicate_keys };
            let map = carry_over::OffsetMap {
                start: prefix,
                old_end: previous.text.len() - suffix,
                new_length: text.len() - suffix - prefix,
            };
            match previous_output {
                Some(output) => self.carry_parts_over(
                    &previous,
                    output,
                    text,
                    (&layout, &layout_change),
                    &paragraphs,
                    inputs,
                    map,
                    keys,
                ),
                None => Err("no previous output"),
            }
        };
        // The previous paragraphs not carried over no longer use their
        // entries; an entry nothing uses leaves the cache.
        for (old, _) in previous.paragraphs.iter().zip(&carried_from_previous).filter(|(_, carried)| !**carried) {
            let Some(entries) = self.cache.get_mut(&old.hash) else { continue };
            if let Some(index) = entries.iter().position(|entry| Arc::ptr_eq(&entry.analysis, &old.analysis)) {
                entries[index].uses = entries[index].uses.saturating_sub(1);
                if entries[index].uses == 0 {
                    entries.swap_remove(index);
                }
            }
            if entries.is_empty() {
                self.cache.remove(&old.hash);
            }
        }
        // The previous text becomes this one: only the edited bytes are
        // written (the tail after them moves when the length changed),
        // rather than the whole draft copied.
        let mut previous_text = previous.text;
        match edit {
            Some((prefix, suffix)) => {
                // The common prefix and suffix are counted in bytes and may
                // end inside a character; widened to whole characters (the
                // widened bytes are common to both texts, so each end is a
                // character boundary in both).
                let mut start = prefix;
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut tail = suffix;
                while !text.is_char_boundary(text.len() - tail) {
                    tail -= 1;
                }
                let old_end = previous_text.len() - tail;
                previous_text.replace_range(start..old_end, &text[start..text.len() - tail]);
            }
            None => {
                previous_text.clear();
                previous_text.push_str(text);
            }
        }
        debug_assert_eq!(previous_text, text);
        self.last_fresh_paragraphs = fresh;
        self.last_carried_paragraphs = carried;
        let (stage, parts) = carried_output
            .unwrap_or_else(|reason| (link_document_recording(text, &layout, inputs), StageParts::all(reason, config)));
        self.last_parts = parts;
        self.last_refusal = parts.first_reason();
        // Entity linking ran, or its items were carried over to new
        // paragraph positions: dependencies recorded before are not this
        // linking's (they are tied to the paragraphs by position).
        if parts.entities.is_some() || parts.paragraphs_renumbered {
            self.linking_generation += 1;
        }
        let StageOutput {
            analysis,
            entity_linking_derivable,
            rule_findings,
            diagnostic_origins,
            records,
            linking_dependencies,
        } = stage;
        // The output is shared between the caller and the next call.
        let analysis = Arc::new(analysis);
        let output = PreviousOutput {
            analysis: Arc::clone(&analysis),
            entity_linking_derivable,
            rule_findings,
            diagnostic_origins,
            records,
            linking_dependencies,
        };
        // The caller's copy shares every paragraph's prose string with the
        // one kept here.
        self.previous = PreviousDocument {
            text: previous_text,
            kind,
            layout: Some(layout.clone()),
            paragraphs,
            output: Some(output),
        };
        DocumentAnalysis { layout, paragraph_analyses, paragraph_diagnostics, analysis }
    }

    /// The document stage's output for the new draft, each of its parts
    /// carried over from the previous call (its old output moved) when the
    /// edit cannot have changed it and run again otherwise; `Err` when the
    /// edit may have changed what every part depends on, and the whole
    /// stage must run.
    ///
    /// Each part of the stage (entity linking, quote linking, the rules'
    /// document parts) is a function of the text it reads, the layout, some
    /// of the paragraphs' facts, the parts before it, and the
    /// configuration. The conditions every part shares: (1) the edit adds or
    /// removes no line break, or adds or removes line breaks alone between
    /// paragraphs (a part that asked for the line number of a place after
    /// the edit then runs: the rules' messages name lines); (2) every paragraph's
    /// span is the old one moved and, but for the edited paragraph's (then
    /// every rule's document part runs), its kind the same; the paragraphs the
    /// edit did not touch kept their analysis and findings, and the one it
    /// touched changed its prose only in the edited bytes, which are prose as
    /// written (old and new); (3) the rest of the layout the stage reads
    /// moved likewise. Then a part's output for the new draft is its old
    /// output with every offset moved past the edit
    /// ([`carry_over::OffsetMap`]) when: (4) the edited paragraph's facts
    /// that part reads are the old ones moved (entity linking:
    /// [`carry_over::entity_facts`]; quote linking: the quote facts; the
    /// rules: [`carry_over::rule_facts`] and the paragraph rules' findings);
    /// (5) the parts before it were carried over, or ran and gave their old
    /// output moved; (6) no byte range the part read overlaps the edit; (7)
    /// no distance the part compared with a limit, close enough to it to
    /// flip, spans the edit, and the edit changes the length by less than
    /// that margin. A part only compares offsets with each other (the map
    /// keeps their order), reads the text (6), and compares distances (7);
    /// so on the new inputs it takes the same steps at the moved places.
    #[allow(clippy::too_many_arguments)]
    fn carry_parts_over(
        &self,
        previous: &PreviousDocument,
        output: PreviousOutput,
        text: &str,
        (layout, layout_change): (&DocumentLayout, &LayoutChange),
        paragraphs: &[PreviousParagraph],
        inputs: StageInputs<'_>,
        map: carry_over::OffsetMap,
        keys: DuplicateKeys<'_>,
    ) -> Result<(StageOutput, StageParts), &'static str> {
        let removed = &previous.text.as_bytes()[map.start..map.old_end];
        let inserted = &text.as_bytes()[map.start..map.new_end()];
        let is_line_break = |byte: &u8| matches!(byte, b'\n' | b'\r');
        // An edit that adds or removes line breaks and nothing else, between
        // paragraphs (a writer pressing Enter at the end of a paragraph, or
        // deleting an empty line): every paragraph keeps its text and its
        // place in the list, so every part's output moves with the edit but
        // for the line numbers the rules' messages give of places after it
        // (a part that asked for one runs again, see `moved_record`). An
        // edit that breaks a paragraph or joins two changes the paragraph
        // list, and the whole stage runs.
        let line_break_edit = removed.iter().chain(inserted).any(is_line_break);
        if line_break_edit && !removed.iter().chain(inserted).all(is_line_break) {
            return Err("line break");
        }
        if removed.len().abs_diff(inserted.len()) >= tracked_text::DISTANCE_MARGIN {
            return Err("long edit");
        }
        // An edit that starts where a line starts (typing at the start of a
        // paragraph, deleting its first character) leaves the line's start
        // and the paragraph's where they were, while everything after them
        // moves with the edit: the map gives an offset at a pure insertion's
        // start the place after the inserted bytes, and one at a pure
        // deletion's start none.
        let start_stays = |old: usize| if old == map.start && !line_break_edit { Some(old) } else { map.offset(old) };
        // (3) The layout besides the paragraphs.
        let moved_all = |old: &[Span], new: &[Span]| {
            old.len() == new.len() && old.iter().zip(new).all(|(old, new)| map.span(*old) == Some(*new))
        };
        let layout_moved = match layout_change {
            LayoutChange::Derived { edit } => {
                (edit.start, edit.old_end, edit.new_end) == (map.start, map.old_end, map.new_end())
            }
            LayoutChange::Rebuilt(None) => false,
            LayoutChange::Rebuilt(Some(old)) => {
                layout.front_matter.map(Some) == old.front_matter.map(|span| map.span(span))
                    && moved_all(&old.comments, &layout.comments)
                    && moved_all(&old.oversized, &layout.oversized)
                    // Line starts are read only for line numbers, which a
                    // part's record says it asked for.
                    && (line_break_edit
                        || (old.line_starts.len() == layout.line_starts.len()
                            && old
                                .line_starts
                                .iter()
                                .zip(&layout.line_starts)
                                .all(|(old, new)| start_stays(*old) == Some(*new))))
            }
        };
        if !layout_moved {
            return Err("layout moved");
        }
        // (2) The paragraphs, and (4) which parts' facts the edit changed.
        if layout.paragraphs.len() != paragraphs.len() {
            return Err("paragraph count");
        }
        // A paragraph added or removed: every part indexes paragraphs by
        // position, so the old paragraphs are seen at their new positions
        // (`OldParagraphs`), the parts' outputs that hold positions are
        // renumbered (entity linking's dependencies), and the parts that
        // read which paragraph comes next to which run again around the
        // place (quote linking by a window holding both neighbours) or
        // whole (the rules). Only the simplest edits: a paragraph whose
        // text is exactly the inserted bytes, or exactly the removed ones,
        // with no line break added or removed.
        //
        // Or a paragraph split in two by line breaks typed inside it, or two
        // joined by deleting the line breaks between them: the edit is line
        // breaks alone, strictly inside the old paragraph (a split), or
        // strictly between the two old ones (a join). The halves, or the
        // joined paragraph, are the edited paragraphs, analysed afresh, and
        // the parts are carried over as after a paragraph added or removed.
        let count_change = if previous.paragraphs.len() == paragraphs.len() {
            ParagraphCountChange::Same
        } else if line_break_edit {
            split_or_join(&previous.paragraphs, paragraphs, map, (removed, inserted)).ok_or("paragraph count")?
        } else if paragraphs.len() == previous.paragraphs.len() + 1 && removed.is_empty() {
            let added = paragraphs.partition_point(|paragraph| paragraph.span.start < map.start);
            if paragraphs.get(added).map(|paragraph| paragraph.span) != Some(Span::new(map.start, map.new_end())) {
                return Err("paragraph count");
            }
            ParagraphCountChange::Added(added)
        } else if paragraphs.len() + 1 == previous.paragraphs.len() && inserted.is_empty() && !paragraphs.is_empty() {
            let removed_at = previous.paragraphs.partition_point(|paragraph| paragraph.span.start < map.start);
            if previous.paragraphs.get(removed_at).map(|paragraph| paragraph.span)
                != Some(Span::new(map.start, map.old_end))
            {
                return Err("paragraph count");
            }
            ParagraphCountChange::Removed(removed_at)
        } else {
            return Err("paragraph count");
        };
        let count_changed = count_change != ParagraphCountChange::Same;
        // What an empty paragraph of the added or removed one's kind finds:
        // the added paragraph's old facts, and what the removed one must
        // have found for the parts to need nothing of it.
        let empty_analysis = match count_change {
            ParagraphCountChange::Same | ParagraphCountChange::Split(_) | ParagraphCountChange::Joined(_) => None,
            ParagraphCountChange::Added(position) => Some(Arc::new(analyze_paragraph("", paragraphs[position].kind))),
            ParagraphCountChange::Removed(position) => {
                Some(Arc::new(analyze_paragraph("", previous.paragraphs[position].kind)))
            }
        };
        let old_paragraphs = OldParagraphs {
            paragraphs: &previous.paragraphs,
            change: count_change,
            empty: match (count_change, &empty_analysis) {
                (ParagraphCountChange::Added(position), Some(analysis)) => Some(PreviousParagraph {
                    span: Span::new(map.start, map.start),
                    kind: paragraphs[position].kind,
                    hash: 0,
                    analysis: Arc::clone(analysis),
                    diagnostics: Arc::default(),
                }),
                _ => None,
            },
        };
        let mut changed = StageParts::default();
        let mut changed_facts: Vec<rules::Fact> = Vec::new();
        // When the edited paragraph's capitalised starts changed: those
        // added, gone or changed, old (moved) and new; `None` when they are
        // not known (several paragraphs edited, or an old fact in the edit).
        // With whether the character after the paragraph is alphanumeric.
        let mut changed_capitalized_starts: Option<(Vec<CapitalizedStart>, bool)> = None;
        let mut findings_changed = false;
        // Whether the edited paragraph's kind changed (a subhead that a
        // closing mark typed at its end turns into body text, and back).
        // Entity and quote linking read a paragraph's kind only through its
        // facts, which are compared below; the rules' document parts that
        // read it directly say which kinds (`rules::KindReads`).
        let mut kind_changed = false;
        // The edited paragraph whose kind changed, when the edit changed no
        // paragraph count: its position, its old kind and its new one.
        let mut kind_change: Option<(usize, ParagraphKind, ParagraphKind)> = None;
        // The paragraphs the edit touched (by position) and their old spans.
        let mut edited_paragraphs: Vec<(usize, Span)> = Vec::new();
        for (position, (new, paragraph)) in paragraphs.iter().zip(&layout.paragraphs).enumerate() {
            let old = old_paragraphs.get(position);
            // The added paragraph stands in the old text as an empty one
            // at the edit, with no prose in the cache.
            let added_here = count_change == ParagraphCountChange::Added(position);
            // A half of a split paragraph, or the joined one: edited, its
            // facts compared below as a whole with the old paragraph's or
            // the old two's. Every fact the rules read counts as changed
            // (the rules that read any, `Reads::facts`, all read the
            // order of the paragraphs and run after a split or a join
            // anyway), and so do the paragraph rules' findings (the
            // findings are put together in full after a count change).
            let cut_or_glued_here = match count_change {
                ParagraphCountChange::Split(split) => position == split || position == split + 1,
                ParagraphCountChange::Joined(joined) => position == joined,
                _ => false,
            };
            if cut_or_glued_here {
                kind_changed |= old.kind != new.kind;
                if let ParagraphCountChange::Joined(joined) = count_change {
                    kind_changed |= previous.paragraphs[joined + 1].kind != new.kind;
                }
                edited_paragraphs.push((position, old.span));
                changed_facts = rules::Fact::ALL.to_vec();
                findings_changed = true;
                continue;
            }
            // Line breaks only between paragraphs: none may be touched, not
            // even at its ends (an offset at a pure insertion's place moves
            // with the edit, a paragraph's end there must not), so none is
            // the edited one.
            if line_break_edit && !(old.span.end < map.start || map.old_end <= old.span.start) {
                return Err("line break in a paragraph");
            }
            let edited_here = !line_break_edit && old.span.start <= map.start && map.old_end <= old.span.end;
            let moved_span = start_stays(old.span.start).zip(map.offset(old.span.end));
            if moved_span.map(|(start, end)| Span::new(start, end)) != Some(new.span)
                || (old.kind != new.kind && !edited_here)
            {
                return Err("paragraph moved");
            }
            if old.kind != new.kind {
                kind_changed = true;
                kind_change = Some((position, old.kind, new.kind));
            }
            // A paragraph the edit did not touch must have kept its results;
            // the one it touched is checked in full, even with the same results.
            if !edited_here {
                if Arc::ptr_eq(&old.analysis, &new.analysis) && Arc::ptr_eq(&old.diagnostics, &new.diagnostics) {
                    continue;
                }
                return Err("other paragraph changed");
            }
            edited_paragraphs.push((position, old.span));
            let relative = map.relative_to(old.span.start);
            let old_entities = carry_over::shift_entity_facts(relative, carry_over::entity_facts(&old.analysis));
            if old_entities != Some(carry_over::entity_facts(&new.analysis)) {
                changed.entities = Some("entity facts");
            }
            let old_quotes = carry_over::shift_quote_facts(relative, old.analysis.quotes.clone());
            if old_quotes.as_ref() != Some(&new.analysis.quotes) {
                changed.quotes = Some("quote facts");
            }
            match carry_over::shift_rule_facts(relative, carry_over::rule_facts(&old.analysis)) {
                Some(mut expected) => {
                    // The duplicate key changes with every word, but only
                    // matters when another paragraph has the same one
                    // (`duplicate-paragraph` reads it for nothing else).
                    let old_key = expected.duplicate_key;
                    let new_key = new.analysis.rule_facts.duplicate_key;
                    if old_key.is_none_or(|key| keys.before.contains(&(key, 1)))
                        && new_key.is_none_or(|key| keys.after.get(&key) == Some(&1))
                    {
                        expected.duplicate_key = new_key;
                    }
                    let differing = carry_over::differing_facts(&expected, &new.analysis.rule_facts);
                    if differing.contains(&rules::Fact::CapitalizedStarts) && edited_paragraphs.len() == 1 {
                        let changed = carry_over::changed_items(
                            &expected.capitalized_starts,
                            &new.analysis.rule_facts.capitalized_starts,
                        );
                        let runs_go_on = text[new.span.end..].chars().next().is_some_and(char::is_alphanumeric);
                        changed_capitalized_starts = Some((changed, runs_go_on));
                    }
                    for fact in differing {
                        if !changed_facts.contains(&fact) {
                            changed_facts.push(fact);
                        }
                    }
                }
                // An old fact in the edited bytes: every fact counts as changed.
                None => changed_facts = rules::Fact::ALL.to_vec(),
            }
            let mut old_diagnostics = (*old.diagnostics).clone();
            if carry_over::shift_diagnostics(relative, &mut old_diagnostics).is_none()
                || old_diagnostics != *new.diagnostics
            {
                findings_changed = true;
            }
            let old_prose = if added_here {
                &[][..]
            } else {
                self.cache
                    .get(&old.hash)
                    .ok_or("prose")?
                    .iter()
                    .find(|entry| Arc::ptr_eq(&entry.analysis, &old.analysis))
                    .map(|entry| entry.prose.as_bytes())
                    .ok_or("prose")?
            };
            let new_prose = paragraph.prose.as_bytes();
            let (start, old_end, new_end) = (relative.start, relative.old_end, relative.new_end());
            if old_prose.len() != old.span.len()
                || new_prose.len() != new.span.len()
                || old_prose[..start] != new_prose[..start]
                || old_prose[old_end..] != new_prose[new_end..]
                || old_prose[start..old_end] != *removed
                || new_prose[start..new_end] != *inserted
            {
                return Err("prose");
            }
        }
        // The changed starts were found for the first paragraph edited:
        // with another edited too, they are not all known.
        if edited_paragraphs.len() != 1 {
            changed_capitalized_starts = None;
        }
        // Quote linking reads which paragraph comes next to which (a quote
        // going on into the next paragraph, a floating quote taking the
        // speaker of the one before, a pronoun looking back two
        // paragraphs): after a paragraph is added or removed it links
        // again a window holding the place and both its neighbours (and
        // so the removed paragraph's bytes, where its old quotes are
        // placed), or every quote. A removed paragraph must have held no
        // entity facts for entity linking to be carried over.
        match (count_change, &empty_analysis) {
            (ParagraphCountChange::Added(position), _) => {
                if edited_paragraphs.as_slice().iter().map(|(edited, _)| *edited).ne([position]) {
                    return Err("paragraph count");
                }
                changed.quotes = Some("paragraph added");
            }
            (ParagraphCountChange::Removed(position), Some(empty)) => {
                let removed_paragraph = &previous.paragraphs[position].analysis;
                changed.quotes = Some("paragraph removed");
                if carry_over::entity_facts(removed_paragraph) != carry_over::entity_facts(empty) {
                    changed.entities = Some("removed paragraph's entities");
                }
            }
            // Entity linking reads a paragraph's position only to file its
            // items' dependencies: the halves' items, read as one list,
            // must be the old paragraph's moved (or the joined one's the
            // old two's), else it links again.
            (ParagraphCountChange::Split(split), _) => {
                changed.quotes = Some("paragraph split");
                let old = &previous.paragraphs[split];
                let halves = [split, split + 1]
                    .map(|position| (&*paragraphs[position].analysis, paragraphs[position].span.start));
                let moved = carry_over::shift_entity_facts(
                    map.relative_to(old.span.start),
                    carry_over::entity_facts(&old.analysis),
                );
                if moved.is_none() || moved != carry_over::concatenated_entity_facts(&halves, old.span.start) {
                    changed.entities = Some("entity facts");
                }
            }
            (ParagraphCountChange::Joined(joined), _) => {
                changed.quotes = Some("paragraphs joined");
                let (first, second) = (&previous.paragraphs[joined], &previous.paragraphs[joined + 1]);
                let moved = carry_over::concatenated_entity_facts(
                    &[(&*first.analysis, first.span.start), (&*second.analysis, second.span.start)],
                    first.span.start,
                )
                .and_then(|both| carry_over::shift_entity_facts(map.relative_to(first.span.start), both));
                if moved.as_ref() != Some(&carry_over::entity_facts(&paragraphs[joined].analysis)) {
                    changed.entities = Some("entity facts");
                }
            }
            _ => {}
        }
        // The paragraph whose quote facts changed, with the paragraphs a
        // window of quote linking must hold: the edited one, or after a
        // paragraph was added or removed, the place and its neighbours.
        let last_position = paragraphs.len().saturating_sub(1);
        let quote_edit: Option<(usize, (usize, usize))> = match (count_change, edited_paragraphs.as_slice()) {
            (ParagraphCountChange::Same, &[(position, _)]) => Some((position, (position, position))),
            (ParagraphCountChange::Same, _) => None,
            (ParagraphCountChange::Added(position), _) => {
                Some((position, (position.saturating_sub(1), (position + 1).min(last_position))))
            }
            (ParagraphCountChange::Removed(position), _) => {
                let after = position.min(last_position);
                Some((after, (position.saturating_sub(1).min(after), after)))
            }
            // The halves and a neighbour after them, and two paragraphs
            // before them. The window's cuts are judged on the new
            // paragraphs' quote facts and the edited position's old ones
            // (`EditedQuotes::old`, the whole old paragraph's): a cut is
            // clean when the paragraph before it holds no direct quote and
            // the three from it no pronoun source, old and new. Starting
            // the window two paragraphs before the edited one keeps every
            // cut's three within the paragraphs up to it, where the old
            // and new positions are the same.
            (ParagraphCountChange::Split(split), _) => {
                Some((split, (split.saturating_sub(2), (split + 2).min(last_position))))
            }
            // Likewise the joined paragraph: two before it, one after.
            (ParagraphCountChange::Joined(joined), _) => {
                Some((joined, (joined.saturating_sub(2), (joined + 1).min(last_position))))
            }
        };
        // After typing at a paragraph's start, a rule's read from there may
        // have read "the paragraph" (`duplicate-paragraph` and
        // `leftover-boilerplate` record whole paragraphs), which now begins
        // with the typed bytes: such a read does not move with the bytes it
        // read, as the map would have it. (Entity and quote linking read
        // mentions, words and marks, which move with the bytes.)
        let edit_at_paragraph_start = edited_paragraphs.iter().any(|(_, old_span)| old_span.start == map.start);
        // After two paragraphs were joined, a read that stopped at the
        // first one's end or started at the second one's start may have
        // stopped there because the paragraph did (`text::starts_sentence`
        // reads back to the paragraph's start and no further, recording an
        // empty read there): it would read on now. The map moves such a
        // read as if it read the same bytes (a read ending before the
        // removed line breaks, or starting after them), so a rule's record
        // with a read touching the old boundary runs again. (After a split
        // a read that crossed the new boundary held the edit's place, which
        // the map already refuses; entity linking reads only its items'
        // text, which its facts, compared whole, decide.)
        let joined_boundary = match count_change {
            ParagraphCountChange::Joined(joined) => {
                Some(Span::new(previous.paragraphs[joined].span.end, previous.paragraphs[joined + 1].span.start))
            }
            _ => None,
        };
        // Whether a read starts at the start of the paragraph the edit
        // opens, or meets the boundary of two paragraphs joined: moved
        // whole, it could still read otherwise (checked beside the moves
        // `moved_record` makes).
        let read_at_paragraph_edge = |read: &Span| {
            (edit_at_paragraph_start && read.start == map.start)
                || joined_boundary.is_some_and(|boundary| read.start <= boundary.end && boundary.start <= read.end)
        };
        // Whether the edit meets a read made for one entity's findings
        // (`rules::OwnedFindings::entity_reads`), by the tests the record's
        // reads go through.
        let entity_read_meets_edit = |read: Span| !map.read_unchanged(read) || read_at_paragraph_edge(&read);
        // Likewise a diagnostic's offset at the start of the paragraph the
        // edit opens may be that start (a fix that opens the paragraph with
        // a quotation mark) rather than
        // the start of what follows it: the rules' findings with an offset
        // there are not moved but found again.
        let shift_findings = |found: &mut rules::OwnedFindings| {
            if edit_at_paragraph_start && carry_over::diagnostics_touch_offset(&found.diagnostics, map.start) {
                return None;
            }
            carry_over::shift_findings(map, found)
        };
        let shift_diagnostics = |diagnostics: &mut [Diagnostic]| {
            if edit_at_paragraph_start && carry_over::diagnostics_touch_offset(diagnostics, map.start) {
                return None;
            }
            carry_over::shift_diagnostics(map, diagnostics)
        };
        // (6) and (7): what a part read and compared, checked and moved in
        // one pass.
        let moved_record = |mut record: ReadRecord| {
            if record.close_distances.iter().any(|pair| pair.start <= map.old_end && map.start <= pair.end) {
                return Err("distance");
            }
            // The line numbers of offsets before the edit's start are read
            // from bytes before it; those of offsets from there on move with
            // the line breaks added or removed.
            if line_break_edit && record.furthest_line_number_read.is_some_and(|offset| offset >= map.start) {
                return Err("line numbers");
            }
            carry_over::shift_record(map, &mut record).ok_or("read")?;
            Ok(record)
        };
        let PreviousOutput {
            analysis,
            entity_linking_derivable,
            rule_findings,
            diagnostic_origins: old_origins,
            records,
            linking_dependencies,
        } = output;
        // Entity linking's dependencies list each paragraph's items by
        // position: an added paragraph had none, and a removed one must
        // have had none (its items are gone; when it had some, entity
        // linking runs in full and records them afresh).
        let linking_dependencies = linking_dependencies.and_then(|mut dependencies| match count_change {
            ParagraphCountChange::Same => Some(dependencies),
            ParagraphCountChange::Added(position) => (position <= dependencies.paragraphs.len()).then(|| {
                dependencies.paragraphs.insert(position, Default::default());
                dependencies
            }),
            ParagraphCountChange::Removed(position) => dependencies
                .paragraphs
                .get(position)
                .is_some_and(|components| components.mentions.is_empty() && components.words.is_empty())
                .then(|| {
                    dependencies.paragraphs.remove(position);
                    dependencies
                }),
            // A split paragraph's items, when the halves' are the old ones
            // (else entity linking links in full and records them afresh):
            // the first half's as many as it has, the rest the second's.
            ParagraphCountChange::Split(split) => {
                let first_half = &paragraphs.get(split)?.analysis.entities;
                let components = dependencies.paragraphs.get_mut(split)?;
                if changed.entities.is_some()
                    || first_half.mentions.len() > components.mentions.len()
                    || first_half.other_capitalized.len() > components.words.len()
                {
                    return None;
                }
                let second_half = entities::dependencies::ParagraphComponents {
                    mentions: components.mentions.split_off(first_half.mentions.len()),
                    words: components.words.split_off(first_half.other_capitalized.len()),
                };
                dependencies.paragraphs.insert(split + 1, second_half);
                Some(dependencies)
            }
            // Two joined paragraphs' items, in order: the old two's lists
            // one after the other.
            ParagraphCountChange::Joined(joined) => (joined + 1 < dependencies.paragraphs.len()).then(|| {
                let second = dependencies.paragraphs.remove(joined + 1);
                let first = &mut dependencies.paragraphs[joined];
                first.mentions.extend(second.mentions);
                first.words.extend(second.words);
                dependencies
            }),
        });
        let PartRecords {
            entities: entity_record,
            quotes: quote_record,
            rules: rule_records,
            rules_reads_after_whole_run: old_reads_after_whole_run,
            assembly,
        } = records;
        // Moved in place when the caller has let go of the last version's
        // output; copied when it still holds it (a language server answering
        // requests about it).
        let Analysis { entities, ambiguous_mentions, quotes: mut old_quotes, diagnostics: old_diagnostics } =
            Arc::unwrap_or_clone(analysis);
        // The paragraphs paired with their analyses, made only when a part
        // runs: a keystroke that carries every part over does not need them.
        let views_made = std::cell::OnceCell::new();
        let views = || views_made.get_or_init(|| paragraph_views(layout, inputs.paragraph_analyses)).as_slice();
        let mut parts = StageParts { paragraphs_renumbered: count_changed, ..StageParts::default() };

        // Entity linking: its old output is the old linking less what quote
        // linking added (when `entity_linking_derivable`), so the linking
        // is moved once for both parts.
        let mut old_linking = EntityLinking { entities, ambiguous_mentions };
        let linking_moved = carry_over::shift_linking(map, &mut old_linking).is_some();
        // The record is looked at before it is moved, so that it is still
        // whole for a re-linking when it cannot be moved.
        let carried = match changed.entities {
            Some(reason) => Err(reason),
            None if !entity_linking_derivable => Err("entity linking not kept"),
            None if !linking_moved => Err("output offset in the edit"),
            None => carry_over::record_meets_edit(map, &entity_record).map_or(Ok(()), Err),
        };
        let carried = match carried {
            Ok(()) => moved_record(entity_record).map_err(|reason| (reason, None)),
            Err(reason) => Err((reason, Some(entity_record))),
        };
        // Entity linking's new output when it ran (`None` when carried over
        // or when it linked some items again and found its old output), and
        // when it re-linked some items and every entity kept its position,
        // the positions of the entities that changed.
        // `entity_map`: when entity linking re-linked some items, where
        // each old entity went (`Relinked::Changed`).
        let mut entity_map: Option<Vec<Option<usize>>> = None;
        // Whether entity linking's new output holds placeholders for the
        // kept entities (`Relinked::Changed`), to fill before a full quote
        // linking reads it.
        let mut kept_placeholders = false;
        let (
            entity_linking,
            entity_record,
            entity_linking_same,
            entity_linking_derivable,
            linking_dependencies,
            differing_entities,
        ) = match carried {
            Ok(record) => (None, record, true, true, linking_dependencies, None),
            Err((reason, entity_record)) => {
                parts.entities = Some(reason);
                // Linking again only the items the edit can reach, when
                // the edit is within one paragraph whose mentions changed
                // or whose mentions entity linking read.
                // Not after a split or a join, whose edited paragraphs are
                // not one old paragraph with its facts (`relink` follows an
                // edit within one).
                let relinked = match (reason, edited_paragraphs.as_slice(), linking_dependencies, entity_record) {
                    ("entity facts" | "read", &[(edited, old_span)], Some(dependencies), Some(entity_record))
                        if entity_linking_derivable && linking_moved && !count_change.split_or_joined() =>
                    {
                        self.relink_entities(
                            text,
                            views(),
                            (edited, old_span, &old_paragraphs.get(edited).analysis.entities),
                            &old_linking,
                            dependencies,
                            entity_record,
                            map,
                            inputs.config,
                        )
                    }
                    _ => None,
                };
                match relinked {
                    Some((relinked, record, dependencies, items)) => {
                        parts.entities_relinked = Some(items);
                        match relinked {
                            Relinked::Same => (None, record, true, true, Some(dependencies), None),
                            Relinked::Changed(linking, differing, new_of_old) => {
                                entity_map = Some(new_of_old);
                                kept_placeholders = true;
                                let derivable = carry_over::free_of_quote_linking(&linking);
                                (Some(linking), record, false, derivable, Some(dependencies), differing)
                            }
                        }
                    }
                    None => {
                        let (linking, record, dependencies) = link_entities_recording(text, views(), inputs.config);
                        let same = entity_linking_derivable
                            && linking_moved
                            && carry_over::same_before_quote_linking(&linking, &old_linking);
                        let derivable = carry_over::free_of_quote_linking(&linking);
                        (Some(linking), record, same, derivable, Some(dependencies), None)
                    }
                }
            }
        };

        // Quote linking, which adds to entity linking's output.
        // Quote texts are copies of the text at their spans, not recorded
        // as reads (`TrackedText::copy`): taken again where the edit is, in
        // the same pass that moves the quotes.
        // Moved, or when some offset has no place, placed (only a window of
        // paragraphs around the edit may then link them again).
        let quotes_moved = carry_over::shift_quotes_output_refreshing(map, text, &mut old_quotes).is_some();
        // The edited bytes in the new text.
        let edited_bytes = Span::new(map.start, map.new_end());
        // When entity linking changed only some entities, each in its old
        // position, and quote linking reads nothing about them (no quote's
        // source or relay meets their mentions, no pronoun looks for a
        // person among them, none is a speaker), quote linking decides
        // every quote as before.
        let across_linking_change = !entity_linking_same
            && changed.quotes.is_none()
            && linking_moved
            && quotes_moved
            && match (&entity_linking, &differing_entities) {
                (Some(new_linking), Some(differing)) => {
                    quotes::reach::linking_change_unreached(views(), &old_linking, new_linking, differing)
                }
                _ => false,
            };
        // When quote linking runs for the edited paragraph's quote facts,
        // its record is kept for linking a window of paragraphs again.
        let carried = match changed.quotes {
            _ if !entity_linking_same && !across_linking_change => Err(("entity linking changed", Some(quote_record))),
            Some(reason) => Err((reason, Some(quote_record))),
            None if !(linking_moved && quotes_moved) => Err(("output offset in the edit", None)),
            None => moved_record(quote_record).map_err(|reason| (reason, None)),
        };
        // `differing_now`: how the linking's entities differ from the old
        // linking's, moved, when that is known and the linking changed (the
        // rules whose document parts run per entity run on the changed
        // entities alone).
        let (linking, quotes, quote_record, linking_same, quotes_same, differing_now) = match carried {
            Ok(record) => {
                // The join decisions read the text around each floating
                // quote outside quote linking's record: taken again where
                // the edit meets what they read. No rule reads
                // `Quote::continues`, so the quotes count as the same for
                // the rules whatever these decide.
                quotes::joins::decide_where_edited(text, &mut old_quotes, edited_bytes);
                // Across an entity linking change, the linking is the old
                // one (with quote linking's additions, which went to
                // entities that did not change) with the changed entities
                // and the ambiguous mentions taken from entity linking's
                // new output; the rules that read the linking run again.
                let (linking, differing_now) = match (across_linking_change, entity_linking, differing_entities) {
                    (true, Some(mut new_linking), Some(differing)) => {
                        parts.quotes_across_linking_change = true;
                        let mut linking = old_linking;
                        for &position in &differing {
                            std::mem::swap(&mut linking.entities[position], &mut new_linking.entities[position]);
                        }
                        // The swap left the old entities in `new_linking`.
                        let changed_spans = carry_over::changed_spans(
                            differing.iter().map(|&position| &new_linking.entities[position]),
                            differing.iter().map(|&position| &linking.entities[position]),
                            &linking.ambiguous_mentions,
                            &new_linking.ambiguous_mentions,
                        );
                        linking.ambiguous_mentions = new_linking.ambiguous_mentions;
                        let entity_count = linking.entities.len();
                        let change = carry_over::EntityChange {
                            entities_same: false,
                            old_replaced: differing.clone(),
                            new_changed: differing,
                            shift_from_old: entity_count,
                            shift: 0,
                            changed_spans,
                        };
                        (linking, Some(change))
                    }
                    _ => (old_linking, None),
                };
                (linking, old_quotes, record, !parts.quotes_across_linking_change, true, differing_now)
            }
            Err((reason, kept_record)) => {
                parts.quotes = Some(reason);
                // After entity linking changed, the window of paragraphs
                // holding the edited one and every quote that may read a
                // changed entity, when there is one.
                let window_across = match (&entity_linking, kept_record, quote_edit) {
                    (Some(entity_linking), Some(record), Some((position, held)))
                        if linking_moved
                            && matches!(
                                changed.quotes,
                                None | Some(
                                    "quote facts"
                                        | "paragraph added"
                                        | "paragraph removed"
                                        | "paragraph split"
                                        | "paragraphs joined"
                                )
                            ) =>
                    {
                        let new_of_old =
                            entity_map.get_or_insert_with(|| carry_over::entity_map(&old_linking, entity_linking));
                        let reach = quotes::reach::linking_change_reach(
                            views(),
                            &old_linking,
                            entity_linking,
                            new_of_old,
                            &old_quotes,
                        );
                        let edited = quotes::window::EditedQuotes {
                            position,
                            old: &old_paragraphs.get(position).analysis.quotes,
                            bytes: edited_bytes,
                            held,
                        };
                        // Every paragraph the edit's window must hold is
                        // held too: the neighbours of an added or removed
                        // paragraph, the halves of a split one and those
                        // around them (`windows_holding` gives each a
                        // window of its own; touching, they are merged into
                        // one, where positions only at the ends of a wider
                        // span would leave those between them out).
                        let reach = reach.map(|mut reached| {
                            for position in held.0..=held.1 {
                                if let Err(place) = reached.binary_search(&position) {
                                    reached.insert(place, position);
                                }
                            }
                            reached
                        });
                        match reach.map(|reached| quotes::window::windows_holding(views(), edited, &reached)) {
                            Ok(Ok(windows)) => Ok((windows, record)),
                            _ => Err(Some(record)),
                        }
                    }
                    (_, kept_record, _) => Err(kept_record),
                };
                let (window_across, kept_record) = match window_across {
                    Ok(window) => (Some(window), None),
                    Err(kept_record) => (None, kept_record),
                };
                // The old quotes' join decisions are kept where the edit
                // cannot have changed them (`quotes::joins::decide`).
                let earlier = |old_quotes| {
                    quotes_moved.then_some(quotes::joins::EarlierDecisions { quotes: old_quotes, edited: edited_bytes })
                };
                // `differing_now` is known after a full quote linking of
                // entity linking's new output, or a window across its
                // change (the rules that run per entity run whole after a
                // window that changed only quote linking's additions).
                let (linking, quotes, record, linking_same, quotes_same, differing_now) =
                    match (entity_linking, window_across) {
                        // Only a window of paragraphs around the edited one
                        // linked again, the other quotes kept with their
                        // entities renumbered, when no quote outside it reads
                        // an entity the change replaced.
                        (Some(entity_linking), Some((windows, record))) => {
                            let new_of_old = entity_map.take().unwrap_or_default();
                            match link_quote_window_across_linking_change(
                                text,
                                views(),
                                &old_paragraphs,
                                &windows,
                                (old_linking, entity_linking, &new_of_old),
                                &mut old_quotes,
                                record,
                                map,
                                inputs,
                            ) {
                                Ok((linking, record, same, change)) => {
                                    parts.quotes_window_across_linking_change = true;
                                    parts.quotes_windows_across = windows.len();
                                    (linking, old_quotes, record, false, same && quotes_moved, change)
                                }
                                // The old linking is gone: the rules that run
                                // per entity run whole.
                                Err(entity_linking) => {
                                    let (linking, quotes, record) =
                                        link_quotes_recording(text, views(), entity_linking, inputs, None);
                                    (linking, quotes, record, false, false, None)
                                }
                            }
                        }
                        (Some(mut entity_linking), None) => {
                            if kept_placeholders && let Some(new_of_old) = &entity_map {
                                entities::linking::fill_kept_entities(&mut entity_linking, &old_linking, new_of_old);
                            }
                            let (linking, quotes, record) =
                                link_quotes_recording(text, views(), entity_linking, inputs, earlier(&old_quotes));
                            let differing_now =
                                if linking_moved { carry_over::entity_change(&old_linking, &linking) } else { None };
                            let linking_same = differing_now.as_ref().is_some_and(|change| change.entities_same)
                                && linking.ambiguous_mentions == old_linking.ambiguous_mentions;
                            let quotes_same = quotes_moved && quotes == old_quotes;
                            (linking, quotes, record, linking_same, quotes_same, differing_now)
                        }
                        // Entity linking's output is the old linking less what
                        // quote linking added (`entity_linking_derivable`, and
                        // moved: both checked before carrying entity linking
                        // over), so the linking is the same when quote linking
                        // adds what it added before.
                        (None, _) => {
                            debug_assert!(linking_moved, "entity linking carried over from a linking not moved");
                            // The debug build compares with the whole old linking.
                            #[cfg(debug_assertions)]
                            let old_whole = old_linking.clone();
                            let mut linking = old_linking;
                            // Only a window of paragraphs around the edited one
                            // linked again (`quotes::window`), when the edit
                            // changed one paragraph's quote facts.
                            let window = match (reason, kept_record, quote_edit) {
                                // The old quotes placed, if not all moved: those
                                // the edit met are in the window, linked again.
                                (
                                    "quote facts" | "paragraph added" | "paragraph removed" | "paragraph split"
                                    | "paragraphs joined",
                                    Some(record),
                                    Some((position, held)),
                                ) => {
                                    let edited = quotes::window::EditedQuotes {
                                        position,
                                        old: &old_paragraphs.get(position).analysis.quotes,
                                        bytes: edited_bytes,
                                        held,
                                    };
                                    let views = views();
                                    link_quote_window(
                                        text,
                                        views,
                                        &old_paragraphs,
                                        edited,
                                        &mut linking,
                                        &mut old_quotes,
                                        record,
                                        map,
                                        inputs,
                                    )
                                }
                                _ => Err(false),
                            };
                            match window {
                                Ok((record, window)) => {
                                    let (same, linking_same) = (window.same, window.additions_same);
                                    parts.quotes_window = true;
                                    // Quotes placed but not moved are not the
                                    // old ones to compare with.
                                    let same = same && quotes_moved;
                                    #[cfg(debug_assertions)]
                                    {
                                        let mut stripped = linking.clone();
                                        carry_over::strip_quote_linking(&mut stripped);
                                        let (full, full_quotes, _) =
                                            link_quotes_recording(text, views(), stripped, inputs, None);
                                        assert_eq!(old_quotes, full_quotes, "quote linking by window");
                                        assert_eq!(linking, full, "quote linking by window");
                                        assert!(
                                            !linking_same || linking == old_whole,
                                            "quote linking by window misjudged the linking"
                                        );
                                    }
                                    // How the entities changed for the rules
                                    // that run per entity: a window changes
                                    // an entity's statements, which none of
                                    // them reads, and its pronoun mentions.
                                    let change =
                                        (!linking_same).then(|| pronoun_change(&linking, window.pronouns_changed));
                                    #[cfg(debug_assertions)]
                                    if let (Some(change), Some(full_change)) =
                                        (&change, carry_over::entity_change(&old_whole, &linking))
                                    {
                                        assert!(
                                            full_change
                                                .new_changed
                                                .iter()
                                                .all(|position| change.new_changed.binary_search(position).is_ok()),
                                            "quote linking by window changed entities {:?}, not only {:?}",
                                            full_change.new_changed,
                                            change.new_changed
                                        );
                                    }
                                    (linking, old_quotes, record, linking_same, same, change)
                                }
                                // `touched`: the window was tried and left the
                                // linking or the quotes part changed, so they are
                                // not the old ones to compare with or keep
                                // decisions from.
                                Err(touched) => {
                                    let additions = carry_over::strip_quote_linking(&mut linking);
                                    let earlier = if touched { None } else { earlier(&old_quotes) };
                                    let (linking, quotes, record) =
                                        link_quotes_recording(text, views(), linking, inputs, earlier);
                                    let linking_same =
                                        !touched && carry_over::same_quote_linking_additions(&linking, &additions);
                                    #[cfg(debug_assertions)]
                                    assert!(
                                        !linking_same || linking == old_whole,
                                        "quote linking's additions misjudged"
                                    );
                                    let quotes_same = !touched && quotes_moved && quotes == old_quotes;
                                    (linking, quotes, record, linking_same, quotes_same, None)
                                }
                            }
                        }
                    };
                (linking, quotes, record, linking_same, quotes_same, differing_now)
            }
        };

        // The rules' document parts, rule by rule: each reads the linking,
        // the quotes and the rule facts it declares (`rules::Reads`).
        // What the rules may read of a paragraph whose kind changed, found
        // once for them all.
        let kind_change = kind_change.and_then(|(position, old_kind, new_kind)| {
            let paragraph = layout.paragraphs.get(position)?;
            let in_paragraph = |span: Span| paragraph.span.touches_offset(span.start);
            let named_here = linking
                .entities
                .iter()
                .enumerate()
                .filter(|(_, entity)| {
                    entity.mentions.iter().any(|mention| in_paragraph(mention.span))
                        || entity.titles.iter().any(|title| in_paragraph(title.span))
                })
                .map(|(position, _)| position)
                .collect();
            // Its capitalised starts, old and new, when its prose is its text
            // and no run of letters goes on past its end: otherwise
            // `given-name-as-surname` reads it character by character.
            let span = paragraph.span;
            let prose_is_text = text.get(span.start..span.end) == Some(&*paragraph.prose);
            let runs_go_on = text[span.end..].chars().next().is_some_and(char::is_alphanumeric);
            let starts = (prose_is_text && !runs_go_on)
                .then(|| {
                    let old = &old_paragraphs.get(position).analysis.rule_facts.capitalized_starts;
                    let new = &views().get(position)?.analysis.rule_facts.capitalized_starts;
                    Some(old.iter().chain(new.iter()).cloned().collect())
                })
                .flatten();
            Some(KindChange {
                kinds: (old_kind, new_kind),
                named_here,
                quote_here: quotes.iter().any(|quote| in_paragraph(quote.span)),
                starts,
            })
        });
        let mut rule_findings_now = Vec::with_capacity(rules::RULES.len());
        let mut rule_records_now = Vec::with_capacity(rules::RULES.len());
        let mut reads_after_whole_run_now = Vec::with_capacity(rules::RULES.len());
        let mut old_rules = rule_findings.into_iter().zip(rule_records);
        // The rules whose document parts found something else than before.
        let mut rules_changed: Vec<usize> = Vec::new();
        for (index, rule) in rules::RULES.iter().enumerate() {
            let (mut old_found, old_record) = old_rules.next().unwrap_or_default();
            let old_reads_after_whole_run = old_reads_after_whole_run.get(index).copied().unwrap_or(0);
            // Whether `old_found` was moved to the new text (`Some(true)`),
            // or could not be (`Some(false)`: left part moved).
            let mut old_found_moved = None;
            if rules::effective_severity(rule, inputs.config).is_none() {
                // Switched off (under the same configuration as before):
                // it found and read nothing, then and now.
                rule_findings_now.push(rules::OwnedFindings::default());
                rule_records_now.push(ReadRecord::default());
                reads_after_whole_run_now.push(0);
                continue;
            }
            // A document part that runs per entity, after a change of the
            // linking at a few positions only: it runs on those entities
            // alone, the others' findings carried over, when everything
            // else it reads is as before.
            // The linking as this rule reads it: a rule that leaves quote
            // linking's additions aside reads the old one moved when entity
            // linking's own output is.
            // Whether a carried-over part relies on what it declares about
            // the kinds or quote linking's additions (checked in debug builds).
            #[cfg(debug_assertions)]
            let carried_on_declaration = kind_changed || (rule.reads.linking && !linking_same);
            let linking_same = linking_same || (entity_linking_same && !rule.reads.quote_additions);
            let scope = match (rule.check, &differing_now) {
                (rules::DocumentPart::PerEntity(_), Some(change))
                    if rule.reads.linking
                        && !linking_same
                        && few_entities(change.old_replaced.len().max(change.new_changed.len()))
                        && old_record.ranges.len() <= 2 * old_reads_after_whole_run + 256 =>
                {
                    Some(change)
                }
                _ => None,
            };
            // After a paragraph was added or removed, a rule that reads
            // which paragraph comes before another (`unattributed-quote`),
            // which no read record holds, runs (`Reads::paragraph_order`);
            // the others are carried over or run as after any edit.
            let kind_reach = match kind_changed {
                false => KindChangeReach::Unread,
                true => match kind_change_reach(rule, kind_change.as_ref(), old_found.fact_keys.as_deref()) {
                    // Held to the bounds of a run on a linking change's entities.
                    KindChangeReach::Entities(positions)
                        if !few_entities(positions.len())
                            || old_record.ranges.len() > 2 * old_reads_after_whole_run + 256 =>
                    {
                        KindChangeReach::Whole
                    }
                    reach => reach,
                },
            };
            // The entities (old positions) whose own reads the edit meets:
            // the part runs on them alone.
            let mut read_owners: Vec<usize> = old_found
                .entity_reads
                .iter()
                .filter(|(_, read)| entity_read_meets_edit(*read))
                .filter_map(|&(owner, _)| (owner as usize).checked_sub(1))
                .collect();
            read_owners.dedup();
            let carried = if kind_reach == KindChangeReach::Whole {
                Err("paragraph kind")
            } else if count_changed && rule.reads.paragraph_order {
                Err(match count_change {
                    ParagraphCountChange::Added(_) => "paragraph added",
                    ParagraphCountChange::Split(_) => "paragraph split",
                    ParagraphCountChange::Joined(_) => "paragraphs joined",
                    _ => "paragraph removed",
                })
            } else if rule.reads.linking && !linking_same && scope.is_none() {
                Err("linking changed")
            } else if rule.reads.quotes && !quotes_same {
                Err("quotes changed")
            } else if rule.reads.facts.iter().any(|fact| {
                changed_facts.contains(fact) && fact_change_read(*fact, &old_found, changed_capitalized_starts.as_ref())
            }) {
                Err("rule facts")
            } else if old_record.ranges.iter().any(read_at_paragraph_edge) || !few_entities(read_owners.len()) {
                Err("read")
            } else if shift_findings(&mut old_found).is_none() {
                old_found_moved = Some(false);
                Err("output offset in the edit")
            } else {
                old_found_moved = Some(true);
                moved_record(old_record)
            };
            let run_rule = |tracked: &TrackedText<'_>, scope| {
                rules::run_document_rule(rule, tracked, layout, views(), &linking, &quotes, inputs.config, scope)
            };
            // The entities a part that runs per entity runs on alone, why,
            // and where each old entity's findings go (`None`: found again).
            type NewPosition<'a> = Box<dyn Fn(usize) -> Option<usize> + 'a>;
            let entities_alone: Option<(Vec<usize>, &'static str, NewPosition<'_>)> = match (&carried, scope) {
                (Err(_), _) => None,
                (Ok(_), Some(change)) => {
                    // The changed entities, and those whose findings asked
                    // whether a person is named where a changed entity's or
                    // ambiguous mention is (or was).
                    let mut asked_there: Vec<usize> = old_found
                        .person_lookups
                        .iter()
                        .filter(|(_, offset)| change.changed_spans.iter().any(|span| span.touches_offset(*offset)))
                        .filter_map(|&(owner, _)| change.new_position((owner as usize).checked_sub(1)?))
                        .filter(|position| change.new_changed.binary_search(position).is_err())
                        .collect();
                    // And those named in a paragraph whose kind changed, and
                    // those whose own reads the edit meets.
                    let named_here = match kind_reach {
                        KindChangeReach::Entities(named_here) => named_here,
                        _ => Vec::new(),
                    };
                    let read_here = read_owners.iter().filter_map(|&old| change.new_position(old));
                    asked_there.extend(
                        named_here
                            .into_iter()
                            .chain(read_here)
                            .filter(|position| change.new_changed.binary_search(position).is_err()),
                    );
                    asked_there.sort_unstable();
                    asked_there.dedup();
                    let mut positions = change.new_changed.clone();
                    positions.extend_from_slice(&asked_there);
                    positions.sort_unstable();
                    let new_position =
                        move |old| change.new_position(old).filter(|new| asked_there.binary_search(new).is_err());
                    Some((positions, "linking changed", Box::new(new_position)))
                }
                // The linking is the old one moved (as this rule reads it):
                // every entity keeps its position, and those named in a
                // paragraph whose kind changed or whose own reads the edit
                // meets are found again.
                (Ok(_), None) => {
                    let mut positions = match kind_reach {
                        KindChangeReach::Entities(named_here) => named_here,
                        _ => Vec::new(),
                    };
                    let reason = if positions.is_empty() { "read" } else { "paragraph kind" };
                    positions.extend_from_slice(&read_owners);
                    positions.sort_unstable();
                    positions.dedup();
                    (!positions.is_empty()).then(|| {
                        let found_again = positions.clone();
                        let new_position: NewPosition<'_> =
                            Box::new(move |old| found_again.binary_search(&old).is_err().then_some(old));
                        (positions, reason, new_position)
                    })
                }
            };
            match (carried, entities_alone) {
                (Ok(record), None) => {
                    #[cfg(debug_assertions)]
                    if carried_on_declaration {
                        let fresh = run_rule(&TrackedText::new(text), rules::EntityScope::Every);
                        assert_eq!(old_found.diagnostics, fresh.diagnostics, "{} carried over", rule.code);
                    }
                    rule_findings_now.push(old_found);
                    rule_records_now.push(record);
                    reads_after_whole_run_now.push(old_reads_after_whole_run);
                }
                (Ok(mut record), Some((positions, reason, new_position))) => {
                    let positions = positions.as_slice();
                    parts.rules.get_or_insert(reason);
                    parts.rules_ran |= 1 << index;
                    parts.rules_per_entity |= 1 << index;
                    let tracked = TrackedText::new(text);
                    let fresh = run_rule(&tracked, rules::EntityScope::Only(positions));
                    let (found, changed) = rules::OwnedFindings::replacing(&old_found, new_position, fresh);
                    #[cfg(debug_assertions)]
                    {
                        let expected = run_rule(&TrackedText::new(text), rules::EntityScope::Every);
                        let found_alone = (&found.diagnostics, &found.owners);
                        let found_whole = (&expected.diagnostics, &expected.owners);
                        debug_assert_eq!(found_alone, found_whole, "{} run on entities {positions:?} alone", rule.code);
                        // The keys kept may be more than a whole run's (a
                        // replaced entity's), never fewer.
                        if let (Some(kept), Some(needed)) = (&found.fact_keys, &expected.fact_keys) {
                            debug_assert!(needed.iter().all(|key| kept.binary_search(key).is_ok()), "{}", rule.code);
                        }
                    }
                    if changed {
                        rules_changed.push(index);
                    }
                    let ReadRecord { ranges, close_distances, furthest_line_number_read } = tracked.into_record();
                    record.ranges.extend(ranges);
                    record.close_distances.extend(close_distances);
                    record.furthest_line_number_read = record.furthest_line_number_read.max(furthest_line_number_read);
                    rule_findings_now.push(found);
                    rule_records_now.push(record);
                    reads_after_whole_run_now.push(old_reads_after_whole_run);
                }
                (Err(reason), _) => {
                    parts.rules.get_or_insert(reason);
                    parts.rules_ran |= 1 << index;
                    let tracked = TrackedText::new(text);
                    let found = run_rule(&tracked, rules::EntityScope::Every);
                    // A rule that ran often finds what it found before,
                    // moved: its diagnostics then need not be put in place
                    // again.
                    let old_moved = old_found_moved.unwrap_or_else(|| shift_findings(&mut old_found).is_some());
                    if !(old_moved && old_found.diagnostics == found.diagnostics) {
                        rules_changed.push(index);
                    }
                    let record = tracked.into_record();
                    reads_after_whole_run_now.push(record.ranges.len());
                    rule_findings_now.push(found);
                    rule_records_now.push(record);
                }
            }
        }
        // Putting the findings together. When every source found what it
        // found before (moved), the old result moved; when only the edited
        // paragraph's paragraph parts or a few rules found something else,
        // their findings put in place among the old result's others
        // (`rules::reassemble`): copying and sorting every diagnostic of a
        // long draft again cost more than most rules. Both need the
        // suppression comments read the same (the assembly's record moved).
        let edited_findings = match (findings_changed, edited_paragraphs.as_slice()) {
            (false, _) => Ok(None),
            (true, &[(position, old_span)]) => Ok(Some((position, old_span))),
            (true, _) => Err("paragraph findings"),
        };
        let mut old_assembled = rules::Assembled { diagnostics: old_diagnostics, origins: old_origins };
        // The assembly reads no paragraph's kind (the suppression comments
        // and the paragraphs' spans alone), so a kind changed leaves it to
        // put in place the findings that changed, as after any keystroke.
        let carried = if count_changed {
            // The paragraph findings are by position too.
            Err("paragraph count")
        } else {
            edited_findings.and_then(|edited| Ok((edited, moved_record(assembly)?)))
        };
        let assembled = match carried {
            Ok((None, record)) if rules_changed.is_empty() => match shift_diagnostics(&mut old_assembled.diagnostics) {
                Some(()) => Ok((old_assembled, record)),
                None => Err("output offset in the edit"),
            },
            Ok((edited, record)) => {
                // The old result less the changed sources' diagnostics
                // (the edited paragraph's are those that start in it:
                // paragraph parts find only within their paragraph).
                let mut kept = rules::Assembled::default();
                for (diagnostic, origin) in old_assembled.diagnostics.into_iter().zip(old_assembled.origins) {
                    let changed = match origin.rule_index() {
                        Some(rule_index) => rules_changed.contains(&rule_index),
                        None => edited.is_some_and(|(_, old_span): (usize, Span)| {
                            old_span.start <= diagnostic.span.start && diagnostic.span.start <= old_span.end
                        }),
                    };
                    if !changed {
                        kept.diagnostics.push(diagnostic);
                        kept.origins.push(origin);
                    }
                }
                match shift_diagnostics(&mut kept.diagnostics) {
                    Some(()) => {
                        parts.assembly = Assembly::Merged;
                        parts.rules.get_or_insert("paragraph findings");
                        let paragraph = edited.map(|(position, _)| {
                            (layout.paragraphs[position].span.start, inputs.paragraph_diagnostics[position].as_slice())
                        });
                        let tracked = TrackedText::new(text);
                        let assembled = rules::reassemble(
                            &tracked,
                            layout,
                            inputs.config,
                            kept,
                            paragraph,
                            &rules_changed,
                            &rule_findings_now,
                        );
                        Ok((assembled, record))
                    }
                    None => Err("output offset in the edit"),
                }
            }
            Err(reason) => Err(reason),
        };
        let (assembled, assembly) = match assembled {
            Ok(carried) => carried,
            Err(reason) => {
                parts.rules.get_or_insert(reason);
                parts.assembly = Assembly::Full;
                let tracked = TrackedText::new(text);
                let assembled =
                    rules::assemble(&tracked, layout, inputs.config, inputs.paragraph_diagnostics, &rule_findings_now);
                (assembled, tracked.into_record())
            }
        };
        let analysis = Analysis {
            entities: linking.entities,
            ambiguous_mentions: linking.ambiguous_mentions,
            quotes,
            diagnostics: assembled.diagnostics,
        };
        let records = PartRecords {
            entities: entity_record,
            quotes: quote_record,
            rules: rule_records_now,
            rules_reads_after_whole_run: reads_after_whole_run_now,
            assembly,
        };
        let stage = StageOutput {
            analysis,
            entity_linking_derivable,
            rule_findings: rule_findings_now,
            diagnostic_origins: assembled.origins,
            records,
            linking_dependencies,
        };
        Ok((stage, parts))
    }

    /// Entity linking after an edit within one paragraph (`edited`: its
    /// position, old span and old entity facts), by linking again only the items the edit can
    /// reach (`entities::linking::relink`): its output, its read record
    /// (the old one moved, less the paragraph's reads, plus the re-linking's
    /// reads in the paragraph and the distances it compared), the
    /// dependencies, and how many items it linked again. `None` when it
    /// cannot (the caller links in full).
    #[allow(clippy::too_many_arguments)]
    fn relink_entities(
        &self,
        text: &str,
        views: &[ParagraphView<'_>],
        (edited, old_span, old_facts): (usize, Span, &ParagraphEntities),
        old_linking: &EntityLinking,
        mut dependencies: LinkingDependencies,
        mut record: ReadRecord,
        map: carry_over::OffsetMap,
        config: &Config,
    ) -> Option<(Relinked, ReadRecord, LinkingDependencies, usize)> {
        carry_over::shift_record_replacing(map, &mut record, old_span)?;
        let new_span = views.get(edited)?.paragraph.span;
        let tracked = TrackedText::new(text);
        let edited = EditedParagraph { position: edited, old: old_facts, edit: map.relative_to(old_span.start) };
        let (relinked, items) =
            entities::linking::relink(&tracked, views, edited, old_linking, &mut dependencies, config).ok()?;
        // The reads outside the paragraph are already in the record: entity
        // linking reads every item's text whatever it decides.
        add_reads(&mut record, tracked.into_record(), |read| new_span.start <= read.start && read.end <= new_span.end);
        Some((relinked, record, dependencies, items))
    }

    /// Idle work for the next edit, done at once: [`Analyzer::next_edit_preparation`],
    /// run, then installed. Returns whether it recorded anything. Tests and
    /// benchmarks call this where the server does the three steps around
    /// its lock.
    pub fn prepare_next_edit(&mut self, config: &Config) -> bool {
        match self.next_edit_preparation(config) {
            Some(preparation) => self.install_prepared(preparation.run(config)),
            None => false,
        }
    }

    /// What the idle work between keystrokes needs, when there is any to
    /// do. The idle work records what entity linking's items depend on in
    /// the draft last analysed, when that analysis did not (it ran the
    /// whole document stage: the first analysis of a draft, a paragraph
    /// added, a paste). Without them, the next keystroke that changes a
    /// mention links every item of the draft again (and records them then),
    /// a few milliseconds in a long draft; with them, it links again only
    /// the items the edit reaches. The server takes this once a keystroke's
    /// diagnostics are out, runs it ([`NextEditPreparation::run`]) without
    /// holding the analyzer, so that neither a request nor the next
    /// keystroke waits for it, and installs the result
    /// ([`Analyzer::install_prepared`]). Copies the text; the layout and the
    /// paragraphs' analyses are shared. `None` when the dependencies are
    /// already known, when there is no analysis to record them for, when
    /// `config` is not the one it ran under, or when the next keystroke
    /// could not use them (entity linking's output cannot be told from
    /// quote linking's additions).
    pub fn next_edit_preparation(&self, config: &Config) -> Option<NextEditPreparation> {
        if !self.next_edit_work_waiting(config) {
            return None;
        }
        let previous = &self.previous;
        let layout = previous.layout.as_ref()?;
        Some(NextEditPreparation {
            #[cfg(debug_assertions)]
            analysis_number: self.analyses_run,
            linking_generation: self.linking_generation,
            text: previous.text.clone(),
            layout: layout.clone(),
            paragraph_analyses: previous.paragraphs.iter().map(|paragraph| Arc::clone(&paragraph.analysis)).collect(),
        })
    }

    /// Whether [`Analyzer::next_edit_preparation`] has anything to do: a
    /// look at a few fields, nothing copied.
    pub fn next_edit_work_waiting(&self, config: &Config) -> bool {
        self.rules_config.as_ref() == Some(config)
            && self.previous.layout.is_some()
            && self
                .previous
                .output
                .as_ref()
                .is_some_and(|output| output.linking_dependencies.is_none() && output.entity_linking_derivable)
    }

    /// Keeps what the idle work recorded, when entity linking has not run
    /// since it was taken: keystrokes that carried entity linking over kept
    /// its items as they were (only moved), which the dependencies describe
    /// by position, with no offsets. After a keystroke that ran entity
    /// linking in any way, it describes an older linking and is dropped.
    /// Changes no output. Returns whether it was kept.
    ///
    /// Keeping it across carried keystrokes matters: the server runs it
    /// while the writer types on, and a result dropped at every keystroke
    /// would be work wasted again and again on a busy machine.
    pub fn install_prepared(&mut self, prepared: PreparedNextEdit) -> bool {
        let Some(output) = self.previous.output.as_mut() else { return false };
        if prepared.linking_generation != self.linking_generation || output.linking_dependencies.is_some() {
            return false;
        }
        // For the very draft it was taken from, the same linking and the
        // same reads as the kept output (the kept reads, moved since when
        // keystrokes came in between, stay: the reads are the same items').
        #[cfg(debug_assertions)]
        if prepared.analysis_number == self.analyses_run {
            assert!(
                carry_over::same_before_quote_linking(
                    &prepared.linking,
                    &EntityLinking {
                        entities: output.analysis.entities.clone(),
                        ambiguous_mentions: output.analysis.ambiguous_mentions.clone(),
                    },
                ),
                "the linking recorded in idle time is not the kept one"
            );
            assert_eq!(
                prepared.record, output.records.entities,
                "the reads recorded in idle time are not the kept ones"
            );
        }
        output.linking_dependencies = Some(prepared.dependencies);
        true
    }

    /// How many paragraphs the last analysed draft has; for tests.
    pub fn last_paragraph_count(&self) -> usize {
        self.previous.paragraphs.len()
    }

    /// How many distinct paragraphs the cache holds; for tests.
    pub fn cached_paragraphs(&self) -> usize {
        self.cache.values().map(Vec::len).sum()
    }

    /// Whether the last call carried the document stage's output over from
    /// the previous call instead of running the stage (false before the
    /// first call, which has no output to carry); for tests and benchmarks.
    pub fn last_carried_output(&self) -> bool {
        self.previous.output.is_some() && self.last_refusal.is_none()
    }
}

/// The idle work between keystrokes, taken from an [`Analyzer`]
/// ([`Analyzer::next_edit_preparation`]) so that it runs without it.
#[derive(Debug)]
pub struct NextEditPreparation {
    /// Which entity linking of the analyzer it was taken after, and (for
    /// the debug builds' comparison) which analysis.
    linking_generation: u64,
    #[cfg(debug_assertions)]
    analysis_number: u64,
    text: String,
    layout: DocumentLayout,
    paragraph_analyses: Vec<Arc<ParagraphAnalysis>>,
}

impl NextEditPreparation {
    /// Records what entity linking's items depend on: a full entity
    /// linking, a few milliseconds in a long draft. `config` is the one
    /// the preparation was taken under.
    pub fn run(self, config: &Config) -> PreparedNextEdit {
        let views = paragraph_views(&self.layout, &self.paragraph_analyses);
        let (linking, record, dependencies) = link_entities_recording(&self.text, &views, config);
        #[cfg(not(debug_assertions))]
        drop((linking, record));
        PreparedNextEdit {
            #[cfg(debug_assertions)]
            analysis_number: self.analysis_number,
            linking_generation: self.linking_generation,
            #[cfg(debug_assertions)]
            record,
            dependencies,
            #[cfg(debug_assertions)]
            linking,
        }
    }
}

/// What the idle work recorded, for [`Analyzer::install_prepared`].
#[derive(Debug)]
pub struct PreparedNextEdit {
    linking_generation: u64,
    #[cfg(debug_assertions)]
    analysis_number: u64,
    dependencies: LinkingDependencies,
    /// The linking it ran and what it read, compared with the kept ones in
    /// debug builds.
    #[cfg(debug_assertions)]
    linking: EntityLinking,
    #[cfg(debug_assertions)]
    record: ReadRecord,
}

/// The layout's paragraphs paired with their analyses (given in the same order).
pub fn paragraph_views<'a>(
    layout: &'a DocumentLayout,
    paragraph_analyses: &[Arc<ParagraphAnalysis>],
) -> Vec<ParagraphView<'a>> {
    layout
        .paragraphs
        .iter()
        .zip(paragraph_analyses)
        .enumerate()
        .map(|(index, (paragraph, analysis))| ParagraphView { index, paragraph, analysis: Arc::clone(analysis) })
        .collect()
}

/// The document-level stage: linking and rules over per-paragraph results.
pub fn link_document(
    text: &str,
    layout: &DocumentLayout,
    paragraph_analyses: &[Arc<ParagraphAnalysis>],
    paragraph_diagnostics: &[Arc<Vec<Diagnostic>>],
    config: &Config,
) -> Analysis {
    let agency_answers = RefCell::default();
    let inputs = StageInputs { paragraph_analyses, paragraph_diagnostics, config, agency_answers: &agency_answers };
    link_document_recording(text, layout, inputs).analysis
}

/// [`link_document`], also returning entity linking's output before quote
/// linking added to it, each rule's findings, and what each part read from
/// `text`.
fn link_document_recording(text: &str, layout: &DocumentLayout, inputs: StageInputs<'_>) -> StageOutput {
    let views = paragraph_views(layout, inputs.paragraph_analyses);
    // Without the linking's dependencies: recording them costs a full
    // linking about a third more, and a keystroke that can use them records
    // them when it links in full (`carry_parts_over`).
    let tracked = TrackedText::new(text);
    let entity_linking = entities::link(&tracked, &views, inputs.config);
    let entity_record = tracked.into_record();
    let entity_linking_derivable = carry_over::free_of_quote_linking(&entity_linking);
    let (linking, quotes, quote_record) = link_quotes_recording(text, &views, entity_linking, inputs, None);
    let mut rule_findings = Vec::with_capacity(rules::RULES.len());
    let mut rule_records = Vec::with_capacity(rules::RULES.len());
    for rule in rules::RULES {
        let tracked = TrackedText::new(text);
        if rules::effective_severity(rule, inputs.config).is_some() {
            rule_findings.push(rules::run_document_rule(
                rule,
                &tracked,
                layout,
                &views,
                &linking,
                &quotes,
                inputs.config,
                rules::EntityScope::Every,
            ));
        } else {
            rule_findings.push(rules::OwnedFindings::default());
        }
        rule_records.push(tracked.into_record());
    }
    let rules_reads_after_whole_run = rule_records.iter().map(|record| record.ranges.len()).collect();
    let tracked = TrackedText::new(text);
    let assembled = rules::assemble(&tracked, layout, inputs.config, inputs.paragraph_diagnostics, &rule_findings);
    let analysis = Analysis {
        entities: linking.entities,
        ambiguous_mentions: linking.ambiguous_mentions,
        quotes,
        diagnostics: assembled.diagnostics,
    };
    let records = PartRecords {
        entities: entity_record,
        quotes: quote_record,
        rules: rule_records,
        rules_reads_after_whole_run,
        assembly: tracked.into_record(),
    };
    StageOutput {
        analysis,
        entity_linking_derivable,
        rule_findings,
        diagnostic_origins: assembled.origins,
        records,
        linking_dependencies: None,
    }
}

/// Entity linking, with what it read from `text` and what its items
/// depend on.
fn link_entities_recording(
    text: &str,
    views: &[ParagraphView<'_>],
    config: &Config,
) -> (EntityLinking, ReadRecord, LinkingDependencies) {
    let tracked = TrackedText::new(text);
    let (linking, dependencies) = entities::linking::link_with_dependencies(&tracked, views, config);
    (linking, tracked.into_record(), dependencies)
}

/// The split or join an edit of line breaks alone made, when it is one:
/// line breaks inserted strictly inside an old paragraph, whose text before
/// them is now one paragraph and whose text after them the next
/// ([`ParagraphCountChange::Split`]), or line breaks removed strictly
/// between two old paragraphs, now one paragraph from the first's start to
/// the second's end ([`ParagraphCountChange::Joined`]). The paragraphs
/// before and after are checked by the caller (each the old one moved).
fn split_or_join(
    old: &[PreviousParagraph],
    new: &[PreviousParagraph],
    map: carry_over::OffsetMap,
    (removed, inserted): (&[u8], &[u8]),
) -> Option<ParagraphCountChange> {
    // The first old paragraph ending after the edit's start.
    let after_start = old.partition_point(|paragraph| paragraph.span.end <= map.start);
    if new.len() == old.len() + 1 && removed.is_empty() && !inserted.is_empty() {
        let split = old.get(after_start)?;
        let (first, second) = (new.get(after_start)?, new.get(after_start + 1)?);
        let halves = split.span.start < map.start
            && first.span.start == split.span.start
            && first.span.end <= map.start
            && second.span.start >= map.new_end()
            && Some(second.span.end) == map.offset(split.span.end);
        halves.then_some(ParagraphCountChange::Split(after_start))
    } else if new.len() + 1 == old.len() && inserted.is_empty() && !removed.is_empty() {
        let joined = after_start.checked_sub(1)?;
        let (first, second) = (&old[joined], old.get(joined + 1)?);
        let one = second.span.start >= map.old_end
            && Some(new.get(joined)?.span) == map.offset(second.span.end).map(|end| Span::new(first.span.start, end));
        one.then_some(ParagraphCountChange::Joined(joined))
    } else {
        None
    }
}

/// Quote linking again for a window of paragraphs around the one edited
/// (`edited`: its position and old quote facts), the rest of the last
/// output kept (`quotes::window`): `linking` and `quotes` are the old
/// output moved, and become the new one. Returns the read record (the old
/// one moved, less the window's old reads, plus the window's new reads),
/// whether the quotes came out the same, and whether the linking did. `Err(touched)` when the window
/// cannot be used, `touched` when `linking` or `quotes` were changed on the
/// way (the linking then still holds entity linking's output under quote
/// linking's additions).
#[allow(clippy::too_many_arguments)]
fn link_quote_window(
    text: &str,
    views: &[ParagraphView<'_>],
    old_paragraphs: &OldParagraphs<'_>,
    edited: quotes::window::EditedQuotes<'_>,
    linking: &mut EntityLinking,
    quotes: &mut Vec<Quote>,
    mut record: ReadRecord,
    map: carry_over::OffsetMap,
    inputs: StageInputs<'_>,
) -> Result<(ReadRecord, quotes::window::Window), bool> {
    let tracked = TrackedText::new(text);
    let mut agency = inputs.agency_answers.borrow_mut();
    let window = quotes::window::relink_window(&tracked, views, edited, linking, quotes, &mut agency)
        .map_err(|(_, touched)| touched)?;
    let old_window = old_paragraphs.window_span(window.first, window.last);
    carry_over::shift_record_replacing(map, &mut record, old_window).ok_or(true)?;
    add_reads(&mut record, tracked.into_record(), |_| true);
    Ok((record, window))
}

/// Quote linking by windows of paragraphs (`quotes::window`) after entity
/// linking gave a new output: `old_linking` is the previous keystroke's
/// final linking moved into the new text, `new_linking` entity linking's
/// new output, `new_of_old` where each old entity went in it (`None` when
/// replaced) and `quotes` the old quotes moved; `windows`, in text order,
/// hold the edited paragraph and every paragraph whose quotes may read a
/// replaced entity (`quotes::reach::linking_change_reach`). The linking handed to the
/// window is entity linking's new output with each kept entity's quote
/// linking additions (statements, pronoun mentions) carried over, and the
/// old quotes' speakers and relays renumbered; the window then links its
/// own quotes again, one window after the other. Gives the final linking, quote linking's read record,
/// whether the quotes came out as before, and how the entities changed for
/// the rules that run per entity. On refusal, gives entity linking's new
/// output back (the old linking is gone; the quotes may be renumbered).
// The arguments are the stage's inputs and what the caller found about
// the change (which windows, which entities).
#[allow(clippy::too_many_arguments)]
fn link_quote_window_across_linking_change(
    text: &str,
    views: &[ParagraphView<'_>],
    old_paragraphs: &OldParagraphs<'_>,
    windows: &[quotes::window::EditedQuotes<'_>],
    (old_linking, new_linking, new_of_old): (EntityLinking, EntityLinking, &[Option<usize>]),
    quotes: &mut Vec<Quote>,
    mut record: ReadRecord,
    map: carry_over::OffsetMap,
    inputs: StageInputs<'_>,
) -> Result<(EntityLinking, ReadRecord, bool, Option<carry_over::EntityChange>), EntityLinking> {
    // The debug build compares the window with quote linking over the
    // whole draft, from entity linking's own output.
    // Entity linking's output may hold placeholders for the kept entities
    // (`Relinked::Changed`): made whole before it is handed back for a
    // full quote linking, or compared with one.
    let whole = |mut linking: EntityLinking| {
        entities::linking::fill_kept_entities(&mut linking, &old_linking, new_of_old);
        linking
    };
    #[cfg(debug_assertions)]
    let entity_linking_output = whole(new_linking.clone());
    let (old_count, new_count) = (old_linking.entities.len(), new_linking.entities.len());
    if new_of_old.len() != old_count {
        return Err(whole(new_linking));
    }
    let mut old_of_new: Vec<Option<usize>> = vec![None; new_count];
    for (old_position, new_position) in new_of_old.iter().enumerate() {
        if let Some(new_position) = *new_position {
            let Some(slot) = old_of_new.get_mut(new_position) else { return Err(whole(new_linking)) };
            *slot = Some(old_position);
        }
    }
    // Where a person may be named differently now: every mention of the
    // replaced entities, and the ambiguous mentions not in both linkings.
    let mut changed_spans = carry_over::changed_spans(
        new_of_old
            .iter()
            .zip(&old_linking.entities)
            .filter(|(new_position, _)| new_position.is_none())
            .map(|(_, entity)| entity),
        std::iter::empty(),
        &old_linking.ambiguous_mentions,
        &new_linking.ambiguous_mentions,
    );
    // The old quotes' speakers and relays renumbered; a replaced one is
    // dropped (its quotes lie in the window, linked again).
    // `None` when the entity keeps its id, `Some(None)` when it was
    // replaced, `Some(Some(id))` its new id.
    let renumber = |id: &str| -> Option<Option<String>> {
        let Some(old_position) = entity_position(id) else { return Some(None) };
        match new_of_old.get(old_position).copied().flatten() {
            Some(new_position) if new_position == old_position => None,
            Some(new_position) => Some(Some(crate::model::entity_id(new_position))),
            None => Some(None),
        }
    };
    let mut renumbered = false;
    for quote in quotes.iter_mut() {
        if let Some(speaker) = &quote.speaker
            && let Some(now) = renumber(speaker)
        {
            renumbered = true;
            quote.speaker = now;
        }
        if quote.via.iter().any(|via| renumber(via).is_some()) {
            renumbered = true;
            quote.via = quote.via.iter().filter_map(|via| renumber(via).unwrap_or_else(|| Some(via.clone()))).collect();
        }
    }
    // The kept entities with their additions, the new ones from entity
    // linking's output.
    // Swapped in place: each kept old entity (with its additions) into its
    // new position, taking the new position's id.
    let EntityLinking { entities: mut old_entities, ambiguous_mentions: _ } = old_linking;
    let EntityLinking { mut entities, ambiguous_mentions } = new_linking;
    for (new_position, old_position) in old_of_new.iter().enumerate() {
        if let Some(old_position) = *old_position {
            let (kept, new_entity) = (&mut old_entities[old_position], &mut entities[new_position]);
            std::mem::swap(kept, new_entity);
            std::mem::swap(&mut kept.id, &mut new_entity.id);
        }
    }
    let mut linking = EntityLinking { entities, ambiguous_mentions };
    // Each window linked again in turn; the read record is the old one
    // less each window's old reads (the edit lies in one of them), plus
    // every window's new reads.
    let tracked = TrackedText::new(text);
    let mut pronouns_changed = Vec::new();
    let mut same = true;
    let mut edit_window = None;
    {
        let mut agency = inputs.agency_answers.borrow_mut();
        for &edited in windows {
            let Ok(window) = quotes::window::relink_window(&tracked, views, edited, &mut linking, quotes, &mut agency)
            else {
                drop(agency);
                carry_over::strip_quote_linking(&mut linking);
                return Err(linking);
            };
            same &= window.same;
            pronouns_changed.extend(window.pronouns_changed);
            let old_window = old_paragraphs.window_span(window.first, window.last);
            if (window.first..=window.last).contains(&edited.position) {
                edit_window = Some(old_window);
            } else {
                record.ranges.retain(|read| !(old_window.start <= read.start && read.end <= old_window.end));
            }
            // A window that went on to the draft's end (its pronouns gave
            // other genders) holds every window after it.
            if window.last + 1 == views.len() {
                break;
            }
        }
    }
    if edit_window.and_then(|old_window| carry_over::shift_record_replacing(map, &mut record, old_window)).is_none() {
        carry_over::strip_quote_linking(&mut linking);
        return Err(linking);
    }
    add_reads(&mut record, tracked.into_record(), |_| true);
    #[cfg(debug_assertions)]
    {
        let (full, full_quotes, _) = link_quotes_recording(text, views, entity_linking_output, inputs, None);
        assert_eq!(*quotes, full_quotes, "quote linking by window across a linking change");
        assert_eq!(linking, full, "quote linking by window across a linking change");
    }
    // How the entities changed for the rules that run per entity: the
    // replaced and new ones, and those whose pronoun mentions the window
    // changed.
    let mut old_replaced: Vec<usize> = (0..old_count).filter(|&position| new_of_old[position].is_none()).collect();
    let mut new_changed: Vec<usize> = (0..new_count).filter(|&position| old_of_new[position].is_none()).collect();
    for (position, removed) in &pronouns_changed {
        changed_spans.extend(removed);
        changed_spans.extend(linking.entities[*position].mentions.iter().map(|mention| mention.span));
        if let Some(old_position) = old_of_new[*position] {
            old_replaced.push(old_position);
            new_changed.push(*position);
        }
    }
    for &position in &new_changed {
        if old_of_new[position].is_none() {
            changed_spans.extend(linking.entities[position].mentions.iter().map(|mention| mention.span));
        }
    }
    old_replaced.sort_unstable();
    old_replaced.dedup();
    // One shift after the first change: the kept entities between the
    // first that moved otherwise and the last that did not move by the
    // count's difference are taken as replaced and changed.
    let shift = isize::try_from(new_count).ok().zip(isize::try_from(old_count).ok()).map(|(new, old)| new - old);
    let Some(shift) = shift else { return Ok((linking, record, false, None)) };
    let kept = |old_position: usize| old_replaced.binary_search(&old_position).is_err();
    let moved_to = |old_position: usize| new_of_old[old_position];
    let first_moved = (0..old_count)
        .find(|&old_position| kept(old_position) && moved_to(old_position) != Some(old_position))
        .unwrap_or(old_count);
    let last_unshifted = (0..old_count)
        .rev()
        .find(|&old_position| kept(old_position) && moved_to(old_position) != old_position.checked_add_signed(shift))
        .map_or(0, |old_position| old_position + 1);
    let mut widened = Vec::new();
    for old_position in first_moved..last_unshifted {
        if kept(old_position)
            && let Some(new_position) = moved_to(old_position)
        {
            widened.push(old_position);
            new_changed.push(new_position);
            changed_spans.extend(linking.entities[new_position].mentions.iter().map(|mention| mention.span));
        }
    }
    old_replaced.extend(widened);
    old_replaced.sort_unstable();
    old_replaced.dedup();
    new_changed.sort_unstable();
    new_changed.dedup();
    let change = carry_over::EntityChange {
        entities_same: false,
        old_replaced,
        new_changed,
        shift_from_old: if shift == 0 && last_unshifted == 0 { old_count } else { last_unshifted },
        shift,
        changed_spans,
    };
    Ok((linking, record, same && !renumbered, Some(change)))
}

/// How quote linking by a window changed the entities of `linking` (its
/// output) for the rules that run per entity, when entity linking was
/// carried over: only the pronoun mentions of the entities listed in
/// `pronouns_changed` (each with its old pronoun mentions in the window),
/// every entity in its place. Where a person may be named differently: the
/// old pronoun mentions and every mention of those entities now.
fn pronoun_change(linking: &EntityLinking, pronouns_changed: Vec<(usize, Vec<Span>)>) -> carry_over::EntityChange {
    let mut changed_spans = Vec::new();
    let mut positions = Vec::with_capacity(pronouns_changed.len());
    for (position, removed) in pronouns_changed {
        changed_spans.extend(removed);
        if let Some(entity) = linking.entities.get(position) {
            changed_spans.extend(entity.mentions.iter().map(|mention| mention.span));
        }
        positions.push(position);
    }
    positions.sort_unstable();
    positions.dedup();
    carry_over::EntityChange {
        entities_same: false,
        old_replaced: positions.clone(),
        new_changed: positions,
        shift_from_old: linking.entities.len(),
        shift: 0,
        changed_spans,
    }
}

/// Adds to a part's read record (the old one moved, less what is read
/// again) the reads of a run over part of the draft: the ranges `keep`
/// takes and every compared distance not there already.
fn add_reads(record: &mut ReadRecord, reads: ReadRecord, keep: impl Fn(&Span) -> bool) {
    let ReadRecord { ranges, close_distances, furthest_line_number_read } = reads;
    record.ranges.extend(ranges.into_iter().filter(keep));
    record.furthest_line_number_read = record.furthest_line_number_read.max(furthest_line_number_read);
    for pair in close_distances {
        if !record.close_distances.contains(&pair) {
            record.close_distances.push(pair);
        }
    }
}

/// Quote linking, which adds to entity linking's output, with what it read
/// from `text`; `earlier`, the previous keystroke's join decisions to keep
/// where they hold ([`quotes::joins::decide`]).
fn link_quotes_recording(
    text: &str,
    views: &[ParagraphView<'_>],
    entity_linking: EntityLinking,
    inputs: StageInputs<'_>,
    earlier: Option<quotes::joins::EarlierDecisions<'_>>,
) -> (EntityLinking, Vec<Quote>, ReadRecord) {
    let tracked = TrackedText::new(text);
    let mut linking = entity_linking;
    let mut agency = inputs.agency_answers.borrow_mut();
    let quotes = quotes::link(&tracked, views, &mut linking, inputs.config, earlier, &mut agency);
    (linking, quotes, tracked.into_record())
}

/// Analyses `text` from scratch, without a cache.
pub fn analyze_document(text: &str, kind: DocumentKind, config: &Config) -> DocumentAnalysis {
    Analyzer::new().analyze(text, kind, config)
}
