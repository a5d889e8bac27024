//! What each item of entity linking (a mention candidate, or a capitalised
//! word of the second pass) could depend on, so that a keystroke which
//! changes one paragraph's mentions re-links only the items that could link
//! differently (`linking::relink`) instead of the whole draft.
//!
//! Entity linking is one pass over the items in text order, and an item
//! reaches the entities made before it only through a handful of lookups,
//! each under a *token*: the full name key ("same name", a one-word entity
//! that grows), a person's first or last name part, the first and last word
//! of a longer name, a longer name's trailing words, an acronym. An entity
//! is found under a token only when one of its items could have filed it
//! there: every token an item could file its entity under (were it to
//! start one, grow one's name or spell one's acronym out) is that item's
//! *registration*; every token it looks up, its *lookup*. Both are
//! functions of the item alone (its name key, form, kind and acronym),
//! never of what the linking decided.
//!
//! Items are grouped into *components*: an item joins the entity it joined,
//! and every item touching a token that some item looks up and some item
//! registers joins every other item touching that token. An item's
//! decisions read only entities whose items share its component, so each
//! component links the same whether the others are there or not, and
//! linking the items of some components alone (in text order) gives their
//! entities exactly as a full linking does. A token registered but never
//! looked up (or looked up and never registered) joins nothing.
//!
//! A title alone ("the minister") is no item here: it is resolved after
//! both passes (`linking::resolve_titles`), since no decision of theirs
//! reads it. Were it an item, it would look up the title word under which
//! every person titled "minister" is filed, and join them all, with all
//! their mentions, into one component: in a long political draft about
//! 2,100 items, linked again whenever a minister's name changed.
//!
//! [`LinkingDependencies`] keeps, between keystrokes, the component of every
//! item and entity and the components that touched each token, for the
//! `Analyzer`'s carry-over (`pipeline.rs`).

use rustc_hash::FxHashMap;

use super::MentionCandidate;
use crate::model::{EntityKind, MentionForm};

/// The component of an item that touches no token (an empty name key): it
/// depends on nothing and nothing depends on it.
pub const NO_COMPONENT: u32 = u32::MAX;

/// What kind of lookup a token stands for; hashed in first, so that the
/// same words under two kinds are two tokens.
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
enum TokenKind {
    /// An entity whose name key is exactly these words.
    FullKey = 1,
    /// A person with a multi-word name whose first or last word is this
    /// word. (An entity is a person with a multi-word name key only when
    /// the item that gave it that key was proposed as a person: it started
    /// the entity, grew a one-word person's name, or spelled out the
    /// acronym, which sets the kind too. The kinds the majority decides
    /// are settled after both passes.)
    PersonNamePart = 2,
    /// A person of three or more words with this first and this last word.
    FirstAndLast = 3,
    /// A person whose longer name key ends with these (two or more) words.
    TrailingWords = 4,
    /// An entity spelled out with this acronym.
    Acronym = 5,
    /// An organisation or place with a multi-word name starting with this word.
    OtherFirstWord = 7,
    /// A person with this one-word name.
    PersonWord = 8,
}

/// Whether an item looks a token up or could file its entity under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Looks,
    Registers,
}

impl Role {
    /// The role as a bit, for sets of roles.
    pub const fn bit(self) -> u8 {
        match self {
            Role::Looks => 1,
            Role::Registers => 2,
        }
    }

    /// The roles an item touching a token in these roles depends on:
    /// a lookup on the registrations, a registration on the lookups.
    pub const fn met_by(roles: u8) -> u8 {
        ((roles & 1) << 1) | ((roles & 2) >> 1)
    }
}

