//! The shipped gazetteer: GeoNames-derived rows (data/gazetteer.tsv.gz, made by
//! scripts/derive-gazetteer.py) plus our own tables (data/features.tsv, data/extra-names.tsv),
//! parsed once into a compact index: one string arena of normalised name keys, sorted, binary
//! searched.

use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

use serde::Serialize;

static GAZETTEER_GZ: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");
static FEATURES: &str = include_str!("../data/features.tsv");
static EXTRA_NAMES: &str = include_str!("../data/extra-names.tsv");

/// What kind of place an entry is (GeoNames feature codes, plus the classes of our own table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    /// Continent (GeoNames CONT).
    Continent,
    /// Independent political entity (GeoNames PCLI).
    Country,
    /// First-order administrative division (GeoNames ADM1); coordinate = mean of its cities.
    Admin1,
    /// Second-order administrative division (GeoNames ADM2); coordinate = its same-named city
    /// or its admin-1 area's point; population unknown (0).
    Admin2,
    /// Capital of a country (GeoNames PPLC).
    Capital,
    /// Populated place (GeoNames PPL*), population >= 5,000.
    City,
    /// Populated place of 1,000-4,999 people (GeoNames cities1000): a fallback tier the geocoder
    /// consults only when no other entry carries the name; never spotted. Feature code PPL.
    Locality,
    /// A physical or cultural feature from our own table (river, sea, region, mountains).
    Feature,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Continent => "CONT",
            Kind::Country => "PCLI",
            Kind::Admin1 => "ADM1",
            Kind::Admin2 => "ADM2",
            Kind::Capital => "PPLC",
            Kind::City | Kind::Locality => "PPL",
            Kind::Feature => "FEATURE",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// GeoNames id (0 for entries of our own table).
    pub geonames_id: u64,
    /// Our own slug for entries of our own table (empty for GeoNames rows).
    pub slug: Box<str>,
    pub kind: Kind,
    /// Feature code of our own table (H.STM, H.SEA, L.RGN, ...), else the GeoNames code.
    pub feature: Box<str>,
    pub name: Box<str>,
    /// ISO 3166-1 alpha-2 (empty for continents and some regions).
    pub country: Box<str>,
    /// GeoNames admin-1 code within the country.
    pub admin1: Box<str>,
    pub lat: f32,
    pub lon: f32,
    /// Population (admin-1: sum of its cities; features: importance weight).
    pub population: u64,
    /// Index of the admin-1 entry containing this one (u32::MAX if none or unknown).
    pub admin1_entry: u32,
}

/// How a name key relates to the entry it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// The entry's own name (or its accent-free form).
    Primary,
    /// An alternate name (any language in Latin or Cyrillic script).
    Alternate,
    /// A demonym of a country or continent ("Russian").
    Demonym,
}

/// One name key of the index: a slice of the arena, the entry it names, and how.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef {
    start: u32,
    len: u32,
    pub entry: u32,
    pub kind: NameKind,
}

/// The loaded gazetteer.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    arena: String,
    keys: Vec<KeyRef>,
    country_idx: HashMap<Box<str>, u32>,
    admin1_idx: HashMap<(Box<str>, Box<str>), u32>,
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load_shipped);

/// The shipped gazetteer, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZ
}

/// Normalised lookup key: lowercase, hyphens/underscores as spaces, curly apostrophes straight,
/// full stops dropped, whitespace collapsed, a leading "the " removed.
pub fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        let c = match ch {
            '-' | '_' | '\u{2010}' | '\u{2011}' | '\u{2013}' => ' ',
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '.' => continue,
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    if let Some(rest) = out.strip_prefix("the ") {
        return rest.to_string();
    }
    out
}

fn parse_kind(code: &str) -> Kind {
    match code {
        "CONT" => Kind::Continent,
        "PCLI" => Kind::Country,
        "ADM1" => Kind::Admin1,
        "ADM2" => Kind::Admin2,
        "PPLC" => Kind::Capital,
        "PPL" => Kind::City,
        "PPLL" => Kind::Locality,
        _ => Kind::Feature,
    }
}

