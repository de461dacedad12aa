#!/usr/bin/env python3
"""Derive the compact place and country lists of dossier-nlp from the shared GeoNames-derived
gazetteer (see README.md). Run from the repository root:

    python3 crates/dossier-nlp/data/derive_gazetteer.py ../shared/data/entities/gazetteer

Writes countries.tsv and places.tsv next to this script. Deterministic (sorted output).
"""
import csv, os, re, sys, unicodedata

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/entities/gazetteer"
here = os.path.dirname(os.path.abspath(__file__))
csv.field_size_limit(1 << 30)
LATIN = re.compile(r"^[A-Z][A-Za-z'’\.\-]*( (of|the|de|la|on|upon|al|el|da|do|du|del|di|am|an|bei|im|sur|en|y|[A-Z][A-Za-z'’\.\-]*))*$")

def rows(name):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        head = next(r)
        for row in r:
            yield dict(zip(head, row))

countries = []
for c in rows("countries.tsv"):
    aliases = set()
    for a in c["aliases"].split("|"):
        a = a.strip()
        if not a or a == c["name"] or not LATIN.match(a):
            continue
        if a.isupper() and "." not in a and a in (c["iso3"], c["iso2"]) and a != "USA":
            continue  # bare ISO codes read as words
        aliases.add(a)
    demonyms = sorted({d.strip() for d in c["demonym"].split(",") if d.strip()})
    countries.append((c["iso2"], c["name"], c["capital"], c["geonameid"], c["population"],
                      "|".join(demonyms), "|".join(sorted(aliases))))
countries.sort()
with open(os.path.join(here, "countries.tsv"), "w", encoding="utf-8") as f:
    f.write("# derived from GeoNames (CC BY 4.0) via the shared gazetteer; see README.md\n")
    f.write("iso2\tname\tcapital\tgeonameid\tpopulation\tdemonyms\taliases\n")
    for row in countries:
        f.write("\t".join(row) + "\n")

places = {}
def add(name, kind, cc, pop, gid):
    key = (name, kind, cc)
    if not name or not LATIN.match(name):
        return
    if key not in places or places[key][0] < pop:
        places[key] = (pop, gid)

for c in rows("geonames-cities5000.tsv"):
    pop = int(c["population"] or 0)
    if pop < 15000:
        continue
    add(c["name"], "city", c["country_code"], pop, c["geonameid"])
    folded = unicodedata.normalize("NFKD", c["name"]).encode("ascii", "ignore").decode()
    if folded != c["name"]:
        add(folded, "city", c["country_code"], pop, c["geonameid"])
    if pop >= 100000:
        # short forms: "Frankfurt" for "Frankfurt am Main"
        for a in c["alternatenames"].split("|"):
            if LATIN.match(a) and len(a) > 3 and c["name"].startswith(a + " "):
                add(a, "city", c["country_code"], pop, c["geonameid"])
    if pop >= 1000000:
        for a in c["alternatenames"].split("|"):
            if LATIN.match(a) and len(a) > 3 and not a.isupper():
                add(a, "city", c["country_code"], pop, c["geonameid"])

for a in rows("admin-areas.tsv"):
    if a["admin_level"] != "1":
        continue
    add(a["name"], "region", a["country_code"], 0, a["geonameid"])
    for al in a["aliases"].split("|"):
        if LATIN.match(al) and len(al) > 3 and not al.isupper():
            add(al, "region", a["country_code"], 0, a["geonameid"])

with open(os.path.join(here, "places.tsv"), "w", encoding="utf-8") as f:
    f.write("# derived from GeoNames (CC BY 4.0) via the shared gazetteer; see README.md\n")
    f.write("name\tkind\tcountry\tpopulation\tgeonameid\n")
    for (name, kind, cc), (pop, gid) in sorted(places.items()):
        f.write(f"{name}\t{kind}\t{cc}\t{pop}\t{gid}\n")
