//! A streaming WARC (1.0/1.1) and ARC (v1) reader that survives damaged archives: a malformed or
//! truncated record is reported with its number and the reader resynchronises on the next
//! record, so one bad record never loses the rest of the file.

use std::io::{self, BufRead, Read};

/// One archive record: its headers (names as written) and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveRecord {
    /// 1-based position in the archive.
    pub number: u64,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
    /// Set when the archive ended before the block did: `(got, declared)` bytes. Such a record
    /// is only usable when its payload proves complete on its own terms.
    pub truncated: Option<(u64, u64)>,
}

impl ArchiveRecord {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the reader yields: a record, or why record `number` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveItem {
    Record(ArchiveRecord),
    Bad { number: u64, reason: String },
}

const MAX_LINE: u64 = 64 * 1024;

/// Reads WARC records one after another from a (decompressed) byte stream.
pub struct WarcReader<R> {
    r: R,
    number: u64,
    done: bool,
    max_record: u64,
    /// A version line already read while resynchronising.
    pending_version: Option<String>,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(r: R, max_record: u64) -> Self {
        WarcReader {
            r,
            number: 0,
            done: false,
            max_record,
            pending_version: None,
        }
    }

    fn bad(&mut self, reason: impl Into<String>) -> Option<ArchiveItem> {
        Some(ArchiveItem::Bad {
            number: self.number,
            reason: reason.into(),
        })
    }

    fn fail_io(&mut self, e: io::Error) -> Option<ArchiveItem> {
        self.done = true;
        let reason = match e.kind() {
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                format!("broken compressed stream: {e}")
            }
            io::ErrorKind::UnexpectedEof => "unexpected end of file".to_string(),
            _ => format!("read error: {e}"),
        };
        self.bad(reason)
    }

    /// Skip forward to the next line that starts a record. Returns false at end of input.
    fn resync(&mut self) -> io::Result<bool> {
        loop {
            match read_line(&mut self.r)? {
                None => return Ok(false),
                Some(line) if line.starts_with("WARC/") => {
                    self.pending_version = Some(line);
                    return Ok(true);
                }
                Some(_) => {}
            }
        }
    }

    fn next_record(&mut self) -> io::Result<Option<ArchiveItem>> {
        let version = match self.pending_version.take() {
            Some(v) => v,
            None => loop {
                match read_line(&mut self.r)? {
                    None => return Ok(None),
                    Some(l) if l.trim().is_empty() => continue,
                    Some(l) => break l,
                }
            },
        };
        self.number += 1;
        if !version.starts_with("WARC/") {
            let shown: String = version.chars().take(40).collect();
            let item = self.bad(format!("expected a WARC version line, found {shown:?}"));
            if !self.resync()? {
                self.done = true;
            }
            return Ok(item);
        }
        let mut headers = Vec::new();
        loop {
            match read_line(&mut self.r)? {
                None => {
                    self.done = true;
                    return Ok(self.bad("truncated record: end of file inside the headers"));
                }
                Some(l) if l.trim().is_empty() => break,
                Some(l) => {
                    if let Some((k, v)) = l.split_once(':') {
                        headers.push((k.trim().to_string(), v.trim().to_string()));
                    } else if l.starts_with([' ', '\t']) {
                        // Folded continuation of the previous header.
                        if let Some((_, v)) = headers.last_mut() {
                            v.push(' ');
                            v.push_str(l.trim());
                        }
                    } else if l.starts_with("WARC/") {
                        self.pending_version = Some(l);
                        return Ok(self.bad("malformed record: headers end without a blank line"));
                    } else {
                        let shown: String = l.chars().take(40).collect();
                        let item = self.bad(format!("malformed header line {shown:?}"));
                        if !self.resync()? {
                            self.done = true;
                        }
                        return Ok(item);
                    }
                }
            }
        }
        let Some(len) = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse::<u64>().ok())
        else {
            let item = self.bad("malformed record: missing or invalid Content-Length");
            if !self.resync()? {
                self.done = true;
            }
            return Ok(item);
        };
        if len > self.max_record {
            let skipped = io::copy(&mut (&mut self.r).take(len), &mut io::sink())?;
            if skipped < len {
                self.done = true;
            }
            return Ok(self.bad(format!(
                "record too large: {len} bytes (limit {})",
                self.max_record
            )));
        }
        let mut block = Vec::with_capacity(len as usize);
        let got = (&mut self.r).take(len).read_to_end(&mut block)? as u64;
        let truncated = if got < len {
            self.done = true;
            Some((got, len))
        } else {
            None
        };
        Ok(Some(ArchiveItem::Record(ArchiveRecord {
            number: self.number,
            headers,
            block,
            truncated,
        })))
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = ArchiveItem;

