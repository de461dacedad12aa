//! Event location rules on sentences we wrote: each case names the trigger and the place
//! name(s) expected; plus a bad-input property for `locate`.

use dossier_events::{Span, locate};
use proptest::prelude::*;

fn places(sentence: &str, trigger: &str) -> Vec<String> {
    let start = sentence.find(trigger).expect("trigger in sentence");
    locate(
        sentence,
        Span {
            start,
            end: start + trigger.len(),
        },
    )
    .into_iter()
    .map(|s| sentence[s.start..s.end].to_string())
    .collect()
}

#[test]
fn location_cases() {
    let cases: &[(&str, &str, &[&str])] = &[
        // particles and abbreviations inside names
        (
            "Police detained two men in Rio de Janeiro on Monday.",
            "detained",
            &["Rio de Janeiro"],
        ),
        (
            "Militants shelled Deir ez-Zor overnight.",
            "shelled",
            &["Deir ez-Zor"],
        ),
        (
            "The suspect was arrested in St. Paul last week.",
            "arrested",
            &["St. Paul"],
        ),
        // lists: every member, separately
        (
            "Thousands protested in Lyon and Marseille.",
            "protested",
            &["Lyon", "Marseille"],
        ),
        (
            "Rebels captured the villages of Kafr Nabl, Hass and Maarrat on Sunday.",
            "captured",
            &["Kafr Nabl", "Hass", "Maarrat"],
        ),
        // demonyms used as modifiers are not places; place names used as modifiers are
        ("A bomb exploded near the Thai border.", "exploded", &[]),
        (
            "A guard was shot in a Jerusalem hotel.",
            "shot",
            &["Jerusalem"],
        ),
        // a name that starts with a lower-case article
        (
            "A shopkeeper was killed by a rocket in al-Mansour district in western Tikrit.",
            "killed",
            &["al-Mansour"],
        ),
        // "the <demonym> capital Y", "X's regional capital Y", "X's southern district of Y"
        (
            "Thousands marched in the Georgian capital Tbilisi on Sunday.",
            "marched",
            &["Tbilisi"],
        ),
        (
            "A bomb exploded in Chechnya's regional capital Grozny.",
            "exploded",
            &["Grozny"],
        ),
        (
            "Gunmen attacked a checkpoint in Mosul's eastern district of Zahra.",
            "attacked",
            &["Zahra"],
        ),
        // a place followed by its reference point or container: the first, specific one
        (
            "Two soldiers were shot in Hawija, south of Kirkuk, on Friday.",
            "shot",
            &["Hawija"],
        ),
        (
            "A convoy was ambushed near Qayyara, 60 km south of Mosul.",
            "ambushed",
            &["Qayyara"],
        ),
        // the place attacked or marched on, a named site reached with "on"
        (
            "Warplanes kept up their attacks on Aleppo for a third day.",
            "attacks",
            &["Aleppo"],
        ),
        (
            "A roadside bomb detonated on Haifa Street during the morning rush.",
            "detonated",
            &["Haifa Street"],
        ),
        (
            "Protesters gathered on a central square of Minsk on Sunday.",
            "gathered",
            &["Minsk"],
        ),
        // "X, Y" with the list ending there: Y contains X
        (
            "A journalist was shot in Odesa, Ukraine, in 2019.",
            "shot",
            &["Odesa"],
        ),
        // a second locative phrase joined by "and"
        (
            "Hundreds demonstrated in Leipzig and in the nearby town of Halle.",
            "demonstrated",
            &["Leipzig", "Halle"],
        ),
        // the more specific place
        (
            "Troops patrolled in northern Iraq's Nineveh province.",
            "patrolled",
            &["Nineveh"],
        ),
        (
            "A man was killed in the Homs neighbourhood of Baba Amr.",
            "killed",
            &["Baba Amr"],
        ),
        (
            "Protesters gathered outside the Embassy in Madrid.",
            "gathered",
            &["Madrid"],
        ),
        // a person captured, then where: the locative phrase; a container right after a
        // captured place stays the place's
        (
            "Soldiers captured Ramirez on Friday in Huancayo.",
            "captured",
            &["Huancayo"],
        ),
        (
            "Rebels captured Goma in eastern Congo.",
            "captured",
            &["Goma"],
        ),
        // a place noun with its name in apposition after a comma or colon
        (
            "A policeman was shot dead outside the regional capital, Nalchik, on Monday.",
            "shot",
            &["Nalchik"],
        ),
        (
            "Gunmen raided three villages: Kuru, Bokkos and Riyom.",
            "raided",
            &["Kuru", "Bokkos", "Riyom"],
        ),
        // sites and relative positions named with "of"
        (
            "Troops shelled positions 20 km northeast of Kupiansk.",
            "shelled",
            &["Kupiansk"],
        ),
        // a share of a territory
        (
            "By March the rebels had captured more than half of Kivu.",
            "captured",
            &["Kivu"],
        ),
        // a place naming a war is a modifier, not where the event happened
        (
            "The army seized the ridge during the 1982 Lebanon war.",
            "seized",
            &[],
        ),
        (
            "Troops were deployed in Tartus after the Georgia conflict.",
            "deployed",
            &["Tartus"],
        ),
        // a place far after the trigger, past a comma, belongs to another clause; the place
        // before the trigger is kept
        (
            "In Mosul three soldiers were killed on Monday, days after the ministry announced new measures for the border crossings and checkpoints near Zakho.",
            "killed",
            &["Mosul"],
        ),
        (
            "Three soldiers were killed on Monday, hours after they arrived in Zakho.",
            "killed",
            &["Zakho"],
        ),
        // a river bank is a place, not a bank
        (
            "Soldiers shot two men in the northern West Bank on Friday.",
            "shot",
            &["West Bank"],
        ),
        // a place alias of the country table used as a modifier is still a place; a demonym
        // is not
        (
            "Gunmen shot a shopkeeper in a West Bank refugee camp on Saturday.",
            "shot",
            &["West Bank"],
        ),
        (
            "Gunmen shot a shopkeeper in a Syrian refugee camp.",
            "shot",
            &[],
        ),
        // hyphenated participles are modifiers: the place is named after them
        (
            "Jets bombed the rebel-held town of Kafr Zita on Monday.",
            "bombed",
            &["Kafr Zita"],
        ),
        (
            "Helicopters patrolled the Serb-held area of Vogosca.",
            "patrolled",
            &["Vogosca"],
        ),
        ("Two men were killed in the Hamas-led raid.", "killed", &[]),
        // a month abbreviation is a date, not the captured place
        (
            "The fugitive was captured Jan. 15 in Tegucigalpa.",
            "captured",
            &["Tegucigalpa"],
        ),
        // an article before a name and its admin noun is not part of the name
        (
            "The Sonora state government announced the reward on Saturday.",
            "announced",
            &["Sonora"],
        ),
        ("The house was destroyed by the blast.", "destroyed", &[]),
        // a site of a place ("X's Church of ...") names the place
        (
            "A monk was shot at Nazareth's Church of the Annunciation.",
            "shot",
            &["Nazareth"],
        ),
        // an armed group whose name holds a country is not a place
        (
            "Ten fighters were killed in clashes with the Islamic State of Iraq and the Levant.",
            "killed",
            &[],
        ),
        (
            "Jets launched an attack on Islamic State outposts near Raqqa.",
            "launched",
            &["Raqqa"],
        ),
        (
            "Guards patrolled outside the White House on Monday.",
            "patrolled",
            &["White House"],
        ),
        // a named actor as the object of an attack verb is the target, not the place
        (
            "Government forces attacked the Taliban in Helmand.",
            "attacked",
            &["Helmand"],
        ),
    ];
    let mut failures = Vec::new();
    for (s, t, want) in cases {
        let got = places(s, t);
        let want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        if got != want {
            failures.push(format!("{s:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn locate_random_text(s in "\\PC{0,300}", a in 0usize..400, len in 0usize..20) {
        let a = (0..=a.min(s.len())).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(0);
        let e = (a..=(a + len).min(s.len())).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(a);
        for sp in locate(&s, Span { start: a, end: e }) {
            prop_assert!(s.get(sp.start..sp.end).is_some());
        }
    }

    #[test]
    fn locate_place_words(words in proptest::collection::vec(prop_oneof![
        Just("in"), Just("Rio"), Just("de"), Just("and"), Just(","), Just("St"), Just("."),
        Just("the"), Just("'s"), Just("of"), Just("province"), Just("Syrian"), Just("border"),
        Just("killed"), Just("ez-Zor"), Just("😀"), Just("\u{0}")], 0..120)) {
        let s = words.join(" ");
        let t = s.find("killed").unwrap_or(0);
        for sp in locate(&s, Span { start: t, end: (t + 6).min(s.len()) }) {
            prop_assert!(s.get(sp.start..sp.end).is_some() && sp.start < sp.end);
        }
    }
}

#[test]
fn locate_long_sentence_is_linear() {
    let unit = "Troops in Rio de Janeiro , Lyon and Marseille killed men near the Thai border of ";
    let s = unit.repeat(2000);
    let t0 = std::time::Instant::now();
    let got = locate(&s, Span { start: 0, end: 6 });
    let secs = t0.elapsed().as_secs_f64();
    assert!(secs < 2.0, "locate took {secs}s on {} bytes", s.len());
    assert!(got.len() <= 12);
}
