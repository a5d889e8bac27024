//! Copy-desk rules: each rule reads the finished analysis and reports diagnostics.
//!
//! One file per rule; every rule has a stable code, a default severity and a
//! documentation page in `docs/rules/<code>.md`. [`run`] calls every enabled
//! rule, applies the severity the stylebook or the editor settings give it,
//! drops what inline suppression comments silence, and sorts the result.
//! Each rule declares what its document part reads ([`Reads`]) and is given
//! only that ([`run_document_rule`]), so the pipeline can carry one rule's
//! findings over a keystroke that changed only what other rules read.

use std::sync::Arc;

use crate::config::Config;
use crate::document::{DocumentKind, DocumentLayout, Paragraph};
use crate::entities::EntityLinking;
use crate::model::{Diagnostic, Quote, Severity, Span};
use crate::pipeline::{ParagraphAnalysis, ParagraphView};
use crate::tracked_text::TrackedText;

pub mod ambiguous_reference;
pub mod attribution_verb;
pub mod duplicate_paragraph;
pub mod given_name_as_surname;
pub mod incomplete_first_reference;
pub mod inconsistent_spelling;
pub mod inconsistent_title;
pub mod leftover_boilerplate;
pub mod paragraph_too_long;
pub mod repeated_full_name;
pub mod stale_title;
pub mod suppression;
pub mod text;
pub mod title_case;
pub mod unattributed_quote;
pub mod unbalanced_quote;
pub mod unexpanded_acronym;
pub mod vague_source;

/// What the document parts of the rules need from one paragraph, found once
/// in the per-paragraph stage (and cached with it), so that a keystroke does
/// not make every rule read every paragraph again. Paragraph-relative offsets;
/// independent of the stylebook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphFacts {
    /// The paragraph's words as [`text::words`] splits them, for every rule
    /// that reads words.
    pub words: Vec<Span>,
    pub acronyms: unexpanded_acronym::AcronymFacts,
    /// The paragraph's words joined by single spaces, hashed, when it is long
    /// enough for `duplicate-paragraph` to compare it with the others.
    pub duplicate_key: Option<u64>,
    /// Why the paragraph is web-page debris by the built-in lists
    /// (`leftover-boilerplate`; a stylebook with extra phrases checks again).
    pub boilerplate: Option<&'static str>,
    /// The paragraph's double quotation marks (`unbalanced-quote`).
    pub quote_marks: unbalanced_quote::QuoteMarkFacts,
    /// Where a capitalised word may start (`given-name-as-surname`).
    pub capitalized_starts: Vec<given_name_as_surname::CapitalizedStart>,
}

/// The rule facts of one paragraph's prose.
pub fn paragraph_facts(prose: &str, kind: crate::document::ParagraphKind) -> ParagraphFacts {
    let words = text::words(prose, 0);
    ParagraphFacts {
        acronyms: unexpanded_acronym::paragraph_facts(prose, kind, &words),
        duplicate_key: duplicate_paragraph::duplicate_key(prose, kind),
        boilerplate: leftover_boilerplate::boilerplate_kind(prose, &[]),
        words: words.iter().map(|word| word.span).collect(),
        quote_marks: unbalanced_quote::paragraph_facts(prose),
        capitalized_starts: given_name_as_surname::capitalized_starts(prose),
    }
}

/// Everything a rule may look at.
#[derive(Debug)]
pub struct RuleContext<'a> {
    /// The draft; every read of it is recorded (see [`TrackedText`]).
    pub text: &'a TrackedText<'a>,
    pub layout: &'a DocumentLayout,
    pub paragraphs: &'a [ParagraphView<'a>],
    pub linking: &'a EntityLinking,
    pub quotes: &'a [Quote],
    pub config: &'a Config,
    /// Where each line of `text` starts, built on the first question about a
    /// line number (messages say "introduced on line 4"): counting from the
    /// start of the draft for every message made the rules quadratic.
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// The words of each paragraph, rebuilt from the rule facts' spans on
    /// the first question and then shared by every rule that walks them
    /// (three paragraph rules each rebuilt them for every paragraph).
    paragraph_words: std::cell::OnceCell<Vec<Vec<text::Word<'a>>>>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        text: &'a TrackedText<'a>,
        layout: &'a DocumentLayout,
        paragraphs: &'a [ParagraphView<'a>],
        linking: &'a EntityLinking,
        quotes: &'a [Quote],
        config: &'a Config,
    ) -> RuleContext<'a> {
        RuleContext {
            text,
            layout,
            paragraphs,
            linking,
            quotes,
            config,
            line_starts: std::cell::OnceCell::new(),
            paragraph_words: std::cell::OnceCell::new(),
        }
    }

    /// The words of the paragraph at `position` (in the layout and in
    /// `paragraphs`), with document offsets: [`text::words_from_spans`] over
    /// the spans the per-paragraph stage recorded.
    pub fn paragraph_words(&self, position: usize) -> &[text::Word<'a>] {
        let all = self.paragraph_words.get_or_init(|| {
            self.layout
                .paragraphs
                .iter()
                .zip(self.paragraphs)
                .map(|(paragraph, view)| {
                    text::words_from_spans(&paragraph.prose, paragraph.span.start, &view.analysis.rule_facts.words)
                })
                .collect()
        });
        &all[position]
    }

    /// The one-based line number of a byte offset (LSP line breaks).
    pub fn line_of(&self, offset: usize) -> usize {
        // The layout's line starts when it has them (a layout made by
        // `document::layout` from this text); a context built by hand, such
        // as a paragraph's alone, finds them in its text.
        let starts: &[usize] = if self.layout.line_starts.is_empty() {
            self.line_starts.get_or_init(|| text::line_starts(self.text.all()))
        } else {
            self.text.record_line_number(offset);
            &self.layout.line_starts
        };
        starts.partition_point(|&start| start <= offset).max(1)
    }
}

