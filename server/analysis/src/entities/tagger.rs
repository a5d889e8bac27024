//! The statistical name tagger: an averaged perceptron over hashed features,
//! trained on CoNLL-2003 `eng.train` by `scripts/train-tagger.sh`.
//!
//! Until a model is trained and compiled in, [`model`] returns `None` and the
//! rule proposer in [`super::names`] does all the work.

use std::ops::Range;

use super::names::Proposal;
use super::tokens::Token;

/// A loaded tagger model.
#[derive(Debug)]
pub struct Model {}

impl Model {
    /// Proposes typed name spans for one sentence.
    pub fn propose(&self, prose: &str, tokens: &[Token], sentence: Range<usize>) -> Vec<Proposal> {
        super::names::propose_by_rules(prose, tokens, sentence)
    }
}

/// The compiled-in model, if any.
pub fn model() -> Option<&'static Model> {
    None
}
