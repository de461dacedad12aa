//! Behaviour that must hold whatever the weights: namesakes, containment, ambiguity, bad offsets.

use dossier_geo::{Context, Toponym, gazetteer, geocode, haversine_km, norm_key, spot};

fn span(text: &str, needle: &str) -> Toponym {
    let start = text.find(needle).expect("needle in text");
    Toponym {
        start,
        end: start + needle.len(),
    }
}

fn span_last(text: &str, needle: &str) -> Toponym {
    let start = text.rfind(needle).expect("needle in text");
    Toponym {
        start,
        end: start + needle.len(),
    }
}

#[test]
fn keys_fold_case_hyphens_stops_and_articles() {
    assert_eq!(norm_key("Rostov-on-Don"), "rostov on don");
    assert_eq!(norm_key("the  U.S."), "us");
    assert_eq!(norm_key("St. Petersburg"), "st petersburg");
    assert_eq!(norm_key("Côte d’Ivoire"), "côte d'ivoire");
}

#[test]
fn distances() {
    let d = haversine_km(55.7558, 37.6173, 47.2357, 39.7015);
    assert!(
        (d - 960.0).abs() < 20.0,
        "Moscow to Rostov-on-Don is about 960 km, got {d}"
    );
    assert_eq!(haversine_km(10.0, 10.0, 10.0, 10.0), 0.0);
}

#[test]
fn gazetteer_has_features_of_our_own_and_cyrillic_names() {
    let g = gazetteer();
    let oka = g.lookup("Oka River");
    assert!(oka.iter().any(|(i, _)| &*g.entry(*i).slug == "oka-river"));
    let rostov = g.lookup("Ростов-на-Дону");
    assert!(
        rostov
            .iter()
            .any(|(i, _)| g.entry(*i).geonames_id == 501175)
    );
}

#[test]
fn country_context_picks_the_namesake() {
    let us = "Officials in Texas said the outbreak reached Paris, where the county hospital is.";
    let p = geocode(
        us,
        &[span(us, "Texas"), span(us, "Paris")],
        &Context::default(),
    );
    let paris = p
        .iter()
        .find(|p| p.text == "Paris")
        .expect("Paris resolved");
    assert_eq!(paris.country, "US", "{paris:?}");

    let fr = "Officials in France said the outbreak reached Paris.";
    let p = geocode(
        fr,
        &[span(fr, "France"), span(fr, "Paris")],
        &Context::default(),
    );
    let paris = p
        .iter()
        .find(|p| p.text == "Paris")
        .expect("Paris resolved");
    assert_eq!(paris.country, "FR");
}

#[test]
fn containment_after_a_comma() {
    let t = "The farm is in Moscow, Idaho.";
    let p = geocode(
        t,
        &[span(t, "Moscow"), span(t, "Idaho")],
        &Context::default(),
    );
    assert_eq!(p[0].country, "US", "{:?}", p[0]);
    assert!(p[0].evidence.iter().any(|e| e.contains("contains")));
}

#[test]
fn caller_context_counts() {
    let t = "The meeting was in Moscow.";
    let ctx = Context {
        countries: vec!["US".into()],
    };
    let with = geocode(t, &[span(t, "Moscow")], &ctx);
    let without = geocode(t, &[span(t, "Moscow")], &Context::default());
    assert_eq!(without[0].country, "RU");
    assert!(with[0].confidence < without[0].confidence || with[0].country == "US");
}

#[test]
fn ambiguity_stays_visible_without_context_and_goes_with_it() {
    let alone = "Reports came from Rostov.";
    let p = geocode(alone, &[span(alone, "Rostov")], &Context::default());
    assert!(p[0].ambiguous, "{:?}", p[0]);
    assert!(!p[0].alternatives.is_empty());

    let t = "Fighters entered Rostov-on-Don at dawn. By noon they held the headquarters in Rostov.";
    let p = geocode(
        t,
        &[span(t, "Rostov-on-Don"), span_last(t, "Rostov")],
        &Context::default(),
    );
    assert_eq!(p[1].geonames_id, Some(501175), "{:?}", p[1]);
    assert!(!p[1].ambiguous);
}

#[test]
fn one_sense_per_name_per_report() {
    let t = "Paris is calm. Later in Paris, police said.";
    let first = span(t, "Paris");
    let p = geocode(t, &[first, span_last(t, "Paris")], &Context::default());
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].id, p[1].id);
}