/// A rule's identity and entry point.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable code used in diagnostics, settings and suppression comments.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line saying what the rule reports, for documentation and listings.
    pub summary: &'static str,
    /// The part of the rule that reads one paragraph and nothing else. It runs
    /// on a context holding that paragraph alone (its text, prose view and
    /// per-paragraph analysis; no linked entities, no quotes), so its offsets
    /// are relative to the paragraph, and what it finds is cached with the
    /// paragraph: a keystroke re-runs it on the edited paragraph only.
    pub check_paragraph: Option<fn(&RuleContext<'_>, &mut Vec<Diagnostic>)>,
    /// The part of the rule that needs the whole document (linked entities,
    /// quotes, other paragraphs); its severity is set by [`run`].
    pub check: DocumentPart,
    /// What `check` reads besides the text, the layout and the configuration.
    pub reads: Reads,
}

/// What a rule's document part reads besides the draft's text (through its
/// `TrackedText`, recorded), the layout and the configuration. The rule is
/// given the linked entities and the quotes only when it declares them
/// (empty ones otherwise: [`run_document_rule`]), and the pipeline carries
/// its findings over a keystroke when what it declares is the old one
/// moved. The paragraphs' rule facts cannot be withheld that way (they come
/// with each paragraph's analysis), so a rule reading one must list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    /// `RuleContext::linking`.
    pub linking: bool,
    /// `RuleContext::quotes`.
    pub quotes: bool,
    /// Which fields of the paragraphs' [`ParagraphFacts`] (never the word
    /// spans, which only the paragraph parts use).
    pub facts: &'static [Fact],
    /// Whether it reads the order of the paragraphs: which comes before
    /// another, how many lie between two places, every paragraph in turn,
    /// a paragraph's position in the list. No read record holds these, so
    /// after a paragraph added or removed such a rule runs again. `false`
    /// only for a rule that looks the layout up at the offsets of what it
    /// reads (`text::paragraph_at`, `text::in_body`) and nothing more: the
    /// paragraphs around those offsets are the old ones moved.
    pub paragraph_order: bool,
    /// Which paragraphs' kinds (body, subhead, headline, wire header) it
    /// reads, besides the facts it declares (which the paragraph stage
    /// derives from the kind and the pipeline compares). No read record
    /// holds a kind, so this says which rules a keystroke that turns a
    /// subhead into body text, or back, can change.
    pub paragraph_kinds: KindReads,
    /// Whether it reads what quote linking adds to the linking: each
    /// entity's statements and its pronoun mentions ("he", "she"). One that
    /// does not (with `linking`) is carried over when a keystroke changed
    /// those alone, entity linking's own output being the old one moved:
    /// typing a quote's cue changes who said it, not who is named where.
    pub quote_additions: bool,
}

impl Reads {
    /// A rule whose document part reads only the text and the layout.
    pub const NOTHING: Reads = Reads {
        linking: false,
        quotes: false,
        facts: &[],
        paragraph_order: true,
        paragraph_kinds: KindReads::Any,
        quote_additions: false,
    };

    /// A rule with no document part ([`NO_DOCUMENT_CHECK`]): it reads nothing.
    pub const NO_DOCUMENT_PART: Reads = Reads {
        linking: false,
        quotes: false,
        facts: &[],
        paragraph_order: false,
        paragraph_kinds: KindReads::Never,
        quote_additions: false,
    };
}

