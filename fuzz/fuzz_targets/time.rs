//! Time expressions: any text, with and without a publication date, never panics; every
//! expression's offsets lie on character boundaries of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for anchor in [
        dossier_time::Anchor::default(),
        dossier_time::Anchor::parse("2023-06-26").expect("a valid date"),
    ] {
        for t in dossier_time::find_times(&text, &anchor) {
            assert!(t.start <= t.end && t.end <= text.len());
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            let _ = dossier_time::interval(&t.value);
        }
    }
});
