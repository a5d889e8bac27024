//! The real copy the keystroke bench and the `keystroke_classes` example
//! type into: articles of a corpus folder joined into one draft, and the
//! body paragraphs of the articles after them, which are typed again.
//! Shared so that the example's figures describe exactly the bench's
//! keystrokes.

use std::path::{Path, PathBuf};

/// Every `.txt` file under `folder` (and its subfolders), in path order.
pub fn read_articles(folder: &Path, articles: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_articles(&path, articles);
        } else if path.extension().is_some_and(|extension| extension == "txt")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            articles.push(text);
        }
    }
}

/// The articles of `folder`, in file-name order, joined into one plain-text
/// draft of at least `words` words (headline, blank line, body, as the corpus
/// writes them, with a blank line between articles), and how many articles
/// it took. None when the folder holds too few words.
pub fn real_copy(folder: &Path, words: usize) -> Option<(String, usize)> {
    let mut articles = Vec::new();
    read_articles(folder, &mut articles);
    let mut text = String::new();
    let mut count = 0;
    for (joined, article) in articles.iter().enumerate() {
        if count >= words {
            return Some((text, joined));
        }
        text.push_str(article.trim_end());
        text.push_str("\n\n");
        count += article.split_whitespace().count();
    }
    (count >= words).then_some((text, articles.len()))
}

/// Body paragraphs of about `characters` characters in all from the
/// articles of `folder` after the first `skip_articles` (those `real_copy`
/// put in the draft).
pub fn paragraphs_to_retype(folder: &Path, skip_articles: usize, characters: usize) -> Vec<String> {
    let mut articles = Vec::new();
    read_articles(folder, &mut articles);
    let mut paragraphs = Vec::new();
    let mut count = 0;
    for article in articles.iter().skip(skip_articles) {
        for paragraph in article.lines().skip(2).filter(|line| line.len() > 80) {
            if count >= characters {
                return paragraphs;
            }
            count += paragraph.chars().count();
            paragraphs.push(paragraph.to_owned());
        }
    }
    paragraphs
}