/// Which paragraphs' kinds a rule's document part reads ([`Reads::paragraph_kinds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindReads {
    /// None: the rule reads the layout only for spans, and kinds only
    /// through the facts it declares.
    Never,
    /// Only whether a paragraph is the outlet or the tags line of the wire
    /// header: a subhead turning into body text changes nothing it reads.
    HeaderLines,
    /// Only the kind of the paragraph holding a mention or a title of an
    /// entity it looks at (`text::in_body` at the mention's start): a
    /// paragraph's kind can change only the findings of the entities named
    /// or titled in it, and for a [`DocumentPart::PerEntity`] part the
    /// pipeline runs it on those entities alone.
    AtEntityMentions,
    /// Only the kind of the paragraph holding a quote's start.
    AtQuoteStarts,
    /// Only the kinds of the paragraphs holding the capitalised starts it
    /// offers to the forms it looks for (`Fact::CapitalizedStarts`, through
    /// the keys its findings keep), and of those whose text it reads
    /// character by character (recorded): a paragraph none of whose
    /// starts may begin a form changes nothing it finds.
    AtCapitalizedStarts,
    /// Any paragraph's, as when it goes through every paragraph skipping
    /// those not in the body: runs again after any change of kind.
    Any,
}

/// How a rule's document part is run.
#[derive(Debug, Clone, Copy)]
pub enum DocumentPart {
    /// One run over the whole draft: run again whenever anything it reads changed.
    Whole(fn(&RuleContext<'_>, &mut Vec<Diagnostic>)),
    /// A union of findings each owned by one entity of the linking (or by
    /// none: the draft-wide findings a stylebook gives), the findings an
    /// entity owns depending only on that entity, the text it reads
    /// (recorded), the layout, the rule facts it declares and the
    /// configuration. When the linking changed only at some positions, the
    /// pipeline runs it on those entities alone ([`EntityScope::Only`]) and
    /// keeps what every other entity owned: after a keystroke that changed
    /// one person, a rule over every person of a long draft cost as much as
    /// the rest of the keystroke. It must push, for a scope, exactly the
    /// findings [`EntityScope::Every`] would give those entities, in the
    /// same order, owners ascending (checked in debug builds on every
    /// scoped run).
    PerEntity(fn(&RuleContext<'_>, EntityScope<'_>, &mut OwnedFindings)),
}

/// Which entities a [`DocumentPart::PerEntity`] part looks at.
#[derive(Debug, Clone, Copy)]
pub enum EntityScope<'a> {
    /// Every entity, and the draft-wide findings.
    Every,
    /// The entities at these positions of the linking (ascending), and no
    /// draft-wide finding.
    Only(&'a [usize]),
}

impl<'a> EntityScope<'a> {
    /// The positions to look at, ascending, among `count` entities.
    pub fn positions(self, count: usize) -> impl Iterator<Item = usize> + 'a {
        let (every, only): (std::ops::Range<usize>, &'a [usize]) = match self {
            EntityScope::Every => (0..count, &[]),
            EntityScope::Only(positions) => (0..0, positions),
        };
        every.chain(only.iter().copied().filter(move |position| *position < count))
    }

    /// Whether the draft-wide findings (owned by no entity) are wanted.
    pub fn draft_wide(self) -> bool {
        matches!(self, EntityScope::Every)
    }
}

/// Owner-tagged items (`OwnedFindings::person_lookups`, `entity_reads`):
/// the old ones of the entities `new_position` keeps, renumbered, with the
/// fresh ones of the entities found again, in owner order.
fn kept_and_fresh<T: Copy>(
    old: &[(u32, T)],
    new_position: &impl Fn(usize) -> Option<usize>,
    fresh: Vec<(u32, T)>,
) -> Vec<(u32, T)> {
    let mut merged: Vec<(u32, T)> = old
        .iter()
        .filter_map(|&(owner, item)| {
            let position = new_position((owner as usize).checked_sub(1)?)?;
            Some((OwnedFindings::entity_owner(position), item))
        })
        .chain(fresh)
        .collect();
    merged.sort_by_key(|(owner, _)| *owner);
    merged
}

/// What a [`DocumentPart::PerEntity`] part found, with who owns each finding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedFindings {
    pub diagnostics: Vec<Diagnostic>,
    /// One per diagnostic, ascending: [`OwnedFindings::DRAFT_WIDE`], or an
    /// entity's position in the linking plus one. Empty for a
    /// [`DocumentPart::Whole`] part's findings.
    pub owners: Vec<u32>,
    /// For a rule that says which changes of its rule facts can change
    /// what it finds (`given-name-as-surname`: the hashes, sorted, of its
    /// forms' first words; a capitalised word hashing otherwise, added or
    /// gone, changes nothing it finds): `None` when every change can.
    pub fact_keys: Option<Vec<u64>>,
    /// The offsets at which an entity's findings asked whether a person
    /// (an entity's mention or an ambiguous one) is named there, with the
    /// entity's owner, in owner order: the one thing a rule that runs per
    /// entity may read of other entities (`incomplete-first-reference`:
    /// "between Trump and Kim"). An entity whose lookup meets a changed
    /// entity's or ambiguous mention runs again with the changed entities.
    pub person_lookups: Vec<(u32, usize)>,
    /// The byte ranges an entity's findings read (`TrackedText::set_owner`),
    /// with the entity's owner, in owner order: an edit that meets one
    /// runs the rule on that entity alone, where a read in the rule's
    /// record runs it on every entity.
    pub entity_reads: Vec<(u32, Span)>,
}

