//! Export speed on a store: `cargo run --release -p dossier-export --example export_speed --
//! STORE [FORMAT...]`. Runs the cross-report pass once, then every format (or those named) to a
//! byte counter (or, with `EXPORT_DIR` set, to files there), and prints records, bytes, seconds
//! and records per second.

use std::io::Write;
use std::time::Instant;

use dossier_export::{Format, GraphKind, export_with};

struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: export_speed STORE [FORMAT...]")?;
    let store = dossier_store::open(&path)?;
    let mut formats: Vec<Format> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    if formats.is_empty() {
        formats = dossier_export::FORMATS
            .iter()
            .map(|f| f.parse())
            .collect::<Result<_, _>>()?;
        formats.push(Format::Gexf(GraphKind::Sources));
        formats.push(Format::Graphml(GraphKind::Sources));
    }
    let t = Instant::now();
    let rec = dossier_pipeline::link(&*store)?;
    println!(
        "link pass: {:.1} s ({} reports, {} events, {} stories)",
        t.elapsed().as_secs_f64(),
        rec.reports.len(),
        rec.events.len(),
        rec.stories.len()
    );
    for f in formats {
        let t = Instant::now();
        let (s, bytes) = match std::env::var_os("EXPORT_DIR") {
            Some(dir) => {
                let name = format!("{f:?}").to_lowercase().replace(['(', ')'], "-");
                let path = std::path::Path::new(&dir).join(format!("{name}.{}", f.extension()));
                let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
                let s = export_with(f, &*store, &rec, &mut out, &mut |_| {})?;
                out.flush()?;
                (s, std::fs::metadata(&path)?.len())
            }
            None => {
                let mut out = std::io::BufWriter::new(Counter(0));
                let s = export_with(f, &*store, &rec, &mut out, &mut |_| {})?;
                (s, out.into_inner().map_err(|e| e.into_error())?.0)
            }
        };
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{:<18} {:>8} records {:>11} bytes {:>7.2} s {:>10.0} records/s ({} reports read)",
            format!("{f:?}"),
            s.records,
            bytes,
            secs,
            s.records as f64 / secs.max(1e-9),
            s.reports
        );
    }
    Ok(())
}
