//! JSON Lines and JSON arrays of reports on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let _ = dossier_ingest::jsonl::parse_line(line, "fuzz", i as u64 + 1);
    }
    let _ = dossier_ingest::jsonl::parse_array(data, "fuzz");
});