impl OwnedFindings {
    /// The owner of a finding that belongs to no entity; it sorts first.
    pub const DRAFT_WIDE: u32 = 0;

    /// The owner of the findings of the entity at `position`.
    pub fn entity_owner(position: usize) -> u32 {
        u32::try_from(position + 1).unwrap_or(u32::MAX)
    }

    /// Adds a finding owned by the entity at `position` (`None`: by no entity).
    pub fn push(&mut self, position: Option<usize>, diagnostic: Diagnostic) {
        self.push_owned(position.map_or(OwnedFindings::DRAFT_WIDE, OwnedFindings::entity_owner), diagnostic);
    }

    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Keeps the first `length` findings.
    pub fn truncate(&mut self, length: usize) {
        self.diagnostics.truncate(length);
        self.owners.truncate(length);
    }

    /// `old` (findings of every entity, moved to the new text) with the
    /// findings of the entities that changed replaced by `fresh`, which
    /// holds only the changed entities' (at their new positions); and
    /// whether the diagnostics differ from `old`'s. `new_position` gives
    /// each old entity's new position, `None` for one replaced (gone or
    /// changed); it keeps the entities' order, so both lists are in owner
    /// order and this is a merge.
    pub fn replacing(
        old: &OwnedFindings,
        new_position: impl Fn(usize) -> Option<usize>,
        fresh: OwnedFindings,
    ) -> (OwnedFindings, bool) {
        let mut merged = OwnedFindings::default();
        // Each old finding kept, with its owner in the new linking.
        let mut kept = old
            .owners
            .iter()
            .zip(&old.diagnostics)
            .filter_map(|(owner, diagnostic)| {
                let new_owner = match *owner {
                    OwnedFindings::DRAFT_WIDE => Some(OwnedFindings::DRAFT_WIDE),
                    owner => new_position(owner as usize - 1).map(OwnedFindings::entity_owner),
                };
                new_owner.map(|owner| (owner, diagnostic))
            })
            .peekable();
        let mut fresh_findings = fresh.owners.into_iter().zip(fresh.diagnostics).peekable();
        loop {
            let take_kept = match (kept.peek(), fresh_findings.peek()) {
                (Some((left, _)), Some((right, _))) => left <= right,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_kept {
                let Some((owner, diagnostic)) = kept.next() else { break };
                merged.push_owned(owner, diagnostic.clone());
            } else if let Some((owner, diagnostic)) = fresh_findings.next() {
                merged.push_owned(owner, diagnostic);
            }
        }
        // The lookups and reads of the entities left as they were, at their
        // new positions, and the changed entities'.
        merged.person_lookups = kept_and_fresh(&old.person_lookups, &new_position, fresh.person_lookups);
        merged.entity_reads = kept_and_fresh(&old.entity_reads, &new_position, fresh.entity_reads);
        // The entities left as they were keep their keys, and the changed
        // ones bring theirs: the union covers every entity's (and may keep
        // a replaced entity's, which is only more cautious).
        merged.fact_keys = match (&old.fact_keys, fresh.fact_keys) {
            (Some(old_keys), Some(mut fresh_keys)) => {
                fresh_keys.extend_from_slice(old_keys);
                fresh_keys.sort_unstable();
                fresh_keys.dedup();
                Some(fresh_keys)
            }
            _ => None,
        };
        let changed = merged.diagnostics != old.diagnostics;
        (merged, changed)
    }

    fn push_owned(&mut self, owner: u32, diagnostic: Diagnostic) {
        self.owners.push(owner);
        self.diagnostics.push(diagnostic);
    }
}

/// A field of [`ParagraphFacts`] that a rule's document part reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Acronyms,
    DuplicateKey,
    Boilerplate,
    QuoteMarks,
    CapitalizedStarts,
}

impl Fact {
    /// Every field, for when a change cannot be narrowed down.
    pub const ALL: [Fact; 5] =
        [Fact::Acronyms, Fact::DuplicateKey, Fact::Boilerplate, Fact::QuoteMarks, Fact::CapitalizedStarts];
}

/// The document part of a rule that works paragraph by paragraph only.
pub const NO_DOCUMENT_CHECK: DocumentPart = DocumentPart::Whole(|_context, _diagnostics| {});

