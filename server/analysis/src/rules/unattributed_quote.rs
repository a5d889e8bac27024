//! `unattributed-quote`: a direct quote with no source in reach.
//!
//! Every direct quote needs a speaker in its sentence, or (for a quote that
//! continues a speaker's words) in the paragraph before. The attribution
//! analysis finds the cue and the source; a direct quote it leaves with no cue,
//! no source and no speaker, and that is not carried over from the previous
//! attributed quote, is reported. Short quoted fragments (three words or
//! fewer: scare quotes, titles of works) are not statements and are skipped,
//! as are quotes in headlines and subheads.

use crate::model::{Diagnostic, Severity};
use crate::rules::text::in_body;
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "unattributed-quote",
    default_severity: Severity::Warning,
    summary: "A direct quote with no source in reach.",
    check,
};

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for quote in context.quotes.iter().filter(|quote| quote.direct) {
        if quote.speaker.is_some() || quote.source_mention.is_some() || quote.cue.is_some() || quote.floating {
            continue;
        }
        let words = quote.text.split_whitespace().count();
        if words <= 3 || !in_body(context.layout, quote.span.start) {
            continue;
        }
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: quote.span,
            message: format!(
                "no one is named as the source of the quote \"{}\"; attribute it in the same sentence",
                crate::snapshot::shorten(quote.text.trim_matches(['"', '“', '”']), 50)
            ),
            related: Vec::new(),
            fixes: Vec::new(),
        });
    }
}
