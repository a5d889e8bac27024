//! Acceptance test: the seed wire story (`../shared/seed/`, outside the
//! repository) yields the people table of its `EXPECTED.md`.
//!
//! The seed text is read at test time and never copied here; the assertions
//! name people, titles and references only. When the folder is absent (a
//! checkout without `../shared`), the test prints why and passes.

mod shared;

use copydesk_analysis::{Analysis, Config, DocumentKind, Entity, EntityKind, MentionForm, analyze};

fn seed_text() -> Option<String> {
    shared::seed_article("the seed people test").map(|(_, text)| text)
}

fn person<'a>(analysis: &'a Analysis, name: &str) -> &'a Entity {
    analysis.entities.iter().find(|entity| entity.kind == EntityKind::Person && entity.name == name).unwrap_or_else(
        || {
            let people: Vec<&str> = analysis
                .entities
                .iter()
                .filter(|entity| entity.kind == EntityKind::Person)
                .map(|entity| entity.name.as_str())
                .collect();
            panic!("no person {name:?}; people found: {people:?}")
        },
    )
}

fn has_title(entity: &Entity, normalized: &str) -> bool {
    entity.titles.iter().any(|title| title.normalized == normalized)
}

fn partial_mentions(entity: &Entity) -> Vec<&str> {
    entity
        .mentions
        .iter()
        .filter(|mention| mention.form == MentionForm::Partial)
        .map(|mention| mention.text.as_str())
        .collect()
}

#[test]
fn seed_people_table() {
    let Some(text) = seed_text() else { return };
    let analysis = analyze(&text, DocumentKind::PlainText, &Config::default());

    let im = person(&analysis, "Im Chon Il");
    assert!(has_title(im, "dprk vice foreign minister"), "{:?}", im.titles);
    assert_eq!(partial_mentions(im), ["Im"]);
    assert!(im.family_name_first);
    assert_eq!(im.family_name.as_deref(), Some("Im"));

    let morgulov = person(&analysis, "Igor Morgulov");
    assert!(has_title(morgulov, "russian counterpart"), "{:?}", morgulov.titles);

    let kim_jong_un = person(&analysis, "Kim Jong Un");
    assert!(has_title(kim_jong_un, "dprk leader"), "{:?}", kim_jong_un.titles);
    assert!(kim_jong_un.mentions.iter().filter(|mention| mention.text == "Kim Jong Un").count() >= 3);

    let kim_yong_jae = person(&analysis, "Kim Yong Jae");
    assert!(has_title(kim_yong_jae, "dprk minister for external economic affairs"), "{:?}", kim_yong_jae.titles);
    assert_eq!(kim_yong_jae.mentions.iter().filter(|mention| mention.form == MentionForm::Full).count(), 2);

    let han = person(&analysis, "Han Man Hyok");
    assert!(has_title(han, "vice department director of the central committee of the wpk"), "{:?}", han.titles);
    assert_eq!(partial_mentions(han), ["Han"]);

    let kozlov = person(&analysis, "Alexander Kozlov");
    assert!(has_title(kozlov, "russian minister for the development of the far east"), "{:?}", kozlov.titles);

    let kim_il_sung = person(&analysis, "Kim Il Sung");
    assert!(has_title(kim_il_sung, "dprk founder"), "{:?}", kim_il_sung.titles);

    let biegun = person(&analysis, "Stephen Biegun");
    assert!(has_title(biegun, "u.s. envoy for the dprk"), "{:?}", biegun.titles);
    // In the seed a no-break space (U+00A0) stands between the title and the
    // name: it must separate words like any space.
    let full = biegun.mentions.iter().find(|mention| mention.text == "Stephen Biegun").expect("full mention");
    let before = text[..full.span.start].chars().next_back();
    assert!(before.is_some_and(char::is_whitespace), "{before:?} before Stephen Biegun");

    let trump = person(&analysis, "Trump");
    assert!(trump.titles.is_empty());

    let li = person(&analysis, "Li Keqiang");
    assert!(has_title(li, "chinese premier"), "{:?}", li.titles);

    let choe = person(&analysis, "Choe Son Hui");
    assert!(has_title(choe, "dprk vice foreign minister"), "{:?}", choe.titles);
    assert!(has_title(choe, "dprk vice minister of foreign affairs"), "{:?}", choe.titles);
    assert_eq!(partial_mentions(choe), ["Choe", "Choe"]);
    // The full name three times: first reference, and the photo caption (which
    // gives the title the other way) twice; the caption links to her, not to
    // a new entity.
    assert_eq!(choe.mentions.iter().filter(|mention| mention.text == "Choe Son Hui").count(), 3, "{:?}", choe.mentions);
    assert!(choe.mentions.iter().any(|mention| mention.form == MentionForm::Pronoun && mention.text == "She"));
    let other_choes: Vec<&str> = analysis
        .entities
        .iter()
        .filter(|entity| entity.id != choe.id && entity.name.contains("Choe"))
        .map(|entity| entity.name.as_str())
        .collect();
    assert!(other_choes.is_empty(), "{other_choes:?}");

    // Three people named Kim: a bare "Kim" is ambiguous, never silently assigned.
    let kims: Vec<&str> =
        vec![&kim_jong_un.id, &kim_yong_jae.id, &kim_il_sung.id].into_iter().map(String::as_str).collect();
    let bare_kims: Vec<_> = analysis.ambiguous_mentions.iter().filter(|mention| mention.text == "Kim").collect();
    assert_eq!(bare_kims.len(), 2, "{:?}", analysis.ambiguous_mentions);
    for mention in bare_kims {
        let candidates: Vec<&str> = mention.candidates.iter().map(String::as_str).collect();
        assert_eq!(candidates, kims);
    }
    for entity in [kim_jong_un, kim_yong_jae, kim_il_sung] {
        assert!(entity.mentions.iter().all(|mention| mention.text != "Kim"), "{} got a bare Kim", entity.name);
    }

    // Ids follow first mention; people appear in the order the table lists them.
    let order: Vec<usize> =
        [im, morgulov, kim_jong_un, kim_yong_jae, han, kozlov, kim_il_sung, biegun, trump, li, choe]
            .iter()
            .map(|entity| entity.id[1..].parse::<usize>().expect("numeric id"))
            .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{order:?}");
}