/// Runs the paragraph part of every enabled rule on one paragraph.
///
/// `paragraph_text` is the paragraph's text as written (the `text[span]` of
/// the document); the diagnostics have offsets relative to it and the rules'
/// default severities. [`run`] shifts them into place, applies severities and
/// suppression comments. Pure in its inputs, which is what lets the pipeline
/// cache the result by the paragraph's text and kind and the configuration.
pub fn run_paragraph_rules(
    paragraph_text: &str,
    document_kind: DocumentKind,
    paragraph: &Paragraph,
    analysis: &Arc<ParagraphAnalysis>,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if !RULES.iter().any(|rule| rule.check_paragraph.is_some() && effective_severity(rule, config).is_some()) {
        return diagnostics;
    }
    let alone = DocumentLayout {
        kind: document_kind,
        paragraphs: vec![Paragraph {
            span: Span::new(0, paragraph.span.len()),
            kind: paragraph.kind,
            prose: paragraph.prose.clone(),
        }],
        ..DocumentLayout::default()
    };
    let views = [ParagraphView { index: 0, paragraph: &alone.paragraphs[0], analysis: Arc::clone(analysis) }];
    let linking = EntityLinking::default();
    // The paragraph parts' reads need no record: their findings are cached
    // by the paragraph's text and compared whole.
    let paragraph_text = TrackedText::new(paragraph_text);
    let context = RuleContext::new(&paragraph_text, &alone, &views, &linking, &[], config);
    for rule in RULES {
        let Some(check_paragraph) = rule.check_paragraph else { continue };
        if effective_severity(rule, config).is_some() {
            check_paragraph(&context, &mut diagnostics);
        }
    }
    diagnostics
}

/// A paragraph-relative diagnostic moved to the paragraph's place in the document.
fn shifted_diagnostic(diagnostic: &Diagnostic, offset: usize) -> Diagnostic {
    let mut moved = diagnostic.clone();
    moved.span = moved.span.shifted(offset);
    for related in &mut moved.related {
        related.span = related.span.shifted(offset);
    }
    for fix in &mut moved.fixes {
        for edit in &mut fix.edits {
            edit.span = edit.span.shifted(offset);
        }
    }
    moved
}

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    unbalanced_quote::RULE,
    unattributed_quote::RULE,
    vague_source::RULE,
    incomplete_first_reference::RULE,
    repeated_full_name::RULE,
    ambiguous_reference::RULE,
    given_name_as_surname::RULE,
    inconsistent_title::RULE,
    inconsistent_spelling::RULE,
    title_case::RULE,
    unexpanded_acronym::RULE,
    attribution_verb::RULE,
    leftover_boilerplate::RULE,
    duplicate_paragraph::RULE,
    stale_title::RULE,
    paragraph_too_long::RULE,
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}

/// Where a rule's documentation lives, relative to the repository root.
pub fn documentation_path(code: &str) -> String {
    format!("docs/rules/{code}.md")
}

/// The rule's documentation page as a URL, for the editor's link on a diagnostic.
pub fn documentation_url(code: &str) -> String {
    format!("{}/blob/main/{}", env!("CARGO_PKG_REPOSITORY"), documentation_path(code))
}

/// The severity `code` runs at under `config`, or `None` when it is off.
pub fn effective_severity(rule: &Rule, config: &Config) -> Option<Severity> {
    match config.rule_level(rule.code) {
        Some(level) => level.severity(),
        None => Some(rule.default_severity),
    }
}

/// Runs every enabled rule: the paragraph parts' cached findings are put in
/// place (`paragraph_diagnostics`, one list per paragraph), the document
/// parts run on `context` (each given only what it reads: [`run_document_rule`]),
/// and [`assemble`] puts it all together.
pub fn run(context: &RuleContext<'_>, paragraph_diagnostics: &[Arc<Vec<Diagnostic>>]) -> Vec<Diagnostic> {
    let found: Vec<OwnedFindings> = RULES
        .iter()
        .map(|rule| {
            if effective_severity(rule, context.config).is_some() {
                run_document_rule(
                    rule,
                    context.text,
                    context.layout,
                    context.paragraphs,
                    context.linking,
                    context.quotes,
                    context.config,
                    EntityScope::Every,
                )
            } else {
                OwnedFindings::default()
            }
        })
        .collect();
    assemble(context.text, context.layout, context.config, paragraph_diagnostics, &found).diagnostics
}