    fn next(&mut self) -> Option<ArchiveItem> {
        if self.done {
            return None;
        }
        match self.next_record() {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                if self.number == 0 {
                    self.number = 1;
                }
                self.fail_io(e)
            }
        }
    }
}

/// Reads ARC v1 records (`URL IP DATE MIME LENGTH` header lines).
pub struct ArcReader<R> {
    r: R,
    number: u64,
    done: bool,
    max_record: u64,
}

impl<R: BufRead> ArcReader<R> {
    pub fn new(r: R, max_record: u64) -> Self {
        ArcReader {
            r,
            number: 0,
            done: false,
            max_record,
        }
    }

    fn next_record(&mut self) -> io::Result<Option<ArchiveItem>> {
        let line = loop {
            match read_line(&mut self.r)? {
                None => return Ok(None),
                Some(l) if l.trim().is_empty() => continue,
                Some(l) => break l,
            }
        };
        self.number += 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        // URL may contain spaces: the last four fields are fixed.
        if fields.len() < 5 {
            self.done = true;
            return Ok(Some(ArchiveItem::Bad {
                number: self.number,
                reason: format!("malformed ARC header line {:?}", truncate(&line, 60)),
            }));
        }
        let n = fields.len();
        let Ok(len) = fields[n - 1].parse::<u64>() else {
            self.done = true;
            return Ok(Some(ArchiveItem::Bad {
                number: self.number,
                reason: format!("malformed ARC header line {:?}", truncate(&line, 60)),
            }));
        };
        let url = fields[..n - 4].join(" ");
        let headers = vec![
            ("WARC-Target-URI".to_string(), url),
            ("ARC-IP".to_string(), fields[n - 4].to_string()),
            ("WARC-Date".to_string(), arc_date(fields[n - 3])),
            ("Content-Type".to_string(), fields[n - 2].to_string()),
            ("Content-Length".to_string(), len.to_string()),
        ];
        if len > self.max_record {
            io::copy(&mut (&mut self.r).take(len), &mut io::sink())?;
            return Ok(Some(ArchiveItem::Bad {
                number: self.number,
                reason: format!("record too large: {len} bytes"),
            }));
        }
        let mut block = Vec::with_capacity(len as usize);
        let got = (&mut self.r).take(len).read_to_end(&mut block)? as u64;
        let truncated = if got < len {
            self.done = true;
            Some((got, len))
        } else {
            None
        };
        let mut headers = headers;
        // The first record describes the file itself.
        if self.number == 1 {
            headers.push(("WARC-Type".to_string(), "warcinfo".to_string()));
        } else {
            headers.push(("WARC-Type".to_string(), "response".to_string()));
        }
        Ok(Some(ArchiveItem::Record(ArchiveRecord {
            number: self.number,
            headers,
            block,
            truncated,
        })))
    }
}

impl<R: BufRead> Iterator for ArcReader<R> {
    type Item = ArchiveItem;

    fn next(&mut self) -> Option<ArchiveItem> {
        if self.done {
            return None;
        }
        match self.next_record() {
            Ok(Some(i)) => Some(i),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(ArchiveItem::Bad {
                    number: self.number.max(1),
                    reason: format!("read error: {e}"),
                })
            }
        }
    }
}

/// `20140216050221` → `2014-02-16T05:02:21Z`.
fn arc_date(s: &str) -> String {
    if s.len() >= 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[8..10],
            &s[10..12],
            &s[12..14]
        )
    } else {
        s.to_string()
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Read one line (without its line ending), at most [`MAX_LINE`] bytes; lossy UTF-8.
fn read_line<R: BufRead>(r: &mut R) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = r.take(MAX_LINE).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// An HTTP response inside a WARC `response` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parse an HTTP/1.x response: status line, headers, body with chunked transfer coding and
/// gzip/deflate content coding undone. A body whose chunking is wrong is kept as sent.
pub fn parse_http_response(block: &[u8]) -> Result<HttpResponse, String> {
    let (head, body) = split_head(block).ok_or("http response without a header section")?;
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        return Err(format!(
            "not an http response: {:?}",
            truncate(status_line, 40)
        ));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("malformed http status line {:?}", truncate(status_line, 40)))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut resp = HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    };
    if resp
        .header("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        && let Some(b) = dechunk(&resp.body)
    {
        resp.body = b;
    }
    match resp
        .header("Content-Encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&resp.body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("broken gzip content encoding: {e}"))?;
            resp.body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            if flate2::read::ZlibDecoder::new(&resp.body[..])
                .read_to_end(&mut out)
                .is_err()
            {
                out.clear();
                flate2::read::DeflateDecoder::new(&resp.body[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("broken deflate content encoding: {e}"))?;
            }
            resp.body = out;
        }
        Some("identity") | Some("") | None => {}
        Some(other) => return Err(format!("unsupported content encoding {other:?}")),
    }
    Ok(resp)
}