/// The hash of a token: its kind and its words. Two tokens with one hash
/// are one token here, which only joins more items than needed.
fn token<'a>(kind: TokenKind, words: impl IntoIterator<Item = &'a str>) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u8(kind as u8);
    for word in words {
        hasher.write(word.as_bytes());
        // A separator no word holds, so ["ab", "c"] and ["a", "bc"] differ.
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

fn one_word(kind: TokenKind, word: &str) -> u64 {
    token(kind, std::iter::once(word))
}

/// Every token a mention candidate looks up or could file its entity
/// under, given its name key (`key`, lowercase words), its text as
/// written, and its spelled-out acronym lowercased. Keep in step with
/// `linking::link_one`: each of its lookups and each way it files an entity
/// must be here.
pub fn candidate_tokens(
    candidate: &MentionCandidate,
    key: &[String],
    mention_text: &str,
    acronym: Option<&str>,
    mut touch: impl FnMut(u64, Role),
) {
    if key.is_empty() {
        return;
    }
    let words = || key.iter().map(String::as_str);
    let first = key[0].as_str();
    let last = key[key.len() - 1].as_str();
    if candidate.form == MentionForm::Title {
        // A title alone is resolved after the linking, which none of its
        // items' decisions read (`linking::resolve_titles`).
        return;
    }
    if candidate.form == MentionForm::Acronym {
        touch(one_word(TokenKind::Acronym, &mention_text.to_lowercase()), Role::Looks);
    }
    if let Some(acronym) = acronym {
        // The acronym alone seen before ("DPRK"), which this spelled-out
        // name then defines; and the acronym it files.
        touch(one_word(TokenKind::FullKey, acronym), Role::Looks);
        touch(one_word(TokenKind::Acronym, acronym), Role::Registers);
    }
    touch(token(TokenKind::FullKey, words()), Role::Looks);
    let person = candidate.kind == EntityKind::Person;
    if key.len() == 1 {
        // A person's family name; for a word not proposed as a person, the
        // first word of an organisation's or place's name.
        touch(one_word(TokenKind::PersonNamePart, first), Role::Looks);
        if !person {
            touch(one_word(TokenKind::OtherFirstWord, first), Role::Looks);
        }
    } else if person {
        // A one-word person whose name grows, a fuller name ending with
        // this one, a fuller name with the same first and last words.
        touch(one_word(TokenKind::PersonWord, first), Role::Looks);
        touch(one_word(TokenKind::PersonWord, last), Role::Looks);
        touch(token(TokenKind::TrailingWords, words()), Role::Looks);
        touch(token(TokenKind::FirstAndLast, [first, last]), Role::Looks);
    }
    // What the entity it starts or renames would be filed under.
    touch(token(TokenKind::FullKey, words()), Role::Registers);
    if key.len() == 1 && person {
        touch(one_word(TokenKind::PersonWord, first), Role::Registers);
    }
    if key.len() > 1 && person {
        touch(one_word(TokenKind::PersonNamePart, first), Role::Registers);
        touch(one_word(TokenKind::PersonNamePart, last), Role::Registers);
    } else if key.len() > 1 {
        touch(one_word(TokenKind::OtherFirstWord, first), Role::Registers);
    }
    if key.len() > 2 && person {
        touch(token(TokenKind::FirstAndLast, [first, last]), Role::Registers);
        for start in 1..key.len() - 1 {
            touch(token(TokenKind::TrailingWords, key[start..].iter().map(String::as_str)), Role::Registers);
        }
    }
}

/// The tokens a capitalised word of the second pass looks up (lowercased
/// as written): a person's name part, or a one-word organisation or place.
pub fn word_tokens(word: &str, mut touch: impl FnMut(u64, Role)) {
    touch(one_word(TokenKind::PersonNamePart, word), Role::Looks);
    touch(one_word(TokenKind::FullKey, word), Role::Looks);
}

/// The touches of one token during a linking run: a list threaded through
/// `Recorder::touches`, and which roles it was touched in.
#[derive(Debug, Clone, Copy)]
struct TokenTouches {
    head: u32,
    looked_up: bool,
    registered: bool,
}

/// Records, during one linking run, the tokens each item touches and which
/// items joined which entities, and groups the items into components; or,
/// switched off, only numbers the items.
#[derive(Debug, Default)]
pub struct Recorder {
    on: bool,
    /// How many items the run has started.
    items: u32,
    tokens: FxHashMap<u64, TokenTouches>,
    /// (item, next touch of the same token or `u32::MAX`, the roles it
    /// touched the token in as bits).
    touches: Vec<(u32, u32, u8)>,
    /// Union-find over the run's items.
    parent: Vec<u32>,
    /// Whether each item touched a token.
    touched: Vec<bool>,
}

impl Recorder {
    /// A recorder that records.
    pub fn on() -> Recorder {
        Recorder { on: true, ..Recorder::default() }
    }

    /// A recorder that records nothing, for a linking whose dependencies
    /// nobody will read.
    pub fn off() -> Recorder {
        Recorder::default()
    }

    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Starts the next item of the run (items are numbered in the order
    /// they are started) and returns its number.
    pub fn begin_item(&mut self) -> u32 {
        let item = self.items;
        self.items += 1;
        if self.on {
            self.parent.push(item);
            self.touched.push(false);
        }
        item
    }

    pub fn touch(&mut self, item: u32, token: u64, role: Role) {
        if !self.on {
            return;
        }
        self.touched[item as usize] = true;
        let next = self.touches.len() as u32;
        let entry =
            self.tokens.entry(token).or_insert(TokenTouches { head: u32::MAX, looked_up: false, registered: false });
        // The same item touching a token twice (a lookup and a
        // registration) is listed once.
        if entry.head != u32::MAX && self.touches[entry.head as usize].0 == item {
            self.touches[entry.head as usize].2 |= role.bit();
        } else {
            self.touches.push((item, entry.head, role.bit()));
            entry.head = next;
        }
        match role {
            Role::Looks => entry.looked_up = true,
            Role::Registers => entry.registered = true,
        }
    }

    fn root(&mut self, item: u32) -> u32 {
        let mut root = item;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        let mut walk = item;
        while self.parent[walk as usize] != root {
            let next = self.parent[walk as usize];
            self.parent[walk as usize] = root;
            walk = next;
        }
        root
    }

    /// Puts two items in one component (an item and the entity it joined,
    /// given as the item that started it).
    pub fn join(&mut self, first: u32, second: u32) {
        if !self.on {
            return;
        }
        let (first, second) = (self.root(first), self.root(second));
        if first != second {
            // The lower number stays the root, which keeps the components'
            // numbering in text order of their first item.
            let (low, high) = if first < second { (first, second) } else { (second, first) };
            self.parent[high as usize] = low;
        }
    }

    /// Groups the items into components numbered from `next_component`
    /// on (which it advances), and returns each item's component and, for
    /// each token, the components that touched it.
    pub fn finish(mut self, next_component: &mut u32) -> FinishedRun {
        let tokens = std::mem::take(&mut self.tokens);
        for touches in tokens.values() {
            if touches.looked_up && touches.registered {
                let mut at = touches.head;
                let first = self.touches[at as usize].0;
                while at != u32::MAX {
                    let (item, next, _) = self.touches[at as usize];
                    self.join(first, item);
                    at = next;
                }
            }
        }
        let mut component_of_root = vec![NO_COMPONENT; self.parent.len()];
        let mut item_components = Vec::with_capacity(self.parent.len());
        for item in 0..self.parent.len() as u32 {
            if !self.touched[item as usize] {
                item_components.push(NO_COMPONENT);
                continue;
            }
            let root = self.root(item) as usize;
            if component_of_root[root] == NO_COMPONENT {
                component_of_root[root] = *next_component;
                *next_component += 1;
            }
            item_components.push(component_of_root[root]);
        }
        let mut token_components = Vec::with_capacity(tokens.len());
        for (token, touches) in tokens {
            let mut components: Vec<(u32, u8)> = Vec::new();
            let mut at = touches.head;
            while at != u32::MAX {
                let (item, next, roles) = self.touches[at as usize];
                add_component(&mut components, item_components[item as usize], roles);
                at = next;
            }
            token_components.push((token, components));
        }
        FinishedRun { item_components, token_components }
    }
}

/// Lists `component` with `roles` among a token's components (once, with
/// every role it touched the token in); returns whether it was new.
pub fn add_component(components: &mut Vec<(u32, u8)>, component: u32, roles: u8) -> bool {
    match components.iter_mut().find(|(listed, _)| *listed == component) {
        Some((_, listed_roles)) => {
            *listed_roles |= roles;
            false
        }
        None => {
            components.push((component, roles));
            true
        }
    }
}

/// A linking run's components: one per item in run order, and the
/// components that touched each token, each with the roles (bits of
/// [`Role::bit`]) its items touched it in.
#[derive(Debug)]
pub struct FinishedRun {
    pub item_components: Vec<u32>,
    pub token_components: Vec<(u64, Vec<(u32, u8)>)>,
}

/// The components of one paragraph's items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphComponents {
    /// One per mention candidate, in order.
    pub mentions: Vec<u32>,
    /// One per other capitalised word, in order.
    pub words: Vec<u32>,
}

/// What entity linking's items depend on, kept from one keystroke to the
/// next: the component of every item, entity and ambiguous mention, and the
/// components that touched each token. Holds no offsets, so it needs no
/// moving across an edit; it is tied to the paragraphs by position, and
/// the `Analyzer` uses it only when the paragraphs are the old ones moved.
#[derive(Debug, Clone, Default)]
pub struct LinkingDependencies {
    /// For each token, the components whose items touched it, each with
    /// the roles (bits of [`Role::bit`]) they touched it in. A component
    /// replaced by a re-linking may stay listed under the tokens only the
    /// edited paragraph's old items touched (it has no items left).
    pub tokens: FxHashMap<u64, Vec<(u32, u8)>>,
    /// For each paragraph, its items' components.
    pub paragraphs: Vec<ParagraphComponents>,
    /// The component of each entity of the linking, in order.
    pub entities: Vec<u32>,
    /// The component of each ambiguous mention of the linking, in order.
    pub ambiguous: Vec<u32>,
    /// The next unused component number: a re-linking numbers its
    /// components afresh, so that a replaced one is never confused with a
    /// new one.
    pub next_component: u32,
    /// How many list entries re-linkings have added to `tokens` since the
    /// last full linking, and how many the full linking made: when the
    /// first outgrows the second, the `Analyzer` links in full again
    /// rather than keep walking stale entries.
    pub added_entries: usize,
    pub full_entries: usize,
}
