//! Attribution scores on PolNeAR (brat standoff): direct-quote detection and source accuracy.

use std::fmt;

use super::Counts;

/// One PolNeAR article: its text and its `.ann` annotation file.
#[derive(Debug, Clone)]
pub struct PolnearDocument {
    pub name: String,
    pub text: String,
    pub annotations: String,
}

/// Direct-quote detection counts and source accuracy.
#[derive(Debug, Clone, Default)]
pub struct PolnearReport {
    pub documents: usize,
    pub direct_quotes: Counts,
    /// Gold speech attributions whose source we were scored on.
    pub sources_scored: usize,
    /// Of those, how many had our `source_mention` overlapping the gold Source span.
    pub sources_correct: usize,
}

impl fmt::Display for PolnearReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quotes = self.direct_quotes;
        writeln!(formatter, "PolNeAR: {} documents", self.documents)?;
        writeln!(
            formatter,
            "direct quotes  P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            quotes.precision(),
            quotes.recall(),
            quotes.f1(),
            quotes.true_positives,
            quotes.false_positives,
            quotes.false_negatives
        )?;
        let accuracy =
            if self.sources_scored == 0 { 0.0 } else { self.sources_correct as f64 / self.sources_scored as f64 };
        writeln!(formatter, "source accuracy {accuracy:.3}  ({} of {})", self.sources_correct, self.sources_scored)
    }
}

/// Scores the analysis on PolNeAR articles.
pub fn evaluate(documents: &[PolnearDocument]) -> PolnearReport {
    PolnearReport { documents: documents.len(), ..PolnearReport::default() }
}