/// One rule's document part, given only the linking and quotes it declares
/// reading ([`Rule::reads`]; empty ones otherwise, so a rule that reads
/// more than it declares finds nothing there and its tests fail). Its
/// findings, with default severities and suppression comments not applied;
/// with their owners for a [`DocumentPart::PerEntity`] part, whose `scope`
/// says which entities to look at (a [`DocumentPart::Whole`] part reads
/// everything whatever the scope).
#[allow(clippy::too_many_arguments)]
pub fn run_document_rule(
    rule: &Rule,
    text: &TrackedText<'_>,
    layout: &DocumentLayout,
    paragraphs: &[ParagraphView<'_>],
    linking: &EntityLinking,
    quotes: &[Quote],
    config: &Config,
    scope: EntityScope<'_>,
) -> OwnedFindings {
    let none = EntityLinking::default();
    let linking = if rule.reads.linking { linking } else { &none };
    let quotes = if rule.reads.quotes { quotes } else { &[] };
    let context = RuleContext::new(text, layout, paragraphs, linking, quotes, config);
    check_document(rule, &context, scope)
}

/// Runs `rule`'s document part on `context` as it is (whatever it holds).
pub fn check_document(rule: &Rule, context: &RuleContext<'_>, scope: EntityScope<'_>) -> OwnedFindings {
    let mut found = OwnedFindings::default();
    match rule.check {
        DocumentPart::Whole(check) => {
            debug_assert!(scope.draft_wide(), "{} has no part per entity", rule.code);
            check(context, &mut found.diagnostics);
        }
        DocumentPart::PerEntity(check) => {
            check(context, scope, &mut found);
            debug_assert!(found.owners.is_sorted(), "{} gave its findings out of owner order", rule.code);
            context.text.set_owner(None);
            found.entity_reads = context.text.take_owned();
            found.entity_reads.sort_by_key(|(owner, _)| *owner);
        }
    }
    found
}

/// Where an assembled diagnostic came from: a rule's paragraph part, or
/// the document part of one rule of [`RULES`]. Kept beside the assembled
/// diagnostics so that a keystroke which changes the findings of one
/// paragraph or of a few rules puts only those in place again
/// ([`reassemble`]) instead of copying and sorting every diagnostic of the
/// draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin(u8);

impl Origin {
    /// Found by a paragraph part (any rule's).
    pub const PARAGRAPH: Origin = Origin(0);

    /// Found by the document part of `RULES[rule_index]`.
    pub fn document_part(rule_index: usize) -> Origin {
        Origin(u8::try_from(rule_index + 1).unwrap_or(u8::MAX))
    }

    /// The index in [`RULES`] of the rule whose document part found it.
    pub fn rule_index(self) -> Option<usize> {
        usize::from(self.0).checked_sub(1)
    }
}

/// The draft's diagnostics, in their final order, with where each came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assembled {
    pub diagnostics: Vec<Diagnostic>,
    /// One per diagnostic.
    pub origins: Vec<Origin>,
}

/// The final order: by place, then code, then origin (paragraph parts
/// first, then the rules' document parts in [`RULES`] order); a stable
/// sort keeps one source's findings with equal keys in the order found.
/// Ordering by origin last is what a stable sort by place and code alone
/// gives when the paragraph parts' findings come first and the document
/// parts' follow rule by rule, as they did before origins were kept.
fn order_key((diagnostic, origin): &(Diagnostic, Origin)) -> (usize, usize, &'static str, Origin) {
    (diagnostic.span.start, diagnostic.span.end, diagnostic.code, *origin)
}

/// What every assembly applies to a finding: the severity the
/// configuration gives its rule, and the suppression comments.
struct Finishing {
    suppressions: suppression::Suppressions,
    severities: Vec<Option<Severity>>,
}

impl Finishing {
    fn new(text: &TrackedText<'_>, layout: &DocumentLayout, config: &Config) -> Finishing {
        Finishing {
            suppressions: suppression::Suppressions::parse(text, layout),
            severities: RULES.iter().map(|rule| effective_severity(rule, config)).collect(),
        }
    }

    fn severity_of(&self, code: &str) -> Option<Severity> {
        RULES.iter().position(|rule| rule.code == code).and_then(|index| self.severities[index])
    }

    /// Adds `diagnostic` at `severity` unless a suppression comment silences it.
    /// The "ignore this rule" fixes are not attached here: every diagnostic
    /// would format them on every keystroke, for the few a writer opens the
    /// light bulb on. [`suppression::SuppressionFixer`] writes them when asked.
    fn keep(
        &self,
        mut diagnostic: Diagnostic,
        severity: Severity,
        origin: Origin,
        out: &mut Vec<(Diagnostic, Origin)>,
    ) {
        diagnostic.severity = severity;
        if !self.suppressions.silences(diagnostic.code, diagnostic.span.start) {
            out.push((diagnostic, origin));
        }
    }

    /// One paragraph's findings (paragraph-relative), put in place at `paragraph_start`.
    fn keep_paragraph(&self, paragraph_start: usize, found: &[Diagnostic], out: &mut Vec<(Diagnostic, Origin)>) {
        for diagnostic in found {
            let Some(severity) = self.severity_of(diagnostic.code) else { continue };
            self.keep(shifted_diagnostic(diagnostic, paragraph_start), severity, Origin::PARAGRAPH, out);
        }
    }

    /// The document part of `RULES[rule_index]`'s findings.
    fn keep_document_part(&self, rule_index: usize, found: &[Diagnostic], out: &mut Vec<(Diagnostic, Origin)>) {
        let Some(severity) = self.severities.get(rule_index).copied().flatten() else { return };
        for diagnostic in found {
            self.keep(diagnostic.clone(), severity, Origin::document_part(rule_index), out);
        }
    }
}

