//! Ingest: turns paths (files, folders, `-` for stdin) into raw reports, detecting each input's
//! format by its content. Every problem becomes a [`Rejection`] naming the input and the reason,
//! and reading goes on with the rest of the batch.

pub mod decode;
pub mod detect;
pub mod feed;
pub mod jsonl;
pub mod warc;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use dossier_core::{ContentHash, InputFormat, Origin, RawPayload, RawReport, Report, ReportId};

use crate::detect::Sniffed;
use crate::warc::{ArchiveItem, ArchiveRecord};

/// One record of a container: a raw report, or its 1-based number and why it was unusable.
pub type RecordResult = Result<RawReport, (u64, String)>;

/// Limits for reading.
#[derive(Debug, Clone)]
pub struct Options {
    /// The largest single document (a page, a text, a feed, one archive record or JSONL line)
    /// that is read; larger ones are rejected. Archives and JSONL files are streamed and may be
    /// any size.
    pub max_bytes: u64,
    /// Files a folder walk passes over: the store's own files when the store lives in the
    /// folder being ingested (`dossier.db`, its `-wal` and `-shm`). Compared after
    /// canonicalising; a path named on its own is still read.
    pub skip: Vec<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: 64 * 1024 * 1024,
            skip: Vec::new(),
        }
    }
}

/// An input (or one record of it) that could not be read as a report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejection {
    /// The input's name, with `#N` for record N of a container.
    pub input: String,
    pub reason: String,
}

/// What reading yields.
#[derive(Debug)]
pub enum Item {
    Raw(Box<RawReport>),
    Rejected(Rejection),
    /// A record that is fine but is not a report (a WARC request, an image, a redirect).
    Skipped,
}

fn reject(input: impl Into<String>, reason: impl Into<String>) -> Item {
    Item::Rejected(Rejection {
        input: input.into(),
        reason: reason.into(),
    })
}

/// Read every path in order; folders are walked recursively (sorted, hidden entries skipped).
pub fn read_paths(paths: &[PathBuf], opts: &Options, emit: &mut dyn FnMut(Item)) {
    for p in paths {
        if p.as_os_str() == "-" {
            read_stdin(opts, emit);
        } else {
            read_path(p, opts, emit);
        }
    }
}

/// Read standard input as one input named `-`.
pub fn read_stdin(opts: &Options, emit: &mut dyn FnMut(Item)) {
    let stdin = io::stdin();
    let reader = BufReader::with_capacity(64 * 1024, stdin.lock());
    read_stream("-", Box::new(reader), opts, emit);
}

/// Read one file or folder.
pub fn read_path(path: &Path, opts: &Options, emit: &mut dyn FnMut(Item)) {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return emit(reject(name, io_reason(&e))),
    };
    if meta.is_dir() {
        let entries = match std::fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => {
                return emit(reject(
                    name,
                    format!("cannot read folder: {}", io_reason(&e)),
                ));
            }
        };
        let mut children: Vec<PathBuf> = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => {
                    if e.file_name().to_string_lossy().starts_with('.') {
                        continue;
                    }
                    children.push(e.path());
                }
                Err(e) => emit(reject(
                    &name,
                    format!("cannot read folder entry: {}", io_reason(&e)),
                )),
            }
        }
        children.sort();
        // The folder is resolved once; its entries are compared by name under it.
        if !opts.skip.is_empty()
            && let Ok(dir) = std::fs::canonicalize(path)
        {
            children.retain(|c| {
                c.file_name()
                    .is_none_or(|n| !opts.skip.contains(&dir.join(n)))
            });
        }
        for c in children {
            // Do not follow symlinked folders: they can loop.
            if std::fs::symlink_metadata(&c).is_ok_and(|m| m.file_type().is_symlink()) && c.is_dir()
            {
                continue;
            }
            read_path(&c, opts, emit);
        }
        return;
    }
    if !meta.is_file() {
        return emit(reject(name, "not a regular file"));
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return emit(reject(name, io_reason(&e))),
    };
    read_stream(
        &name,
        Box::new(BufReader::with_capacity(64 * 1024, file)),
        opts,
        emit,
    );
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Read an input from a stream, sniffing its format.
pub fn read_stream(
    name: &str,
    mut reader: Box<dyn BufRead + '_>,
    opts: &Options,
    emit: &mut dyn FnMut(Item),
) {
    let head = match peek(&mut reader) {
        Ok(h) => h,
        Err(e) => return emit(reject(name, format!("read error: {e}"))),
    };
    let mut sniffed = detect::sniff(&head, name);
    if sniffed == Sniffed::Gzip {
        reader = Box::new(BufReader::with_capacity(
            64 * 1024,
            flate2::bufread::MultiGzDecoder::new(reader),
        ));
        let head = match peek(&mut reader) {
            Ok(h) => h,
            Err(e) => return emit(reject(name, format!("broken gzip: {e}"))),
        };
        sniffed = detect::sniff(&head, name);
        if sniffed == Sniffed::Gzip {
            return emit(reject(name, "gzip inside gzip is not supported"));
        }
    }
    match sniffed {
        Sniffed::Gzip => unreachable!("handled above"),
        Sniffed::Empty => emit(reject(name, "empty input")),
        Sniffed::Binary => emit(reject(
            name,
            "binary content: not HTML, text, a feed, JSON Lines or a WARC archive",
        )),
        Sniffed::OtherJson => emit(reject(
            name,
            "JSON that is neither a JSON Feed nor JSON Lines of reports",
        )),
        Sniffed::Format(InputFormat::Warc) => {
            read_archive(name, warc::WarcReader::new(reader, opts.max_bytes), emit)
        }
        Sniffed::Arc => read_archive(name, warc::ArcReader::new(reader, opts.max_bytes), emit),
        Sniffed::Format(InputFormat::Jsonl) => read_jsonl(name, reader, opts, emit),
        Sniffed::Format(format) => {
            let bytes = match read_limited(reader, opts.max_bytes) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    return emit(reject(
                        name,
                        format!(
                            "too large: more than {} bytes (raise --max-bytes to read it)",
                            opts.max_bytes
                        ),
                    ));
                }
                Err(e)
                    if e.kind() == io::ErrorKind::InvalidInput
                        || e.kind() == io::ErrorKind::InvalidData =>
                {
                    return emit(reject(name, format!("broken gzip: {e}")));
                }
                Err(e) => return emit(reject(name, format!("read error: {e}"))),
            };
            read_document(name, format, bytes, None, emit);
        }
    }
}