#[test]
fn bad_offsets_are_skipped() {
    let t = "Kyiv and Київ";
    let bad = [
        Toponym { start: 5, end: 2 },
        Toponym { start: 0, end: 999 },
        Toponym { start: 10, end: 12 }, // inside a Cyrillic letter
    ];
    assert!(geocode(t, &bad, &Context::default()).is_empty());
    let ok = geocode(t, &[span(t, "Київ")], &Context::default());
    assert_eq!(ok[0].country, "UA");
}

#[test]
fn unknown_names_are_left_out() {
    let t = "Zzyzxqk is not a place.";
    assert!(geocode(t, &[span(t, "Zzyzxqk")], &Context::default()).is_empty());
}

#[test]
fn spotter_takes_names_and_leaves_common_words() {
    let t = "Reading the news, he said officials in Reading and Moscow agreed.";
    let found: Vec<&str> = spot(t).iter().map(|s| &t[s.start..s.end]).collect();
    assert_eq!(found, vec!["Reading", "Moscow"]);
    assert_eq!(spot(t)[0].start, t.rfind("Reading").unwrap());
}

#[test]
fn spotter_codes_need_capitals() {
    let t = "Let us go to the US and the U.S. again.";
    let found: Vec<&str> = spot(t).iter().map(|s| &t[s.start..s.end]).collect();
    assert_eq!(found, vec!["US", "U.S."]);
}

#[test]
fn spotter_leaves_organisations_given_names_and_diseases() {
    let t = "The New York Times reported that Paul Kemp, a lawyer, spoke about West Nile virus \
             and a loan of US$5 million in Paris.";
    let found: Vec<&str> = spot(t).iter().map(|s| &t[s.start..s.end]).collect();
    assert_eq!(found, vec!["Paris"]);
}

#[test]
fn admin_areas_named_together_are_read_as_areas() {
    // "Wyoming" alone would also fit a Michigan town; beside other states it is the state.
    let text = "Cases were confirmed in Michigan, Ohio and Wyoming this week.";
    let tops = [
        span(text, "Michigan"),
        span(text, "Ohio"),
        span(text, "Wyoming"),
    ];
    let places = geocode(text, &tops, &Context::default());
    let wy = places
        .iter()
        .find(|p| p.text == "Wyoming")
        .expect("Wyoming resolved");
    assert_eq!((wy.feature.as_str(), wy.country.as_str()), ("ADM1", "US"));
}

#[test]
fn bare_name_of_a_county_is_the_town() {
    let text = "The outbreak began in Tyler, Texas, last month.";
    let places = geocode(
        text,
        &[span(text, "Tyler"), span(text, "Texas")],
        &Context::default(),
    );
    let t = places.iter().find(|p| p.text == "Tyler").expect("Tyler");
    assert_eq!(t.feature, "PPL", "{t:?}");
}

#[test]
fn a_capital_is_the_largest_city_of_that_name_only() {
    let gaz = gazetteer();
    let capitals: Vec<_> = gaz
        .lookup("Washington")
        .into_iter()
        .map(|(i, _)| gaz.entry(i))
        .filter(|e| e.country.as_ref() == "US" && e.feature.as_ref() == "PPLC")
        .collect();
    assert_eq!(capitals.len(), 1, "one US capital named Washington");
    assert!(capitals[0].population > 500_000);
}

#[test]
fn evidence_after_a_sentence_initial_name_and_short_names_in_title_case() {
    let text =
        "Buffalo, New York is near the border. Three were treated in the city of Van, Turkey.";
    let found: Vec<&str> = spot(text).iter().map(|t| &text[t.start..t.end]).collect();
    assert!(found.contains(&"Buffalo"), "{found:?}");
    assert!(found.contains(&"Van"), "{found:?}");
    // A short code still needs capitals.
    let text = "He said it was a great van.";
    assert!(spot(text).is_empty());
}

#[test]
fn accented_forms_fall_back_to_accent_free_names() {
    let text = "Cases were reported in Zaïre.";
    let places = geocode(text, &[span(text, "Zaïre")], &Context::default());
    assert_eq!(places.len(), 1, "{places:?}");
}

#[test]
fn small_places_are_a_fallback_for_the_geocoder_only() {
    // Wimille (Pas-de-Calais, under 5,000 people) is only in the fallback tier.
    let text = "Tourists returned to Wimille after the storm.";
    let places = geocode(text, &[span(text, "Wimille")], &Context::default());
    let p = places.first().expect("resolved from the fallback tier");
    assert_eq!((p.country.as_str(), p.feature.as_str()), ("FR", "PPL"));
    assert!(p.confidence <= 0.5, "unsupported small place: {p:?}");
    // The spotter does not take names of the fallback tier.
    assert!(
        spot(text)
            .iter()
            .all(|t| &text[t.start..t.end] != "Wimille")
    );
    // A larger namesake wins over the tier: Paris is the French capital, not a village.
    let text = "Flights to Paris resumed.";
    let places = geocode(text, &[span(text, "Paris")], &Context::default());
    assert_eq!(places[0].feature, "PPLC");
}

