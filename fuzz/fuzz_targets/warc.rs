//! The WARC reader and HTTP response parser on arbitrary bytes after a version line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"WARC/1.0\r\n".to_vec();
    bytes.extend_from_slice(data);
    for item in dossier_ingest::warc::WarcReader::new(&bytes[..], 1 << 20).take(10_000) {
        if let dossier_ingest::warc::ArchiveItem::Record(r) = item {
            let _ = dossier_ingest::warc::parse_http_response(&r.block);
        }
    }
    for _ in dossier_ingest::warc::ArcReader::new(data, 1 << 20).take(10_000) {}
});