/// Puts the rules' findings together: the paragraph parts' (`paragraph_diagnostics`, one list per
/// paragraph, paragraph-relative) shifted into place, then the document
/// parts' (`found`, one list per rule of [`RULES`], empty for a rule
/// switched off), each with the severity the configuration gives its rule,
/// less what suppression comments silence, sorted by place and code.
/// Reads the suppression comments from `text`.
pub fn assemble(
    text: &TrackedText<'_>,
    layout: &DocumentLayout,
    config: &Config,
    paragraph_diagnostics: &[Arc<Vec<Diagnostic>>],
    found: &[OwnedFindings],
) -> Assembled {
    let finishing = Finishing::new(text, layout, config);
    let mut kept: Vec<(Diagnostic, Origin)> = Vec::new();
    for (paragraph, found) in layout.paragraphs.iter().zip(paragraph_diagnostics) {
        finishing.keep_paragraph(paragraph.span.start, found, &mut kept);
    }
    for (rule_index, found) in found.iter().enumerate() {
        finishing.keep_document_part(rule_index, &found.diagnostics, &mut kept);
    }
    kept.sort_by_key(order_key);
    let (diagnostics, origins) = kept.into_iter().unzip();
    Assembled { diagnostics, origins }
}

/// [`assemble`] after an edit that changed only some sources' findings:
/// `kept` is the previous assembly less every diagnostic of those
/// sources, moved to the new text (still in order); the changed sources
/// are the edited paragraph's paragraph parts (`paragraph`: its start in
/// the new text and its findings, when they changed) and the document
/// parts of the rules listed in `changed_rules` (their findings in
/// `found`). The changed sources' findings are finished and sorted, then
/// merged with the kept ones. Equal to [`assemble`] over every source as
/// long as the kept diagnostics are what it would keep: the caller makes
/// sure the suppression comments and the configuration are the same.
pub fn reassemble(
    text: &TrackedText<'_>,
    layout: &DocumentLayout,
    config: &Config,
    kept: Assembled,
    paragraph: Option<(usize, &[Diagnostic])>,
    changed_rules: &[usize],
    found: &[OwnedFindings],
) -> Assembled {
    let finishing = Finishing::new(text, layout, config);
    let mut fresh: Vec<(Diagnostic, Origin)> = Vec::new();
    if let Some((paragraph_start, paragraph_found)) = paragraph {
        finishing.keep_paragraph(paragraph_start, paragraph_found, &mut fresh);
    }
    for &rule_index in changed_rules {
        finishing.keep_document_part(rule_index, &found[rule_index].diagnostics, &mut fresh);
    }
    fresh.sort_by_key(order_key);
    // A merge of two sorted lists. No kept diagnostic and fresh one have
    // equal keys: they come from different sources (different origins),
    // except paragraph parts of two paragraphs, whose spans lie in
    // different paragraphs.
    let length = kept.diagnostics.len() + fresh.len();
    let mut diagnostics = Vec::with_capacity(length);
    let mut origins = Vec::with_capacity(length);
    let mut kept = kept.diagnostics.into_iter().zip(kept.origins).peekable();
    let mut fresh = fresh.into_iter().peekable();
    loop {
        let take_kept = match (kept.peek(), fresh.peek()) {
            (Some(left), Some(right)) => order_key(left) <= order_key(right),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_kept { kept.next() } else { fresh.next() };
        if let Some((diagnostic, origin)) = next {
            diagnostics.push(diagnostic);
            origins.push(origin);
        }
    }
    Assembled { diagnostics, origins }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every rule has a documentation page and is listed in the stylebook's
    /// JSON schema, so neither can fall behind the code.
    /// Drafts on which rules find what the articles of `tests/articles`
    /// do not have: an unattributed quote, an anonymous source's first
    /// quote, a first reference after a later one.
    const EXTRA_DRAFTS: &[&str] = &[
        "Quay vote delayed\nThe vote was delayed after Mr Brandvik said the figures were late.\nHarbour Commissioner Ulla Brandvik met the board on Monday.",
        "Ferry plan\nRiverside Gazette\n[]\nThe council met on Monday.\n\"We will never give up on this ferry, not now and not ever.\"\n",
        "Ferry deal near\n\"The deal is close and the vote is on Friday, whatever they say,\" a source said.\n",
    ];

    /// A rule that reads the linking or the quotes without declaring it
    /// ([`super::Reads`]) is given empty ones and finds less: on every
    /// article of `tests/articles` and a few drafts with quotes, each rule's
    /// document part finds the same given only what it declares as given
    /// everything. (The pipeline carries a rule's findings over a keystroke
    /// on the strength of that declaration.)
    #[test]
    fn every_rule_declares_the_linking_and_quotes_it_reads() {
        use crate::entities::EntityLinking;
        use crate::tracked_text::TrackedText;
        let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/articles");
        let mut drafts: Vec<(String, crate::DocumentKind, String)> = EXTRA_DRAFTS
            .iter()
            .enumerate()
            .map(|(index, draft)| (format!("draft {index}"), crate::DocumentKind::PlainText, (*draft).to_owned()))
            .collect();
        for entry in std::fs::read_dir(&articles).expect("tests/articles readable").flatten() {
            let path = entry.path();
            let kind = match path.extension().and_then(|extension| extension.to_str()) {
                Some("txt") => crate::DocumentKind::PlainText,
                Some("md") => crate::DocumentKind::Markdown,
                _ => continue,
            };
            drafts.push((path.display().to_string(), kind, std::fs::read_to_string(&path).expect("article readable")));
        }
        let mut found_by: Vec<&str> = Vec::new();
        for (name, kind, text) in &drafts {
            let (kind, text) = (*kind, text.as_str());
            let config = crate::Config::default();
            let document = crate::analyze_document(text, kind, &config);
            let views = document.paragraph_views();
            let linking = EntityLinking {
                entities: document.analysis.entities.clone(),
                ambiguous_mentions: document.analysis.ambiguous_mentions.clone(),
            };
            let quotes = &document.analysis.quotes;
            let tracked = TrackedText::new(text);
            for rule in super::RULES {
                let context = super::RuleContext::new(&tracked, &document.layout, &views, &linking, quotes, &config);
                let everything = super::check_document(rule, &context, super::EntityScope::Every).diagnostics;
                let declared = super::run_document_rule(
                    rule,
                    &tracked,
                    &document.layout,
                    &views,
                    &linking,
                    quotes,
                    &config,
                    super::EntityScope::Every,
                )
                .diagnostics;
                assert_eq!(declared, everything, "{} on {name}", rule.code);
                if !everything.is_empty() {
                    found_by.push(rule.code);
                }
            }
        }
        // The check says something only for rules that found something.
        // (`stale-title` needs the stylebook's people, and the default
        // configuration has none.)
        for rule in
            super::RULES.iter().filter(|rule| (rule.reads.linking || rule.reads.quotes) && rule.code != "stale-title")
        {
            assert!(found_by.contains(&rule.code), "{} found nothing in any draft", rule.code);
        }
    }

    #[test]
    fn every_rule_is_documented_and_in_the_schema() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(docs.join("copydesk.schema.json")).expect("schema readable"))
                .expect("schema is JSON");
        let listed = schema["properties"]["rules"]["properties"].as_object().expect("rules listed");
        assert_eq!(listed.len(), super::RULES.len());
        for rule in super::RULES {
            assert!(docs.join(format!("rules/{}.md", rule.code)).is_file(), "no page for {}", rule.code);
            assert!(listed.contains_key(rule.code), "{} missing from the schema", rule.code);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! One `check` helper for every rule's unit tests: analyse a draft and render
    //! the diagnostics of one rule, with their evidence, related spans and fixes.

    use std::fmt::Write as _;

    use crate::config::Config;
    use crate::document::DocumentKind;

    /// Renders the diagnostics of `code` for `text`, one block per diagnostic:
    /// the flagged text and message, then related spans and fixes (with the
    /// text each fix produces).
    pub(crate) fn render(text: &str, kind: DocumentKind, config: &Config, code: &str) -> String {
        let analysis = crate::analyze(text, kind, config);
        let mut out = String::new();
        for diagnostic in analysis.diagnostics.iter().filter(|diagnostic| diagnostic.code == code) {
            let _ = writeln!(
                out,
                "{:?} {:?}: {}",
                diagnostic.severity,
                &text[diagnostic.span.start..diagnostic.span.end],
                diagnostic.message
            );
            for related in &diagnostic.related {
                let _ =
                    writeln!(out, "  related {:?}: {}", &text[related.span.start..related.span.end], related.message);
            }
            for fix in &diagnostic.fixes {
                if fix.title.starts_with("Ignore ") {
                    continue;
                }
                let mut fixed = text.to_owned();
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
                for edit in edits {
                    fixed.replace_range(edit.span.start..edit.span.end, &edit.new_text);
                }
                let _ = writeln!(
                    out,
                    "  fix {:?}{} -> {:?}",
                    fix.title,
                    if fix.preferred { " (preferred)" } else { "" },
                    fixed
                );
            }
        }
        out
    }

    /// Asserts the rendering of `code`'s diagnostics on a plain-text draft.
    pub(crate) fn check(code: &str, text: &str, expect: &str) {
        check_with(code, text, DocumentKind::PlainText, &Config::default(), expect);
    }

    pub(crate) fn check_with(code: &str, text: &str, kind: DocumentKind, config: &Config, expect: &str) {
        let actual = render(text, kind, config, code);
        assert_eq!(actual.trim_end(), expect.trim(), "\nactual:\n{actual}");
    }
}
