//! Scoring the analysis on real annotated news.
//!
//! Each evaluation takes the corpus *text* (the caller reads the files) and
//! returns a report that prints itself. The corpora live outside the project in
//! `../shared/corpus/`; nothing from them is ever copied into the repository.

pub mod conll;
pub mod false_alarms;
pub mod polnear;

/// Precision, recall and F1 from true-positive, false-positive and false-negative counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    pub fn recall(self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    pub fn f1(self) -> f64 {
        let (precision, recall) = (self.precision(), self.recall());
        if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) }
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 { 0.0 } else { numerator as f64 / denominator as f64 }
}