#[test]
fn seed_organisations_and_places() {
    let Some(text) = seed_text() else { return };
    let analysis = analyze(&text, DocumentKind::PlainText, &Config::default());
    let find = |name: &str, kind: EntityKind| {
        analysis.entities.iter().find(|entity| entity.name == name && entity.kind == kind).unwrap_or_else(|| {
            let all: Vec<String> =
                analysis.entities.iter().map(|entity| format!("{:?} {}", entity.kind, entity.name)).collect();
            panic!("no {kind:?} {name:?}; found {all:?}")
        })
    };
    let dprk = find("Democratic People's Republic of Korea", EntityKind::Place);
    assert!(dprk.mentions.iter().filter(|mention| mention.form == MentionForm::Acronym).count() > 5);
    let tass = find("Tass", EntityKind::Organization);
    assert!(tass.mentions.iter().any(|mention| mention.text == "TASS"));
    for organisation in ["Yonhap", "KCNA", "Russia's foreign ministry", "UN Security Council", "Reuters", "CGTN", "WPK"]
    {
        find(organisation, EntityKind::Organization);
    }
    for place in [
        "Russia",
        "Moscow",
        "Hanoi",
        "Pyongyang",
        "Korean Peninsula",
        "China",
        "Far East",
        "People's Palace of Culture",
        "Presidential Palace",
    ] {
        find(place, EntityKind::Place);
    }
    // Words of a title are not organisations of their own.
    assert!(analysis.entities.iter().all(|entity| !entity.name.ends_with("Director")), "{:?}", analysis.entities);
}
