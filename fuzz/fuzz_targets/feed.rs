//! Feed parsing on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_ingest::feed::read_feed(data, "fuzz", dossier_core::InputFormat::Rss);
});
