//! Development aid: geocode GeoVirus gold toponyms (and end to end) and write one TSV row per
//! gold toponym, for error analysis. Usage:
//! `cargo run --release -p dossier-geo --example geovirus_dump -- [GeoVirus.xml] > out.tsv`
//! (default path: ../shared/data/entities/geovirus/GeoVirus.xml relative to the repository).

use dossier_geo::{Context, Toponym, geocode, haversine_km, spot};

fn tag<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let a = s.find(&open)? + open.len();
    let b = s[a..].find(&close)? + a;
    Some(&s[a..b])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        format!(
            "{}/../../../shared/data/entities/geovirus/GeoVirus.xml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let t0 = std::time::Instant::now();
    let _ = spot("warm up");
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_string)
        });
    eprintln!(
        "gazetteer and spotter loaded in {:.2}s; {}",
        t0.elapsed().as_secs_f64(),
        rss.unwrap_or_default()
    );
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut nc = String::new();
    let mut rest = src.as_str();
    while let Some(i) = rest.find("<!--") {
        nc.push_str(&rest[..i]);
        rest = rest[i..].find("-->").map_or("", |j| &rest[i + j + 3..]);
    }
    nc.push_str(rest);
    println!(
        "art\tsurface\tglat\tglon\tpage\tname\tfeature\tcountry\tlat\tlon\terr\te2e_err\tambiguous\tevidence\talt\tadmin1"
    );
    let (mut n_sys, mut hit_sys) = (0usize, 0usize);
    for (ai, chunk) in nc.split("<article>").skip(1).enumerate() {
        let Some(t) = tag(chunk, "text") else {
            continue;
        };
        let text = unescape(t);
        let mut c2b: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        c2b.push(text.len());
        let mut gold = Vec::new();
        for loc in chunk.split("<location>").skip(1) {
            if !loc.contains("<start>") {
                continue;
            }
            let num = |n: &str| tag(loc, n).and_then(|v| v.trim().parse::<f64>().ok());
            let (Some(s), Some(e), Some(la), Some(lo)) =
                (num("start"), num("end"), num("lat"), num("lon"))
            else {
                continue;
            };
            let (s, e) = (s as usize, e as usize);
            if s == 0 || e > c2b.len() || s > e {
                continue;
            }
            let page = tag(loc, "page").unwrap_or("").trim().to_string();
            gold.push((c2b[s - 1], c2b[e - 1], la, lo, page));
        }
        let tops: Vec<Toponym> = gold
            .iter()
            .map(|g| Toponym {
                start: g.0,
                end: g.1,
            })
            .collect();
        let places = geocode(&text, &tops, &Context::default());
        let e2e_tops = spot(&text);
        let e2e = geocode(&text, &e2e_tops, &Context::default());
        n_sys += e2e_tops.len();
        hit_sys += e2e_tops
            .iter()
            .filter(|t| gold.iter().any(|g| g.0 < t.end && t.start < g.1))
            .count();
        for (s, e, la, lo, page) in &gold {
            let e2e_err = e2e
                .iter()
                .find(|p| *s < p.end && p.start < *e)
                .map_or(-1.0, |p| haversine_km(*la, *lo, p.lat, p.lon));
            let surface = &text[*s..*e];
            match places.iter().find(|p| p.start == *s && p.end == *e) {
                Some(p) => println!(
                    "{ai}\t{surface}\t{la}\t{lo}\t{page}\t{}\t{}\t{}\t{}\t{}\t{:.0}\t{e2e_err:.0}\t{}\t{}\t{}\t{}",
                    p.name,
                    p.feature,
                    p.country,
                    p.lat,
                    p.lon,
                    haversine_km(*la, *lo, p.lat, p.lon),
                    p.ambiguous,
                    p.evidence.join("; "),
                    p.alternatives
                        .iter()
                        .map(|a| format!(
                            "{} {} {} {:.2}",
                            a.name, a.feature, a.country, a.probability
                        ))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    p.admin1
                ),
                None => println!(
                    "{ai}\t{surface}\t{la}\t{lo}\t{page}\t\t\t\t\t\t-1\t{e2e_err:.0}\t\t\t\t"
                ),
            }
        }
    }
    eprintln!(
        "spotted {n_sys}, overlapping a gold toponym {hit_sys} (precision {:.1}%)",
        100.0 * hit_sys as f64 / n_sys.max(1) as f64
    );
}