impl Gazetteer {
    fn load_shipped() -> Gazetteer {
        let mut text = String::new();
        // The file is compiled in; a failure here is a build defect, reported as an empty index.
        if flate2::read::GzDecoder::new(GAZETTEER_GZ)
            .read_to_string(&mut text)
            .is_err()
        {
            text.clear();
        }
        Gazetteer::from_tables(&text, FEATURES, EXTRA_NAMES)
    }

    /// Build from the three tables (formats as in the shipped files; malformed rows skipped).
    pub fn from_tables(gazetteer_tsv: &str, features_tsv: &str, extra_names_tsv: &str) -> Self {
        let mut entries = Vec::new();
        // Name keys go into one buffer ((start, len) slices), not one allocation per name: the
        // load stays small and leaves no freed fragments behind.
        let mut kbuf = String::new();
        let mut names: Vec<(u32, u32, u32, NameKind)> = Vec::new();
        let mut push = |names: &mut Vec<(u32, u32, u32, NameKind)>, key: &str, idx: u32, k| {
            if !key.is_empty() {
                let start = kbuf.len() as u32;
                kbuf.push_str(key);
                names.push((start, key.len() as u32, idx, k));
            }
        };
        let mut by_id: HashMap<u64, u32> = HashMap::new();
        for line in gazetteer_tsv.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 10 {
                continue;
            }
            let (Ok(id), Ok(lat), Ok(lon)) = (
                f[0].parse::<u64>(),
                f[5].parse::<f32>(),
                f[6].parse::<f32>(),
            ) else {
                continue;
            };
            let idx = entries.len() as u32;
            let kind = parse_kind(f[1]);
            entries.push(Entry {
                geonames_id: id,
                slug: "".into(),
                kind,
                feature: if kind == Kind::Locality {
                    "PPL".into()
                } else {
                    f[1].into()
                },
                name: f[2].into(),
                country: f[3].into(),
                admin1: f[4].into(),
                lat,
                lon,
                population: f[7].parse().unwrap_or(0),
                admin1_entry: u32::MAX,
            });
            by_id.insert(id, idx);
            push(&mut names, &norm_key(f[2]), idx, NameKind::Primary);
            for (i, n) in f[8].split('|').filter(|n| !n.is_empty()).enumerate() {
                // The derivation script puts the accent-free primary name first.
                let k = if i == 0 && n.is_ascii() && !f[2].is_ascii() {
                    NameKind::Primary
                } else {
                    NameKind::Alternate
                };
                push(&mut names, &norm_key(n), idx, k);
            }
            for d in f[9].split('|').filter(|n| !n.is_empty()) {
                push(&mut names, &norm_key(d), idx, NameKind::Demonym);
            }
        }
        for line in features_tsv.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 7 {
                continue;
            }
            let (Ok(lat), Ok(lon)) = (f[4].parse::<f32>(), f[5].parse::<f32>()) else {
                continue;
            };
            let idx = entries.len() as u32;
            entries.push(Entry {
                geonames_id: 0,
                slug: f[0].into(),
                kind: Kind::Feature,
                feature: f[1].into(),
                name: f[2].into(),
                country: f[3].into(),
                admin1: "".into(),
                lat,
                lon,
                population: f[6].parse().unwrap_or(0),
                admin1_entry: u32::MAX,
            });
            push(&mut names, &norm_key(f[2]), idx, NameKind::Primary);
            if let Some(alts) = f.get(7) {
                for n in alts.split('|').filter(|n| !n.is_empty()) {
                    push(&mut names, &norm_key(n), idx, NameKind::Alternate);
                }
            }
        }
        for line in extra_names_tsv.lines() {
            if line.starts_with('#') {
                continue;
            }
            if let Some((id, name)) = line.split_once('\t')
                && let Ok(id) = id.parse::<u64>()
                && let Some(&idx) = by_id.get(&id)
            {
                push(&mut names, &norm_key(name), idx, NameKind::Alternate);
            }
        }
        let key = |n: &(u32, u32, u32, NameKind)| &kbuf[n.0 as usize..(n.0 + n.1) as usize];
        names.sort_unstable_by(|a, b| {
            key(a)
                .cmp(key(b))
                .then(a.2.cmp(&b.2))
                .then(rank(a.3).cmp(&rank(b.3)))
        });
        // One key per (name, entry): the strongest kind wins (Primary < Alternate < Demonym);
        // sorted by kind within (name, entry), the first is kept.
        names.dedup_by(|b, a| key(a) == key(b) && a.2 == b.2);
        let mut arena = String::new();
        let mut keys = Vec::with_capacity(names.len());
        let mut last: Option<(u32, u32)> = None;
        for n in &names {
            let k = key(n);
            let (start, len) = match last {
                Some((s, l)) if &arena[s as usize..(s + l) as usize] == k => (s, l),
                _ => {
                    let s = arena.len() as u32;
                    arena.push_str(k);
                    (s, k.len() as u32)
                }
            };
            last = Some((start, len));
            keys.push(KeyRef {
                start,
                len,
                entry: n.2,
                kind: n.3,
            });
        }
        drop(names);
        drop(kbuf);
        arena.shrink_to_fit();
        let mut country_idx = HashMap::new();
        let mut admin1_idx = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            match e.kind {
                Kind::Country => {
                    country_idx.insert(e.country.clone(), i as u32);
                }
                Kind::Admin1 => {
                    admin1_idx.insert((e.country.clone(), e.admin1.clone()), i as u32);
                }
                _ => {}
            }
        }
        for e in entries.iter_mut() {
            if !e.admin1.is_empty()
                && e.kind != Kind::Admin1
                && let Some(&a) = admin1_idx.get(&(e.country.clone(), e.admin1.clone()))
            {
                e.admin1_entry = a;
            }
        }
        Gazetteer {
            entries,
            arena,
            keys,
            country_idx,
            admin1_idx,
        }
    }

    fn key_str(&self, k: &KeyRef) -> &str {
        &self.arena[k.start as usize..(k.start + k.len) as usize]
    }

    /// Entries named by an already normalised key (see [`norm_key`]), with how they are named.
    pub fn lookup_key(&self, key: &str) -> Vec<(u32, NameKind)> {
        let lo = self.keys.partition_point(|k| self.key_str(k) < key);
        self.keys[lo..]
            .iter()
            .take_while(|k| self.key_str(k) == key)
            .map(|k| (k.entry, k.kind))
            .collect()
    }

    /// Whether any key starts with `prefix`, and the entries whose key equals it.
    pub(crate) fn probe(&self, prefix: &str) -> (bool, &[KeyRef]) {
        let lo = self.keys.partition_point(|k| self.key_str(k) < prefix);
        let Some(first) = self.keys.get(lo) else {
            return (false, &[]);
        };
        if !self.key_str(first).starts_with(prefix) {
            return (false, &[]);
        }
        let hi = lo
            + self.keys[lo..]
                .iter()
                .take_while(|k| self.key_str(k) == prefix)
                .count();
        (true, &self.keys[lo..hi])
    }

    /// Entries named by a surface form.
    pub fn lookup(&self, name: &str) -> Vec<(u32, NameKind)> {
        self.lookup_key(&norm_key(name))
    }

    /// All distinct name keys with their entries (for building the spotter).
    pub fn keys(&self) -> impl Iterator<Item = (&str, u32, NameKind)> {
        self.keys.iter().map(|k| (self.key_str(k), k.entry, k.kind))
    }

    /// All keys with their index records, in key order.
    pub fn key_refs(&self) -> impl Iterator<Item = (&str, &KeyRef)> {
        self.keys.iter().map(|k| (self.key_str(k), k))
    }

    pub fn entry(&self, idx: u32) -> &Entry {
        &self.entries[idx as usize]
    }

    /// The country entry for an ISO alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<u32> {
        self.country_idx.get(iso2).copied()
    }

    /// The admin-1 entry for a country and GeoNames admin-1 code.
    pub fn admin1(&self, iso2: &str, code: &str) -> Option<u32> {
        self.admin1_idx.get(&(iso2.into(), code.into())).copied()
    }

    /// Number of name keys (index size).
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }
}

fn rank(k: NameKind) -> u8 {
    match k {
        NameKind::Primary => 0,
        NameKind::Alternate => 1,
        NameKind::Demonym => 2,
    }
}

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}