fn split_head(block: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(p) = crate::decode::find(block, b"\r\n\r\n") {
        return Some((&block[..p], &block[p + 4..]));
    }
    crate::decode::find(block, b"\n\n").map(|p| (&block[..p], &block[p + 2..]))
}

/// Undo chunked transfer coding; `None` when the chunk sizes do not fit the data.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let nl = body.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&body[..nl]).ok()?.trim();
        let size_str = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_str, 16).ok()?;
        body = &body[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if body.len() < size {
            return None;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/\r\nContent-Length: {}\r\n\r\n{}\r\n\r\n",
            body.len(),
            body
        )
    }

    #[test]
    fn reads_records_in_order() {
        let data = format!("{}{}", record("HTTP/1.1 200 OK\r\n\r\none"), record("two"));
        let items: Vec<_> = WarcReader::new(data.as_bytes(), 1 << 20).collect();
        assert_eq!(items.len(), 2);
        let ArchiveItem::Record(r) = &items[1] else {
            panic!()
        };
        assert_eq!(r.number, 2);
        assert_eq!(r.block, b"two");
        assert_eq!(r.header("warc-target-uri"), Some("http://example.com/"));
    }

    #[test]
    fn truncated_record_is_reported() {
        let mut data = record("complete");
        data.push_str("WARC/1.0\r\nContent-Length: 100\r\n\r\nshort");
        let items: Vec<_> = WarcReader::new(data.as_bytes(), 1 << 20).collect();
        assert!(matches!(&items[0], ArchiveItem::Record(r) if r.truncated.is_none()));
        assert!(matches!(&items[1], ArchiveItem::Record(r) if r.truncated == Some((5, 100))));
    }

    #[test]
    fn resynchronises_after_garbage() {
        let data = format!("{}garbage line\r\nmore\r\n{}", record("a"), record("b"));
        let items: Vec<_> = WarcReader::new(data.as_bytes(), 1 << 20).collect();
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(matches!(items[1], ArchiveItem::Bad { .. }));
        assert!(matches!(&items[2], ArchiveItem::Record(r) if r.block == b"b"));
    }

    #[test]
    fn http_chunked_and_gzip() {
        let resp = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        assert_eq!(parse_http_response(resp).unwrap().body, b"hello world");
        let wrong = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nhello";
        assert_eq!(parse_http_response(wrong).unwrap().body, b"ff\r\nhello");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<p>zipped</p>").unwrap();
        let mut resp = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        resp.extend(gz.finish().unwrap());
        assert_eq!(parse_http_response(&resp).unwrap().body, b"<p>zipped</p>");
    }

    #[test]
    fn arc_records_with_spaces_in_url() {
        let body = "HTTP/1.0 200 OK\n\nhi";
        let data = format!(
            "filedesc://x.arc 0.0.0.0 20140216050221 text/plain 3\nabc\nhttp://example.com/a b 1.2.3.4 20140216050221 text/html {}\n{}\n",
            body.len(),
            body
        );
        let items: Vec<_> = ArcReader::new(data.as_bytes(), 1 << 20).collect();
        let ArchiveItem::Record(r) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(r.header("WARC-Target-URI"), Some("http://example.com/a b"));
        assert_eq!(r.header("WARC-Date"), Some("2014-02-16T05:02:21Z"));
    }

    proptest! {
        #[test]
        fn reader_never_panics_and_terminates(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut data = b"WARC/1.0\r\n".to_vec();
            data.extend(bytes);
            let n = WarcReader::new(&data[..], 1 << 16).take(1000).count();
            prop_assert!(n < 1000);
            let _ = parse_http_response(&data);
        }
    }
}
