//! False alarms on professionally edited copy: warnings per 1,000 words, by rule.
//!
//! Edited, published news should draw almost no warnings, so every warning on
//! it is a candidate false alarm. The report counts them per rule (hints are
//! suggestions, not warnings, and are counted apart) and keeps a sample of hits
//! per rule with their context, so a person can read them and judge precision.

use std::collections::BTreeMap;
use std::fmt;

use crate::config::Config;
use crate::document::{DocumentKind, line_spans};
use crate::model::Severity;

/// How many hits per rule the report keeps for reading.
pub const SAMPLES_PER_RULE: usize = 20;

/// One article of the corpus.
#[derive(Debug, Clone)]
pub struct Article {
    pub name: String,
    pub text: String,
}

/// One diagnostic kept for a person to judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Article name and one-based line.
    pub location: String,
    /// The flagged text.
    pub flagged: String,
    pub message: String,
    /// The line the diagnostic starts on, shortened.
    pub context: String,
}

/// Warnings per rule over a corpus, with the word count to scale them by.
#[derive(Debug, Clone, Default)]
pub struct FalseAlarmReport {
    pub articles: usize,
    pub words: usize,
    /// Rule code to the number of warnings (any severity but hint).
    pub warnings_by_rule: BTreeMap<String, usize>,
    /// Rule code to the number of hints, reported apart.
    pub hints_by_rule: BTreeMap<String, usize>,
    /// Up to [`SAMPLES_PER_RULE`] hits per rule, spread over the corpus.
    pub samples_by_rule: BTreeMap<String, Vec<Sample>>,
}

impl FalseAlarmReport {
    fn per_thousand(&self, count: usize) -> f64 {
        if self.words == 0 { 0.0 } else { count as f64 * 1000.0 / self.words as f64 }
    }

    /// Warnings (not hints) per 1,000 words over the whole corpus.
    pub fn warnings_per_thousand_words(&self) -> f64 {
        self.per_thousand(self.warnings_by_rule.values().sum())
    }

    /// The sampled hits, rule by rule, for reading.
    pub fn samples(&self) -> String {
        let mut out = String::new();
        for (rule, samples) in &self.samples_by_rule {
            out.push_str(&format!("== {rule} ({} shown)\n", samples.len()));
            for sample in samples {
                out.push_str(&format!(
                    "{}: {:?}: {}\n    {}\n",
                    sample.location, sample.flagged, sample.message, sample.context
                ));
            }
        }
        out
    }
}

impl fmt::Display for FalseAlarmReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: usize = self.warnings_by_rule.values().sum();
        writeln!(
            formatter,
            "{} articles, {} words, {} warnings, {:.3} per 1,000 words (target <= 1.0)",
            self.articles,
            self.words,
            total,
            self.per_thousand(total)
        )?;
        for (rule, count) in &self.warnings_by_rule {
            writeln!(formatter, "  {rule:<28} {count:>6}  {:.3} per 1,000 words", self.per_thousand(*count))?;
        }
        if !self.hints_by_rule.is_empty() {
            let hints: usize = self.hints_by_rule.values().sum();
            writeln!(
                formatter,
                "hints (not counted as warnings): {hints}, {:.3} per 1,000 words",
                self.per_thousand(hints)
            )?;
            for (rule, count) in &self.hints_by_rule {
                writeln!(formatter, "  {rule:<28} {count:>6}  {:.3} per 1,000 words", self.per_thousand(*count))?;
            }
        }
        Ok(())
    }
}

/// Runs the full analysis on every article (as plain text, default stylebook)
/// and counts the warnings.
pub fn evaluate(articles: &[Article]) -> FalseAlarmReport {
    evaluate_with(articles, &Config::default())
}

/// [`evaluate`] with a given stylebook.
pub fn evaluate_with(articles: &[Article], config: &Config) -> FalseAlarmReport {
    let mut report = FalseAlarmReport { articles: articles.len(), ..FalseAlarmReport::default() };
    // Every hit, per rule, so the sample can be spread evenly over the corpus
    // instead of taking the first articles only.
    let mut all_hits: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    for article in articles {
        report.words += article.text.split_whitespace().count();
        let kind = DocumentKind::from_path(&article.name);
        let analysis = crate::analyze(&article.text, kind, config);
        let lines: Vec<_> = line_spans(&article.text).collect();
        for diagnostic in &analysis.diagnostics {
            let counts = if diagnostic.severity == Severity::Hint {
                &mut report.hints_by_rule
            } else {
                &mut report.warnings_by_rule
            };
            *counts.entry(diagnostic.code.to_owned()).or_default() += 1;
            let line_index = lines.partition_point(|line| line.end < diagnostic.span.start);
            let line = lines.get(line_index).copied().unwrap_or_default();
            all_hits.entry(diagnostic.code.to_owned()).or_default().push(Sample {
                location: format!("{}:{}", article.name, line_index + 1),
                flagged: article.text[diagnostic.span.start..diagnostic.span.end].to_owned(),
                message: diagnostic.message.clone(),
                context: crate::snapshot::shorten(&article.text[line.start..line.end.max(line.start)], 240),
            });
        }
    }
    for (rule, hits) in all_hits {
        let step = hits.len().div_ceil(SAMPLES_PER_RULE).max(1);
        let sample: Vec<Sample> = hits.into_iter().step_by(step).take(SAMPLES_PER_RULE).collect();
        report.samples_by_rule.insert(rule, sample);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_and_warnings_by_rule() {
        let articles = vec![
            Article {
                name: String::from("a.txt"),
                text: String::from("Headline here\n\nThe plan failed,\" he said.\n"),
            },
            Article {
                name: String::from("b.txt"),
                text: String::from("Another headline\n\n\"It works,\" she said.\n"),
            },
        ];
        let report = evaluate(&articles);
        assert_eq!(report.articles, 2);
        assert_eq!(report.words, 13);
        assert_eq!(report.warnings_by_rule.get("unbalanced-quote"), Some(&1));
        let samples = &report.samples_by_rule["unbalanced-quote"];
        assert_eq!(samples[0].location, "a.txt:3");
        assert!(report.to_string().starts_with("2 articles, 13 words, 1 warnings, 76.923 per 1,000 words"));
    }
}
