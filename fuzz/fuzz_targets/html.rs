//! HTML extraction on arbitrary bytes (decoded as ingest would).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let d = dossier_ingest::decode::decode(data, None, true);
    let doc = dossier_extract::extract_html(&d.text, &Default::default());
    for b in &doc.blocks {
        assert!(doc.text.get(b.span.start..b.span.end).is_some());
    }
});