fn peek(reader: &mut Box<dyn BufRead + '_>) -> io::Result<Vec<u8>> {
    // fill_buf may return less than the buffer holds; that is enough to sniff.
    Ok(reader.fill_buf()?.to_vec())
}

/// Read everything, or `None` when there is more than `max` bytes.
fn read_limited(reader: impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    reader.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        Ok(None)
    } else {
        Ok(Some(buf))
    }
}

/// A whole document (page, text or feed) already in memory.
fn read_document(
    name: &str,
    format: InputFormat,
    bytes: Vec<u8>,
    declared: Option<&str>,
    emit: &mut dyn FnMut(Item),
) {
    match format {
        InputFormat::Rss | InputFormat::Atom | InputFormat::JsonFeed => {
            match feed::read_feed(&bytes, name, format) {
                Ok(items) => {
                    if items.is_empty() {
                        emit(reject(name, "feed has no items"));
                    }
                    for it in items {
                        match it {
                            Ok(r) => emit(Item::Raw(Box::new(r))),
                            Err((n, reason)) => emit(reject(format!("{name}#{n}"), reason)),
                        }
                    }
                }
                Err(reason) => emit(reject(name, reason)),
            }
        }
        InputFormat::Html | InputFormat::Text => {
            let d = decode::decode(&bytes, declared, format == InputFormat::Html);
            if d.replaced > 0 && d.replaced * 50 > d.text.chars().count().max(1) {
                return emit(reject(
                    name,
                    format!(
                        "undecodable text: {} invalid byte sequences for {}",
                        d.replaced, d.charset
                    ),
                ));
            }
            let payload = if format == InputFormat::Html {
                RawPayload::Html(d.text)
            } else {
                RawPayload::Text(d.text)
            };
            emit(Item::Raw(Box::new(RawReport {
                origin: Origin {
                    input: name.to_string(),
                    format,
                    record: None,
                },
                url: None,
                title: None,
                published: None,
                fetched: None,
                outlet: None,
                authors: Vec::new(),
                charset: Some(d.charset),
                payload,
                raw: bytes,
            })));
        }
        InputFormat::Json => match jsonl::parse_array(&bytes, name) {
            Ok(items) => {
                for it in items {
                    match it {
                        Ok(r) => emit(Item::Raw(Box::new(r))),
                        Err((n, reason)) => emit(reject(format!("{name}#{n}"), reason)),
                    }
                }
            }
            Err(reason) => emit(reject(name, reason)),
        },
        InputFormat::Warc | InputFormat::Jsonl => unreachable!("streamed formats"),
    }
}

fn read_jsonl(
    name: &str,
    mut reader: Box<dyn BufRead + '_>,
    opts: &Options,
    emit: &mut dyn FnMut(Item),
) {
    let mut number = 0u64;
    loop {
        let mut line = Vec::new();
        let n = match (&mut reader)
            .take(opts.max_bytes + 1)
            .read_until(b'\n', &mut line)
        {
            Ok(n) => n,
            Err(e) => {
                return emit(reject(
                    format!("{name}#{}", number + 1),
                    format!("read error: {e}"),
                ));
            }
        };
        if n == 0 {
            return;
        }
        number += 1;
        if line.len() as u64 > opts.max_bytes {
            emit(reject(format!("{name}#{number}"), "line too large"));
            // Skip the rest of the overlong line.
            let mut sink = Vec::new();
            if reader.read_until(b'\n', &mut sink).is_err() {
                return;
            }
            continue;
        }
        match jsonl::parse_line(&line, name, number) {
            Ok(Some(r)) => emit(Item::Raw(Box::new(r))),
            Ok(None) => {}
            Err(reason) => emit(reject(format!("{name}#{number}"), reason)),
        }
    }
}