#[test]
fn the_before_a_name_reads_a_feature() {
    // Pacific, Missouri is a town of the report's country; "the Pacific" is the ocean.
    let text = "United States officials said birds on the Pacific side of the United States \
                were at risk.";
    let tops = [
        span(text, "United States"),
        span(text, "Pacific"),
        span_last(text, "United States"),
    ];
    let places = geocode(text, &tops, &Context::default());
    let p = places
        .iter()
        .find(|p| p.text == "Pacific")
        .expect("Pacific");
    assert_eq!(p.feature, "H.OCN", "{p:?}");
}

#[test]
fn a_small_place_with_local_support_beats_a_larger_namesake_abroad() {
    // Innisfail, Alberta (7,000 people) and Innisfail, Queensland (fallback tier).
    let text =
        "Cyclone damage closed roads around Innisfail, and Queensland crews were sent north.";
    let places = geocode(
        text,
        &[span(text, "Innisfail"), span(text, "Queensland")],
        &Context::default(),
    );
    let p = places
        .iter()
        .find(|p| p.text == "Innisfail")
        .expect("Innisfail");
    assert_eq!(p.country, "AU", "its admin-1 area is named: {p:?}");
    // Without support from the report the larger namesake keeps the name.
    let text = "Cyclone damage closed roads around Innisfail.";
    let places = geocode(text, &[span(text, "Innisfail")], &Context::default());
    assert_eq!(places[0].country, "CA", "{:?}", places[0]);
}

#[test]
fn historic_country_names_and_regions_of_our_table() {
    // "Zaire" is the former name of the Democratic Republic of the Congo, not Angola's province.
    let text = "The outbreak began in Zaire in 1976.";
    let places = geocode(text, &[span(text, "Zaire")], &Context::default());
    assert_eq!(
        (places[0].country.as_str(), places[0].feature.as_str()),
        ("CD", "PCLI")
    );
    // The Soviet Union and lakes are in our own table.
    let text = "Vaccines came from the Soviet Union and fish from Lake Erie.";
    let tops = [span(text, "Soviet Union"), span(text, "Lake Erie")];
    let places = geocode(text, &tops, &Context::default());
    let features: Vec<&str> = places.iter().map(|p| p.feature.as_str()).collect();
    assert_eq!(features, ["L.RGN", "H.LK"]);
    // Darfur: a region of Sudan made of five states, none of which bears the bare name.
    let text = "Aid agencies reported cases in Darfur.";
    let places = geocode(text, &[span(text, "Darfur")], &Context::default());
    assert_eq!(
        (places[0].country.as_str(), places[0].feature.as_str()),
        ("SD", "L.RGN")
    );
}

#[test]
fn a_country_named_after_its_capital_city_stays_the_country() {
    // "Mexico City" then "Mexico": the short form is the country's own name.
    let text = "Schools closed in Mexico City on Monday. Mexico reported 20 new cases.";
    let tops = [span(text, "Mexico City"), span_last(text, "Mexico")];
    let places = geocode(text, &tops, &Context::default());
    let p = places.iter().find(|p| p.text == "Mexico").expect("Mexico");
    assert_eq!(p.feature, "PCLI", "{p:?}");
}

#[test]
fn a_comma_in_an_enumeration_separates_peers() {
    // "Niger, Nigeria": in a list of countries the comma is not "X, Y" containment.
    let text = "Cases were reported in Ghana, Guinea-Bissau, Niger, Nigeria and Togo.";
    let tops: Vec<Toponym> = ["Ghana", "Guinea-Bissau", "Niger", "Nigeria", "Togo"]
        .iter()
        .map(|n| span(text, n))
        .collect();
    let places = geocode(text, &tops, &Context::default());
    let p = places.iter().find(|p| p.text == "Niger").expect("Niger");
    assert_eq!(
        (p.country.as_str(), p.feature.as_str()),
        ("NE", "PCLI"),
        "{p:?}"
    );
    // A chain of three is still containment.
    let text = "The clinic in Austin, Texas, United States reopened.";
    let tops = [
        span(text, "Austin"),
        span(text, "Texas"),
        span(text, "United States"),
    ];
    let places = geocode(text, &tops, &Context::default());
    assert_eq!(places[0].country, "US", "{:?}", places[0]);
}

