//! False alarms on the BBC politics corpus (professionally edited copy).
//!
//! Prints warnings per 1,000 words by rule and a sample of hits per rule for a
//! person to judge (`cargo test -p copydesk-analysis --test false_alarms -- --nocapture`).
//! The corpus lives outside the project in `../shared/corpus`; without it the
//! test prints a skip message. Per the corpus README the figure is printed, not
//! gated on; the test only checks that the whole corpus was read and analysed.

mod shared;

use copydesk_analysis::Config;
use copydesk_analysis::evaluation::false_alarms::{Article, evaluate, evaluate_with};

#[test]
fn bbc_politics_false_alarms() {
    let Some(paths) = shared::bbc_politics_articles("bbc_politics_false_alarms") else { return };
    let articles: Vec<Article> = paths
        .iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(Article { name: path.file_name()?.to_string_lossy().into_owned(), text })
        })
        .collect();
    let report = evaluate(&articles);
    eprintln!("{report}");
    if std::env::var_os("COPYDESK_SAMPLES").is_some() {
        eprintln!("{}", report.samples());
    }
    // The same copy under a stylebook a British newsroom would write: the
    // acronyms its readers know. Shows how much of the default figure is the
    // audience rather than the copy.
    let british = Config::from_toml_str(
        "[acronyms]\nknown = [\"BNP\", \"SNP\", \"MSP\", \"TUC\", \"CBI\", \"IRA\", \"UKIP\", \"SDLP\", \"DUP\", \"GMB\", \"ITN\", \"GMTV\", \"BAA\", \"RAC\", \"S4C\", \"ICM\", \"MORI\", \"ERM\", \"NUT\", \"CPS\", \"MoD\"]\n",
    )
    .expect("the fixture stylebook parses");
    eprintln!("with a British newsroom's known acronyms:\n{}", evaluate_with(&articles, &british));
    assert_eq!(report.articles, articles.len());
    assert!(report.words > 0);
}