fn read_archive(
    name: &str,
    records: impl Iterator<Item = ArchiveItem>,
    emit: &mut dyn FnMut(Item),
) {
    let mut any = false;
    for item in records {
        any = true;
        match item {
            ArchiveItem::Bad { number, reason } => emit(reject(format!("{name}#{number}"), reason)),
            ArchiveItem::Record(rec) => emit(archive_record(name, rec)),
        }
    }
    if !any {
        emit(reject(name, "archive has no records"));
    }
}

/// Turn one WARC/ARC record into a report when it is an HTML page.
fn archive_record(name: &str, rec: ArchiveRecord) -> Item {
    let kind = rec.header("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let input = format!("{name}#{}", rec.number);
    let url = rec
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(|c| c == '<' || c == '>').trim().to_string())
        .filter(|u| !u.is_empty());
    let fetched = rec.header("WARC-Date").and_then(jsonl::parse_date);
    let (content_type, body) = match kind.as_str() {
        "response" => {
            let is_http = rec
                .header("Content-Type")
                .is_none_or(|c| c.to_ascii_lowercase().contains("http"))
                || rec.block.starts_with(b"HTTP/");
            if !is_http {
                if let Some((got, len)) = rec.truncated {
                    return reject(
                        input,
                        format!("truncated record: block has {got} of {len} bytes"),
                    );
                }
                (rec.header("Content-Type").map(str::to_string), rec.block)
            } else {
                match warc::parse_http_response(&rec.block) {
                    Ok(resp) => {
                        if let Some((got, len)) = rec.truncated {
                            // The archive ends inside the record. Keep the page only when the
                            // HTTP message says its body is complete.
                            let complete = resp
                                .header("Content-Length")
                                .and_then(|l| l.trim().parse::<usize>().ok())
                                .is_some_and(|l| resp.body.len() >= l);
                            if !complete {
                                return reject(
                                    input,
                                    format!("truncated record: block has {got} of {len} bytes"),
                                );
                            }
                        }
                        if !(200..300).contains(&resp.status) {
                            return Item::Skipped;
                        }
                        (resp.header("Content-Type").map(str::to_string), resp.body)
                    }
                    Err(reason) => return reject(input, reason),
                }
            }
        }
        "resource" => {
            if let Some((got, len)) = rec.truncated {
                return reject(
                    input,
                    format!("truncated record: block has {got} of {len} bytes"),
                );
            }
            (rec.header("Content-Type").map(str::to_string), rec.block)
        }
        _ => return Item::Skipped,
    };
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    let sniffed = detect::sniff(&body[..body.len().min(8192)], url.as_deref().unwrap_or(""));
    let is_html = ct.contains("html")
        || (ct.is_empty() || ct.contains("octet-stream"))
            && sniffed == Sniffed::Format(InputFormat::Html);
    if !is_html {
        return Item::Skipped;
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return reject(input, "empty HTML payload");
    }
    let declared = ct.split(';').find_map(|p| {
        p.trim()
            .strip_prefix("charset=")
            .map(|c| c.trim_matches('"').to_string())
    });
    let d = decode::decode(&body, declared.as_deref(), true);
    Item::Raw(Box::new(RawReport {
        origin: Origin {
            input: name.to_string(),
            format: InputFormat::Warc,
            record: Some(rec.number),
        },
        url,
        title: None,
        published: None,
        fetched,
        outlet: None,
        authors: Vec::new(),
        charset: Some(d.charset),
        payload: RawPayload::Html(d.text),
        raw: body,
    }))
}

/// Extract a raw report and give it its identity. Returns the reason when nothing usable was
/// found in it.
pub fn build_report(raw: RawReport) -> Result<(Report, Vec<u8>), Rejection> {
    let document = dossier_extract::extract(&raw);
    if document.text.trim().is_empty() {
        return Err(Rejection {
            input: raw.origin.to_string(),
            reason: "no text found".to_string(),
        });
    }
    let canonical = document
        .metadata
        .canonical_url
        .as_ref()
        .map(|c| c.value.as_str())
        .filter(|c| dossier_core::id::canonical_url(c).is_some())
        .or(raw
            .url
            .as_deref()
            .filter(|u| dossier_core::id::canonical_url(u).is_some()));
    let id = match canonical {
        Some(u) => ReportId::from_url(u),
        None => ReportId::from_text(&document.text),
    };
    let content_hash = ContentHash::of(document.title(), &document.body_text_or_all());
    Ok((
        Report {
            id,
            url: raw.url.clone().or_else(|| canonical.map(str::to_string)),
            content_hash,
            origin: raw.origin,
            fetched: raw.fetched,
            charset: raw.charset,
            document,
        },
        raw.raw,
    ))
}

trait BodyOrAll {
    fn body_text_or_all(&self) -> String;
}

impl BodyOrAll for dossier_core::Document {
    fn body_text_or_all(&self) -> String {
        let b = self.body_text();
        if b.trim().is_empty() {
            self.text.clone()
        } else {
            b
        }
    }
}
