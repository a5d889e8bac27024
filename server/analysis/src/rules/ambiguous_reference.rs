//! `ambiguous-reference`: a short form that fits several people in the draft.
//!
//! When three people named Kim appear, "Kim said" could be any of them; the
//! entity analysis refuses to guess and records the mention with its
//! candidates. The rule reports each such mention, points at where every
//! candidate is introduced, and offers the full name of each as a fix.

use crate::model::{Diagnostic, Fix, RelatedSpan, Severity, TextEdit};
use crate::rules::text::{join_or, line_of};
use crate::rules::{Rule, RuleContext};

pub const RULE: Rule = Rule {
    code: "ambiguous-reference",
    default_severity: Severity::Warning,
    summary: "A short form (a family name, a title) that fits several people in the draft.",
    check,
};

fn check(context: &RuleContext<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for ambiguous in &context.linking.ambiguous_mentions {
        let candidates: Vec<_> =
            ambiguous.candidates.iter().filter_map(|id| context.linking.entities.iter().find(|entity| entity.id == *id)).collect();
        if candidates.len() < 2 {
            continue;
        }
        let names: Vec<String> = candidates.iter().map(|entity| entity.name.clone()).collect();
        let related = candidates
            .iter()
            .filter_map(|entity| {
                entity.introducing_mention().map(|mention| RelatedSpan {
                    span: mention.span,
                    message: format!("{} is introduced here (line {})", entity.name, line_of(context.text, mention.span.start)),
                })
            })
            .collect();
        let fixes = candidates
            .iter()
            .map(|entity| Fix {
                title: format!("Use the full name: {}", entity.name),
                edits: vec![TextEdit { span: ambiguous.span, new_text: entity.name.clone() }],
                preferred: false,
            })
            .collect();
        diagnostics.push(Diagnostic {
            code: RULE.code,
            severity: RULE.default_severity,
            span: ambiguous.span,
            message: format!(
                "\"{}\" could mean {} people in this draft: {}; use the full name",
                ambiguous.text,
                candidates.len(),
                join_or(&names)
            ),
            related,
            fixes,
        });
    }
}