#[test]
fn a_misspelt_place_is_found_as_a_spelling_variant_where_the_report_supports_its_country() {
    let text =
        "Egypt reported cases in the Daqahliya governorate; Turkey reported one in Dogu Beyazit.";
    let tops = [
        span(text, "Egypt"),
        span(text, "Daqahliya"),
        span(text, "Turkey"),
        span(text, "Dogu Beyazit"),
    ];
    let places = geocode(text, &tops, &Context::default());
    assert_eq!(places.len(), 4, "{places:#?}");
    let daq = &places[1];
    assert_eq!((daq.country.as_str(), daq.feature.as_str()), ("EG", "ADM1"));
    let dogu = &places[3];
    assert_eq!(dogu.country, "TR");
    for p in [daq, dogu] {
        assert!(p.evidence.iter().any(|e| e.contains("spelling variant")));
        assert!(p.confidence <= 0.5, "{p:#?}");
    }
    // Nothing in the report supports the variant's country, or the name is too far from any
    // (two edits on a six-letter word), too short, or has no letters: nothing.
    let text = "It came from Mauritious, from Qwxzrt, from Ab and from 12345.";
    let tops = [
        span(text, "Mauritious"),
        span(text, "Qwxzrt"),
        span(text, "Ab"),
        span(text, "12345"),
    ];
    let places = geocode(text, &tops, &Context::default());
    assert!(
        places
            .iter()
            .all(|p| !p.evidence.iter().any(|e| e.contains("spelling variant"))),
        "{places:#?}"
    );
    // With the country named, the misspelt country itself is not supported by its own name.
    let text = "Mauritius is an island; Mauritious officials said.";
    let places = geocode(
        text,
        &[span(text, "Mauritius"), span(text, "Mauritious")],
        &Context::default(),
    );
    assert!(
        places
            .iter()
            .any(|p| p.text == "Mauritious" && p.country == "MU")
    );
}

#[test]
fn countries_are_represented_by_the_centre_of_their_main_landmass() {
    let text = "Flu cases rose in the United States and in Indonesia.";
    let places = geocode(
        text,
        &[span(text, "United States"), span(text, "Indonesia")],
        &Context::default(),
    );
    let us = &places[0];
    assert_eq!(us.country, "US");
    // The contiguous states' centre (north central Kansas), not the Factbook point (38N 97W).
    assert!(
        haversine_km(us.lat, us.lon, 39.83, -98.58) < 161.0,
        "{} {}",
        us.lat,
        us.lon
    );
    // An archipelago keeps its given centroid, which lies in the sea between the islands.
    let id = &places[1];
    assert_eq!(id.country, "ID");
    assert!(haversine_km(id.lat, id.lon, -5.0, 120.0) < 50.0);
}

#[test]
fn large_thinly_settled_areas_are_represented_near_their_geographic_centre() {
    // Their towns sit on one edge (Ontario's along the Great Lakes, Queensland's along the
    // coast); the area's point follows its surface. Geographic centres: Ontario about
    // 50 N 85 W (north of Lake Superior), Queensland about 22 S 144 E (inland).
    for (text, name, lat, lon) in [
        ("Cases rose in Ontario on Monday.", "Ontario", 50.0, -85.0),
        (
            "Cases rose in Queensland on Monday.",
            "Queensland",
            -22.0,
            144.0,
        ),
    ] {
        let p = geocode(text, &[span(text, name)], &Context::default());
        let p = p.first().expect("resolved");
        assert_eq!(p.feature, "ADM1", "{name}: {p:?}");
        let d = haversine_km(lat, lon, p.lat, p.lon);
        assert!(
            d < 200.0,
            "{name} represented {d:.0} km from its centre: {p:?}"
        );
    }
}

#[test]
fn a_capital_beats_a_small_namesake_in_the_states_when_its_country_is_named() {
    // A report mostly about the United States, naming New York, that also names Italy: "Rome"
    // is Italy's capital, not Rome, New York.
    let text = "Officials in New York and Washington met in Virginia. The United States and \
                Italy agreed on the plan; the vaccine will be made in Rome by an American firm.";
    let tops = [
        span(text, "New York"),
        span(text, "Washington"),
        span(text, "Virginia"),
        span(text, "United States"),
        span(text, "Italy"),
        span(text, "Rome"),
    ];
    let places = geocode(text, &tops, &Context::default());
    let rome = places.iter().find(|p| p.text == "Rome").expect("Rome");
    assert_eq!(rome.country, "IT", "{rome:?}");
    assert!(
        rome.evidence
            .iter()
            .any(|e| e.starts_with("capital of a country")),
        "{rome:?}"
    );
}
