//! The whole ingest entry point (sniffing, gzip, every reader, extraction) on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = dossier_ingest::Options {
        max_bytes: 1 << 20,
        ..Default::default()
    };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    dossier_ingest::read_stream("fuzz", reader, &opts, &mut |item| {
        if let dossier_ingest::Item::Raw(raw) = item {
            let _ = dossier_ingest::build_report(*raw);
        }
    });
});
