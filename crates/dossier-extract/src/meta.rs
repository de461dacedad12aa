//! Page metadata from JSON-LD, OpenGraph and other meta tags, `<time>`, `<link rel=canonical>`,
//! the URL and the visible text. Each value records the signal it came from.

use chrono::{DateTime, FixedOffset};
use dom_query::Document as Dom;
use dossier_core::{Metadata, Signal, Signalled};
use serde_json::Value;

use crate::dates::parse_date;

/// What JSON-LD says about the page's article, merged over every article-like object.
#[derive(Debug, Default)]
pub struct JsonLd {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<(String, bool)>,
    /// The author lists of later article objects, tried when the first names nobody.
    pub more_authors: Vec<Vec<(String, bool)>>,
    pub publisher: Option<String>,
    pub section: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub body: Option<String>,
    pub description: Option<String>,
    /// `datePublished` of a non-article object (a WebPage), used when no article has one.
    pub page_published: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "socialmediaposting",
];

fn types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_ascii_lowercase))
            .collect(),
        _ => Vec::new(),
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(o) => o.get("name").or_else(|| o.get("@value")).and_then(text_of),
        Value::Array(a) => a.iter().find_map(text_of),
        _ => None,
    }
}

/// Author names with whether each is an organisation; `{"@id": ...}` references are resolved
/// against the named objects of the page's JSON-LD.
fn names_of(v: &Value, by_id: &std::collections::HashMap<String, Value>) -> Vec<(String, bool)> {
    match v {
        Value::Array(a) => a.iter().take(20).flat_map(|x| names_of(x, by_id)).collect(),
        Value::Object(o) => {
            let target = match (o.get("name"), o.get("@id").and_then(Value::as_str)) {
                (None, Some(id)) => by_id.get(id).unwrap_or(v),
                _ => v,
            };
            let org = types(target)
                .iter()
                .any(|t| t.contains("organization") || t == "corporation");
            target
                .get("name")
                .and_then(text_of)
                .map(|n| (n, org))
                .into_iter()
                .collect()
        }
        Value::String(s) => vec![(s.trim().to_string(), false)],
        _ => Vec::new(),
    }
}

/// Read every `application/ld+json` script and merge the article-like objects in it.
pub fn json_ld(dom: &Dom) -> JsonLd {
    let mut out = JsonLd::default();
    let mut publisher_of_site = None;
    let values: Vec<Value> = dom
        .select("script[type='application/ld+json']")
        .nodes()
        .iter()
        .filter_map(|node| {
            serde_json::from_str::<Value>(node.text().trim().trim_end_matches(';')).ok()
        })
        .collect();
    // Named objects by @id, for references such as "author": {"@id": "#/schema/person/1"}.
    let mut by_id = std::collections::HashMap::new();
    {
        let mut stack: Vec<&Value> = values.iter().collect();
        let mut steps = 0;
        while let Some(v) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            match v {
                Value::Array(a) => stack.extend(a.iter()),
                Value::Object(o) => {
                    if let (Some(id), Some(_)) =
                        (o.get("@id").and_then(Value::as_str), o.get("name"))
                    {
                        by_id.entry(id.to_string()).or_insert_with(|| v.clone());
                    }
                    if let Some(g) = o.get("@graph") {
                        stack.push(g);
                    }
                }
                _ => {}
            }
        }
    }
    for v in values {
        // Walk arrays and @graph without recursion.
        let mut stack = vec![v];
        let mut steps = 0;
        while let Some(v) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            match v {
                Value::Array(a) => stack.extend(a),
                Value::Object(ref o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g.clone());
                    }
                    let t = types(&v);
                    if t.iter().any(|t| {
                        t == "website" || t == "organization" || t == "newsmediaorganization"
                    }) {
                        if publisher_of_site.is_none() {
                            publisher_of_site = o.get("name").and_then(text_of);
                        }
                        continue;
                    }
                    if !t.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                        if t.iter().any(|t| t.ends_with("page")) && out.page_published.is_none() {
                            out.page_published = o.get("datePublished").and_then(text_of);
                        }
                        continue;
                    }
                    let set = |slot: &mut Option<String>, key: &str| {
                        if slot.is_none() {
                            *slot = o.get(key).and_then(text_of);
                        }
                    };
                    set(&mut out.headline, "headline");
                    set(&mut out.published, "datePublished");
                    set(&mut out.published, "dateCreated");
                    set(&mut out.modified, "dateModified");
                    set(&mut out.section, "articleSection");
                    set(&mut out.language, "inLanguage");
                    set(&mut out.body, "articleBody");
                    set(&mut out.description, "description");
                    if out.url.is_none() {
                        out.url = o.get("url").and_then(text_of).or_else(|| {
                            o.get("mainEntityOfPage")
                                .and_then(|m| m.get("@id").and_then(text_of))
                        });
                    }
                    if out.publisher.is_none() {
                        out.publisher = o.get("publisher").and_then(text_of);
                    }
                    if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
                        let names = names_of(a, &by_id);
                        if out.authors.is_empty() {
                            out.authors = names;
                        } else if !names.is_empty() && out.more_authors.len() < 4 {
                            out.more_authors.push(names);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if out.publisher.is_none() {
        out.publisher = publisher_of_site;
    }
    out
}

/// The `content` of the first meta tag matching any of the selectors.
fn meta(dom: &Dom, selectors: &[&str]) -> Option<String> {
    for sel in selectors {
        let s = dom.select(sel);
        for n in s.nodes() {
            if let Some(c) = n.attr("content").or_else(|| n.attr("datetime")) {
                let c = c.trim().to_string();
                if !c.is_empty() {
                    return Some(c);
                }
            }
        }
    }
    None
}

const PUBLISHED_META: &[&str] = &[
    "meta[property='article:published_time']",
    "meta[name='article:published_time']",
    "meta[property='og:published_time']",
    "meta[itemprop='datePublished']",
    "meta[name='pubdate']",
    "meta[name='publishdate']",
    "meta[name='publish-date']",
    "meta[name='date']",
    "meta[name='DC.date.issued']",
    "meta[name='dc.date.issued']",
    "meta[name='DC.date']",
    "meta[name='dcterms.date']",
    "meta[name='sailthru.date']",
    "meta[name='parsely-pub-date']",
    "meta[name='cXenseParse:recs:publishtime']",
    "meta[property='rnews:datePublished']",
    "meta[name='citation_publication_date']",
    "meta[name='article.published']",
    "meta[name='original-publish-date']",
    "meta[name='OriginalPublicationDate']",
    "meta[name='published']",
    "meta[name='DC.Date']",
    "meta[name='dc.date']",
    "meta[itemprop='dateCreated']",
    "meta[name='date_published']",
    "meta[name='publication_date']",
    "meta[name='pub_date']",
];

const MODIFIED_META: &[&str] = &[
    "meta[property='article:modified_time']",
    "meta[name='article:modified_time']",
    "meta[property='og:updated_time']",
    "meta[itemprop='dateModified']",
    "meta[name='lastmod']",
    "meta[name='last-modified']",
    "meta[name='dcterms.modified']",
];

/// Meta tags naming the author, most common first; the first that is present counts (all of
/// its tags: scholarly pages give one `citation_author` per author).
const AUTHOR_META: &[&str] = &[
    "meta[name='author']",
    "meta[property='article:author']",
    "meta[name='article:author']",
    "meta[name='byl']",
    "meta[name='parsely-author']",
    "meta[name='sailthru.author']",
    "meta[name='cXenseParse:author']",
    "meta[property='cXenseParse:author']",
    "meta[name='citation_author']",
    "meta[name='dc.creator']",
    "meta[name='DC.creator']",
    "meta[name='DC.Creator']",
    "meta[name='dcterms.creator']",
    "meta[property='og:author']",
    "meta[name='creator']",
];

/// "Roy, Aniruddha" → "Aniruddha Roy"; anything else as it is.
fn surname_first(s: &str) -> String {
    match s.split_once(',') {
        Some((last, first))
            if !first.contains(',')
                && !first.trim().is_empty()
                && !last.trim().is_empty()
                && last.split_whitespace().count() <= 3
                && first.split_whitespace().count() <= 3 =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => s.to_string(),
    }
}

/// Everything the page says about itself. `url` is where it was found; `fetched` bounds dates.
pub fn metadata(
    dom: &Dom,
    ld: &JsonLd,
    url: Option<&str>,
    fetched: Option<DateTime<FixedOffset>>,
) -> Metadata {
    let mut m = Metadata::default();
    let latest =
        fetched.unwrap_or_else(|| chrono::Utc::now().fixed_offset()) + chrono::Duration::days(1);
    let plausible = |d: DateTime<FixedOffset>| {
        d <= latest
            && d.naive_utc().date() >= chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid")
    };

    // Outlet.
    let site = meta(
        dom,
        &[
            "meta[property='og:site_name']",
            "meta[name='application-name']",
            "meta[name='publisher']",
        ],
    )
    .map(|s| (s, Signal::OpenGraph))
    .or_else(|| ld.publisher.clone().map(|p| (p, Signal::JsonLd)));
    if let Some((name, _)) = &site {
        m.outlet.name = Some(dossier_core::text::collapse_whitespace(name));
    }

    // Canonical URL.
    let canonical = dom
        .select("link[rel='canonical']")
        .attr("href")
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .map(|h| (h, Signal::MetaTag))
        .or_else(|| meta(dom, &["meta[property='og:url']"]).map(|u| (u, Signal::OpenGraph)))
        .or_else(|| ld.url.clone().map(|u| (u, Signal::JsonLd)));
    if let Some((c, sig)) = canonical {
        let abs = absolutise(&c, url);
        if let Some(abs) = abs {
            m.canonical_url = Some(Signalled::new(abs, sig));
        }
    }
    let domain_src = m
        .canonical_url
        .as_ref()
        .map(|c| c.value.clone())
        .or(url.map(str::to_string));
    m.outlet.domain = domain_src.as_deref().and_then(domain_of);

    // Title: the page's own headline (an h1 that agrees with the declared titles) first, then
    // OpenGraph, JSON-LD and <title>, without the site name glued on.
    let html_title = dom.select("title").text().trim().to_string();
    let declared = meta(
        dom,
        &["meta[property='og:title']", "meta[name='twitter:title']"],
    )
    .map(|t| (t, Signal::OpenGraph))
    .or_else(|| ld.headline.clone().map(|h| (h, Signal::JsonLd)))
    .or_else(|| Some((html_title.clone(), Signal::HtmlTitle)).filter(|(h, _)| !h.is_empty()));
    // Headings that name the site (a blog's name linked to its home page, a logo) are not the
    // article's headline; their text names the site when no meta tag does.
    let (site_h1s, h1s): (Vec<_>, Vec<_>) = dom
        .select("h1")
        .nodes()
        .iter()
        .take(8)
        .map(|n| (is_site_heading(n, url), heading_text(n)))
        .filter(|(_, t)| t.chars().count() >= 4 && t.chars().count() <= 300)
        .partition(|(site, _)| *site);
    let h1s: Vec<String> = h1s.into_iter().map(|(_, t)| t).collect();
    let site_name = m
        .outlet
        .name
        .clone()
        .or_else(|| site_h1s.first().map(|(_, t)| t.clone()));
    let agrees = |h: &str| {
        let hw = words(h);
        if hw.is_empty() {
            return 0.0;
        }
        [
            declared.as_ref().map(|d| d.0.as_str()),
            Some(html_title.as_str()),
            ld.headline.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(|t| {
            let tw = words(t);
            hw.iter().filter(|w| tw.contains(w)).count() as f64 / hw.len() as f64
        })
        .fold(0.0, f64::max)
    };
    let best_h1 = h1s
        .iter()
        .map(|h| (agrees(h), h))
        .filter(|(a, _)| *a >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h.clone())
        .or_else(|| (h1s.len() == 1 && declared.is_none()).then(|| h1s[0].clone()));
    let declared =
        declared.map(|(t, sig)| (strip_site_suffix(&collapse(&t), site_name.as_deref()), sig));
    let title = match (best_h1, declared) {
        // A headline that is the declared title behind a label or a date ("Blog: ...",
        // "Dec 18 2025 ...") is the declared title.
        (Some(h), Some((d, sig))) if labelled_title(&h, &d) => Some((d, sig)),
        (Some(h), _) => Some((strip_named_site(&h, site_name.as_deref()), Signal::Heading)),
        (None, d) => d,
    };
    if let Some((t, sig)) = title {
        let t = strip_pipe_tail(&dossier_core::text::collapse_whitespace(&t));
        if !t.is_empty() {
            m.title = Some(Signalled::new(t, sig));
        }
    }

    // Dates: JSON-LD, meta, <time>, URL. Never in the future of the crawl; modified never
    // taken as published.
    let mut published = ld
        .published
        .as_deref()
        .and_then(parse_date)
        .filter(|d| plausible(*d))
        .map(|d| Signalled::new(d, Signal::JsonLd));
    if published.is_none() {
        published = meta(dom, PUBLISHED_META)
            .as_deref()
            .and_then(parse_date)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::MetaTag));
    }
    if published.is_none() {
        published = ld
            .page_published
            .as_deref()
            .and_then(parse_date)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::JsonLd));
    }
    if published.is_none() {
        published = time_element(dom)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::TimeElement));
    }
    if published.is_none() {
        published = url
            .or(m.canonical_url.as_ref().map(|c| c.value.as_str()))
            .and_then(crate::dates::date_in_url)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::Url));
    }
    if published.is_none() {
        published = date_element(dom)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::VisibleText));
    }
    if published.is_none() {
        published = date_near_headline(dom)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::VisibleText));
    }
    if published.is_none() {
        published = script_date(dom)
            .filter(|d| plausible(*d))
            .map(|d| Signalled::new(d, Signal::Heuristic));
    }
    // A timestamp one day off the date in the page's own URL crossed a day boundary when it
    // was written in another time zone (UTC at night): the URL keeps the publisher's day.
    if let Some(p) = &published
        && p.signal != Signal::Url
        && let Some(u) = url
            .or(m.canonical_url.as_ref().map(|c| c.value.as_str()))
            .and_then(crate::dates::date_in_url)
        && (p.value.date_naive() - u.date_naive()).num_days().abs() == 1
    {
        published = Some(Signalled::new(u, Signal::Url));
    }
    m.published = published;
    let modified = ld
        .modified
        .as_deref()
        .and_then(parse_date)
        .map(|d| Signalled::new(d, Signal::JsonLd))
        .or_else(|| {
            meta(dom, MODIFIED_META)
                .as_deref()
                .and_then(parse_date)
                .map(|d| Signalled::new(d, Signal::MetaTag))
        })
        .filter(|d| plausible(d.value));
    m.modified = match (&m.published, modified) {
        (Some(p), Some(md)) if md.value < p.value => None,
        (_, md) => md,
    };

    // Authors and credits.
    // Authors: JSON-LD people first (organisations become credits), then author meta tags,
    // then marked-up bylines.
    for (name, org) in std::iter::once(&ld.authors)
        .chain(&ld.more_authors)
        .find(|list| {
            // The first list that names a person other than the outlet.
            list.iter().any(|(n, org)| {
                !org && crate::authors::split_names(n).iter().any(|p| {
                    !m.outlet
                        .name
                        .as_deref()
                        .is_some_and(|o| o.eq_ignore_ascii_case(p))
                })
            })
        })
        .unwrap_or(&ld.authors)
    {
        if *org {
            let is_outlet = m
                .outlet
                .name
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(name));
            if !is_outlet && !m.credits.iter().any(|c| c.value.eq_ignore_ascii_case(name)) {
                m.credits.push(Signalled::new(
                    dossier_core::text::collapse_whitespace(name),
                    Signal::JsonLd,
                ));
            }
        } else {
            crate::authors::add_declared(&mut m, name, Signal::JsonLd);
        }
    }
    if m.authors.is_empty() {
        let mut found = Vec::new();
        for sel in AUTHOR_META {
            for n in dom.select(sel).nodes() {
                if let Some(c) = n.attr("content") {
                    let c = c.trim();
                    if !c.is_empty() && !c.contains("://") && !c.starts_with("www.") {
                        // Scholarly metadata writes one author per tag as "Last, First".
                        let c = if sel.contains("citation_author") {
                            surname_first(c)
                        } else {
                            c.to_string()
                        };
                        found.push(c);
                    }
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        // "Written by" in the Twitter card labels (WordPress SEO plugins).
        if found.is_empty()
            && meta(dom, &["meta[name='twitter:label1']"]).is_some_and(|l| {
                l.to_lowercase().contains("written by") || l.to_lowercase() == "author"
            })
            && let Some(a) = meta(dom, &["meta[name='twitter:data1']"])
        {
            found.push(a);
        }
        for a in found {
            crate::authors::add_declared(&mut m, &a, Signal::MetaTag);
        }
    }
    // A declared author that is only the outlet itself ("USA TODAY", "Cleveland Clinic") gives
    // way to a person named in the page's byline markup, when there is one.
    let outlet_keys: Vec<String> = [m.outlet.name.as_deref(), m.outlet.domain.as_deref()]
        .into_iter()
        .flatten()
        .map(|o| crate::authors::squash(o.split('.').next().unwrap_or(o)))
        .filter(|o| o.len() >= 3)
        .collect();
    let outlet_only = !m.authors.is_empty()
        && m.authors.iter().all(|a| {
            let k = crate::authors::squash(&a.value);
            outlet_keys
                .iter()
                .any(|o| k.starts_with(o.as_str()) || o.starts_with(&k))
        });
    let declared_outlet = if outlet_only {
        std::mem::take(&mut m.authors)
    } else {
        Vec::new()
    };
    if m.authors.is_empty() {
        // Marked-up bylines: schema.org microdata, rel=author links, author name elements. Only
        // the first byline counts (with its siblings): later ones belong to teasers.
        for sel in AUTHOR_SELECTORS.iter() {
            let all: Vec<_> = dom.select(sel).nodes().iter().take(24).copied().collect();
            // The innermost matches: a wrapper ("author-name-wrap") around name elements
            // ("author-name") gives way to them.
            let nodes: Vec<_> = all
                .iter()
                .filter(|n| !in_related(n))
                .filter(|n| {
                    !all.iter()
                        .any(|o| o.id != n.id && o.ancestors(Some(12)).iter().any(|a| a.id == n.id))
                })
                .copied()
                .collect();
            // The first match that names a person starts the byline ("Corti" then "Joakim
            // Edin": the company is not a person, the next entry is); later matches count when
            // they are its siblings or in sibling items of the same list.
            let mut group: Option<(dom_query::NodeId, Option<dom_query::NodeId>)> = None;
            for n in nodes.iter().take(8) {
                let parent = n.parent();
                let grand = parent.and_then(|p| p.parent()).map(|g| g.id);
                if let Some((gp, gg)) = &group {
                    let same_parent = parent.is_some_and(|p| p.id == *gp);
                    let same_list = gg.is_some() && grand == *gg;
                    if !same_parent && !same_list {
                        continue;
                    }
                }
                let t = spaced_text(n);
                let words = t.split_whitespace().count();
                if !(1..=8).contains(&words)
                    || GENERIC_AUTHOR_LABELS.contains(&t.to_lowercase().as_str())
                {
                    continue;
                }
                let before = m.authors.len();
                crate::authors::add_people(&mut m, &t, Signal::VisibleText);
                if group.is_none()
                    && m.authors.len() > before
                    && let Some(p) = parent
                {
                    group = Some((p.id, grand));
                }
            }
            if !m.authors.is_empty() {
                break;
            }
        }
    }

    if m.authors.is_empty()
        && let Some(b) = byline_near_headline(dom)
    {
        crate::authors::add_people(&mut m, &b, Signal::VisibleText);
    }
    if m.authors.is_empty() {
        m.authors = declared_outlet;
    }

    // Language, section, description.
    let lang = dom
        .select("html")
        .attr("lang")
        .map(|l| (l.to_string(), Signal::MetaTag))
        .or_else(|| {
            meta(
                dom,
                &[
                    "meta[property='og:locale']",
                    "meta[http-equiv='content-language']",
                ],
            )
            .map(|l| (l, Signal::OpenGraph))
        })
        .or_else(|| ld.language.clone().map(|l| (l, Signal::JsonLd)));
    if let Some((l, sig)) = lang {
        let code: String = l
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        if code.len() == 2 || code.len() == 3 {
            m.language = Some(Signalled::new(code, sig));
        }
    }
    m.section = meta(
        dom,
        &["meta[property='article:section']", "meta[name='section']"],
    )
    .map(|s| Signalled::new(s, Signal::MetaTag))
    .or_else(|| {
        ld.section
            .clone()
            .map(|s| Signalled::new(s, Signal::JsonLd))
    });
    m.description = meta(
        dom,
        &[
            "meta[property='og:description']",
            "meta[name='description']",
        ],
    )
    .map(|s| Signalled::new(dossier_core::text::collapse_whitespace(&s), Signal::MetaTag));
    m
}

/// Whether an element sits in a related-articles or recommendation list (its own class or an
/// ancestor's class or id says so): bylines there belong to other articles.
fn in_related(n: &dom_query::NodeRef) -> bool {
    let marked = |x: &dom_query::NodeRef| {
        // Page-wide classes on <body> ("segment--recommended") say nothing about one byline.
        if x.node_name()
            .is_some_and(|t| &*t == "body" || &*t == "html")
        {
            return false;
        }
        let attrs = format!(
            "{} {}",
            x.attr("class").as_deref().unwrap_or(""),
            x.attr("id").as_deref().unwrap_or("")
        )
        .to_lowercase();
        attrs.contains("related") || attrs.contains("recommend")
    };
    marked(n) || n.ancestors(Some(10)).iter().any(marked)
}

/// The text of an element with a space between its block children ("<div>Jane Doe</div>
/// <div>Writer</div>" is "Jane Doe Writer", not "Jane DoeWriter").
fn spaced_text(n: &dom_query::NodeRef) -> String {
    element_text(n, false)
}

/// An element's text, skipping scripts and styles, with a space between block elements; with
/// `split_case`, also where a part in its own element starts with a capital right after a
/// lower-case letter (a kicker styled as a block: "Nationale Demo" + "Der 9. Juli naht").
fn element_text(n: &dom_query::NodeRef, split_case: bool) -> String {
    let mut out = String::new();
    let mut boundary = false;
    // `None` marks the end of an element.
    let mut stack = vec![Some(*n)];
    let mut steps = 0;
    while let Some(x) = stack.pop() {
        steps += 1;
        if steps > 5_000 {
            break;
        }
        let Some(x) = x else {
            boundary = true;
            continue;
        };
        if x.is_text() {
            let t = x.text();
            if split_case
                && boundary
                && let (Some(a), Some(b)) = (out.chars().last(), t.chars().next())
                && a.is_lowercase()
                && b.is_uppercase()
            {
                out.push(' ');
            }
            boundary = false;
            out.push_str(&t);
        } else if x.is_element() {
            let tag = x
                .node_name()
                .map(|t| t.to_ascii_lowercase())
                .unwrap_or_default();
            if matches!(tag.as_str(), "script" | "style" | "noscript" | "template") {
                continue;
            }
            if crate::html::is_block(&tag) {
                out.push(' ');
            }
            boundary = true;
            stack.push(None);
            for c in x.children().into_iter().rev() {
                stack.push(Some(c));
            }
        }
    }
    dossier_core::text::collapse_whitespace(&out)
}

/// CSS selectors of elements that hold an author's name, most specific first
/// (`data/author_selectors.txt`).
static AUTHOR_SELECTORS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| data_lines(include_str!("../data/author_selectors.txt")));

/// Texts in author elements that are labels, not names (`data/author_labels.txt`).
static GENERIC_AUTHOR_LABELS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| data_lines(include_str!("../data/author_labels.txt")));

/// The non-empty, non-comment lines of a data file.
fn data_lines(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Texts of elements marked as dates by class or id ("post-date", "dateline", "published"),
/// parsed as written-out dates; the first that parses wins. Update lines are skipped, and a
/// line such as "December 3, 2025. Updated: December 7, 2025" gives the date before the label.
fn date_element(dom: &Dom) -> Option<DateTime<FixedOffset>> {
    let sel = "[class*='date'], [class*='Date'], [id*='date'], [class*='publish'], [class*='posted'], [class*='timestamp'], time, [data-pubdate]";
    for n in dom.select(sel).nodes().iter().take(60) {
        if let Some(d) = n.attr("data-pubdate").as_deref().and_then(parse_date) {
            return Some(d);
        }
        if update_context(n) {
            continue;
        }
        let t = dossier_core::text::collapse_whitespace(&n.text());
        if t.len() > 240 {
            continue;
        }
        if let Some(d) = crate::dates::text_date(before_update_label(&t)) {
            return Some(d);
        }
    }
    None
}

/// Words that label a date as a revision, not the publication.
const UPDATE_WORDS: &[&str] = &[
    "updated",
    "update:",
    "modified",
    "reviewed",
    "revised",
    "last update",
    "aktualisiert",
    "mis à jour",
    "actualizado",
    "actualisé",
];

fn has_update_word(t: &str) -> bool {
    let l = t.to_lowercase();
    UPDATE_WORDS.iter().any(|w| l.contains(w))
}

/// The part of a short date line before a revision label, trimmed to its first 100 bytes.
fn before_update_label(t: &str) -> &str {
    let l = t.to_lowercase();
    let cut = UPDATE_WORDS
        .iter()
        .filter_map(|w| l.find(w))
        .min()
        .unwrap_or(t.len());
    // Lower-casing can change byte lengths: only cut where `t` has a boundary.
    let mut end = if t.is_char_boundary(cut) {
        cut
    } else {
        t.len()
    };
    if end > 100 {
        end = 100;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
    }
    &t[..end]
}

/// Whether a date element is a revision date: an update/modified/changed class or id on it or
/// its near ancestors, or an "Updated", "Last updated:", "Reviewed" label just before it.
fn update_context(n: &dom_query::NodeRef) -> bool {
    let marked = |x: &dom_query::NodeRef| {
        let c = format!(
            "{} {} {}",
            x.attr("class").unwrap_or_default(),
            x.attr("id").unwrap_or_default(),
            x.attr("itemprop").unwrap_or_default()
        )
        .to_ascii_lowercase();
        c.contains("update")
            || c.contains("modif")
            || c.contains("changed")
            || c.contains("revis")
            || c.contains("validate")
    };
    if marked(n) || n.ancestors(Some(3)).iter().any(marked) {
        return true;
    }
    // Own text that starts with a label ("Updated April 10, 2025").
    let own = n.text();
    let own = own.trim();
    if own.len() <= 160 && has_update_word(before_date(own)) {
        return true;
    }
    // A label in the text just before the element, within its parent or grandparent.
    let mut cur = *n;
    for _ in 0..3 {
        let mut before = String::new();
        let mut sib = cur.prev_sibling();
        let mut steps = 0;
        while let Some(s) = sib {
            steps += 1;
            if steps > 4 {
                break;
            }
            let t = s.text();
            before.insert_str(0, &t);
            if before.trim().len() > 40 {
                break;
            }
            sib = s.prev_sibling();
        }
        let tail: String = before
            .trim()
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if has_update_word(&tail) {
            return true;
        }
        if !before.trim().is_empty() {
            return false;
        }
        match cur.parent() {
            Some(p) => cur = p,
            None => break,
        }
    }
    false
}

/// The text before its first digit (the label part of "Updated on May 27, 2025").
fn before_date(t: &str) -> &str {
    let end = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
    &t[..end]
}

/// A short "By Jane Doe" line in the headline's surroundings (its parent and the two levels
/// above), for bylines without author markup.
fn byline_near_headline(dom: &Dom) -> Option<String> {
    let h1 = dom.select("h1").nodes().first().copied()?;
    let mut scope = h1;
    for _ in 0..3 {
        scope = scope.parent()?;
        let mut stack = vec![scope];
        let mut steps = 0;
        while let Some(x) = stack.pop() {
            steps += 1;
            if steps > 400 {
                break;
            }
            if !x.is_element() {
                continue;
            }
            let t = spaced_text(&x);
            if t.len() > 80 || t.is_empty() {
                // Too long for a byline itself: look inside.
                if t.len() > 80 {
                    for c in x.children().into_iter().rev() {
                        stack.push(c);
                    }
                }
                continue;
            }
            let rest = t
                .strip_prefix("By ")
                .or_else(|| t.strip_prefix("by "))
                .or_else(|| t.strip_prefix("BY "));
            if let Some(r) = rest
                && r.chars().next().is_some_and(char::is_uppercase)
            {
                return Some(t);
            }
            for c in x.children().into_iter().rev() {
                stack.push(c);
            }
        }
    }
    None
}

/// A short line right under the headline that holds a date ("Dec 26, 2025", "Video -
/// December 19, 2025"): the siblings after the first `<h1>` and after its parent.
fn date_near_headline(dom: &Dom) -> Option<DateTime<FixedOffset>> {
    let h1 = dom.select("h1").nodes().first().copied()?;
    let mut starts = vec![h1];
    if let Some(p) = h1.parent() {
        starts.push(p);
    }
    for start in starts {
        let mut sib = start.next_element_sibling();
        for _ in 0..3 {
            let Some(s) = sib else { break };
            let t = dossier_core::text::collapse_whitespace(&s.text());
            if !t.is_empty()
                && t.len() <= 100
                && !update_context(&s)
                && !has_update_word(before_date(&t))
                && let Some(d) = crate::dates::text_date(before_update_label(&t))
            {
                return Some(d);
            }
            sib = s.next_element_sibling();
        }
    }
    None
}

/// A publication date in page data (`"datePublished": "2025-05-27"`, `"publishDate"`,
/// `"publishedAt"` in inline scripts and data layers).
fn script_date(dom: &Dom) -> Option<DateTime<FixedOffset>> {
    static KEYS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"\\?"(?:datePublished|publishDate|publishedAt|published_at|publish_date|date_published|pubDate|publicationDate|firstPublishedDate|first_publication_date|firstPublicationDate|publishedDate|published_date|publishedOn)\\?"\s*:\s*\\?"(\d{4}-\d\d-\d\d[^"\\]{0,30})"#,
        )
        .expect("valid regex")
    });
    for n in dom.select("script").nodes().iter().take(80) {
        let t = n.text();
        if let Some(c) = KEYS.captures(&t)
            && let Some(d) = parse_date(&c[1])
        {
            return Some(d);
        }
    }
    None
}

/// The first `<time datetime>` that looks like the article's publication time.
fn time_element(dom: &Dom) -> Option<DateTime<FixedOffset>> {
    let mut first = None;
    for n in dom.select("time[datetime]").nodes().iter().take(50) {
        let Some(dt) = n.attr("datetime") else {
            continue;
        };
        let Some(d) = parse_date(&dt) else { continue };
        let class = format!(
            "{} {} {}",
            n.attr("class").unwrap_or_default(),
            n.attr("itemprop").unwrap_or_default(),
            if n.has_attr("pubdate") { "pubdate" } else { "" }
        )
        .to_ascii_lowercase();
        // A revision label wins over a "published" class ("<time class=published-date>
        // Updated April 10, 2025</time>").
        if class.contains("modif") || class.contains("update") || update_context(n) {
            continue;
        }
        if class.contains("publish") || class.contains("pubdate") || class.contains("datepublished")
        {
            return Some(d);
        }
        first.get_or_insert(d);
    }
    first
}

fn collapse(s: &str) -> String {
    dossier_core::text::collapse_whitespace(s)
}

/// A heading's text, with a space between block elements and where a part in its own
/// element starts with a capital right after a lower-case letter.
fn heading_text(n: &dom_query::NodeRef) -> String {
    element_text(n, true)
}

/// Whether an `<h1>` names the site rather than the article: a logo or site-title class, or
/// text that is all a link to the site's home page.
fn is_site_heading(n: &dom_query::NodeRef, url: Option<&str>) -> bool {
    let marks = |x: &dom_query::NodeRef| {
        let c = format!(
            "{} {}",
            x.attr("class").unwrap_or_default(),
            x.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        [
            "site-title",
            "site-name",
            "sitename",
            "site-logo",
            "blog-name",
            "logo",
        ]
        .iter()
        .any(|k| c.contains(k))
    };
    if marks(n) {
        return true;
    }
    let text = words(&n.text()).len();
    if text == 0 {
        return false;
    }
    let host = url.and_then(domain_of);
    n.descendants_it().take(200).any(|a| {
        if !a.node_name().is_some_and(|t| t.eq_ignore_ascii_case("a")) {
            return false;
        }
        let href = a
            .attr("href")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        let home = a
            .attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|w| w == "home"))
            || href == "/"
            || url::Url::parse(&href).is_ok_and(|u| {
                matches!(u.path(), "" | "/")
                    && u.query().is_none()
                    && host
                        .as_deref()
                        .is_none_or(|h| domain_of(u.as_str()).as_deref() == Some(h))
            });
        home && words(&a.text()).len() * 10 >= text * 8
    })
}

/// Whether a headline is `declared` behind a short label ending in a colon ("Blog:", "Buying
/// Guide:") or a date ("Dec 18 2025").
fn labelled_title(h1: &str, declared: &str) -> bool {
    let (hw, dw) = (words(h1), words(declared));
    if dw.len() < 3 || hw.len() <= dw.len() || hw[hw.len() - dw.len()..] != dw[..] {
        return false;
    }
    let extra = hw.len() - dw.len();
    if extra > 4 {
        return false;
    }
    // The label's own text: the h1 up to where the declared title's first word starts.
    let first = &dw[0];
    let lower = h1.to_lowercase();
    let Some(at) = lower.rfind(first.as_str()) else {
        return false;
    };
    let label = lower[..at].trim();
    label.ends_with(':')
        || (label.split_whitespace().count() <= 4
            && label.chars().filter(|c| c.is_ascii_digit()).count() >= 4
            && crate::dates::parse_date(label).is_some())
}

/// Remove a suffix that names the site itself (" – Artlyst"), and nothing else: headlines may
/// end in a subtitle.
fn strip_named_site(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    let Some(site) = site.map(words).filter(|s| !s.is_empty()) else {
        return t.to_string();
    };
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some((head, tail)) = t.rsplit_once(sep)
            && words(tail) == site
            && words(head).len() >= 3
        {
            return head.trim().to_string();
        }
    }
    t.to_string()
}

/// Cut short parts after a pipe ("Best Movers in NYC 2025 | Top 19 Companies", "... |
/// Opinion", "... | Shopify App Store"): a pipe sets off a label, a section or a site, while
/// headlines set off their subtitles with dashes or colons. A long part (six words or more)
/// stays: it is a second headline.
fn strip_pipe_tail(title: &str) -> String {
    let mut t = title.trim();
    while let Some((head, tail)) = t.rsplit_once(" | ") {
        if words(tail).len() > 5 || words(head).len() < 3 {
            break;
        }
        t = head.trim_end();
    }
    t.trim_end_matches(|c: char| c == '|' || c.is_whitespace())
        .to_string()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Remove " | Site", " - Site" and similar suffixes or prefixes naming the site.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            let tail_l = tail.trim().to_lowercase();
            let is_site = site.is_some_and(|s| {
                let s = s.to_lowercase();
                tail_l == s || tail_l.contains(&s) || s.contains(&tail_l)
            }) || (tail.split_whitespace().count() <= 4
                && head.split_whitespace().count() >= 4
                && !tail.chars().any(|c| c.is_ascii_digit()));
            if is_site && head.len() > 10 {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = t.split_once(sep) {
            let head_l = head.trim().to_lowercase();
            if site.is_some_and(|s| head_l == s.to_lowercase()) && tail.len() > 10 {
                return tail.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// An absolute http(s) URL for `href`, resolved against `base`.
pub fn absolutise(href: &str, base: Option<&str>) -> Option<String> {
    if let Ok(u) = url::Url::parse(href) {
        return matches!(u.scheme(), "http" | "https").then(|| u.to_string());
    }
    let base = url::Url::parse(base?).ok()?;
    base.join(href).ok().map(|u| u.to_string())
}

/// The host without `www.`.
pub fn domain_of(u: &str) -> Option<String> {
    let u = url::Url::parse(u).ok()?;
    let h = u.host_str()?.to_ascii_lowercase();
    Some(h.strip_prefix("www.").unwrap_or(&h).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> Metadata {
        let dom = Dom::from(html);
        let ld = json_ld(&dom);
        metadata(&dom, &ld, Some("https://courier.example/a"), None)
    }

    #[test]
    fn outlet_as_author_gives_way_to_a_byline_person() {
        let m = meta_of(
            r#"<html><head><meta property="og:site_name" content="Daily Courier">
            <script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Daily Courier"}}</script>
            </head><body><span class="author-name">Jane Doe</span></body></html>"#,
        );
        let names: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(names, vec!["Jane Doe"]);
    }

    #[test]
    fn scholarly_author_tags_and_author_links() {
        let m = meta_of(
            r#"<html><head><meta name="citation_author" content="Roy, Ann">
            <meta name="citation_author" content="Patel, Jo K."></head><body></body></html>"#,
        );
        let names: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(names, vec!["Ann Roy", "Jo K. Patel"]);
        // A link to the author's page names the author; bylines of related articles do not.
        let m = meta_of(
            r#"<html><body><div class="related-list"><span class="card_author__x1">Ed Teaser</span></div>
            <h1>Headline</h1><p><a href="/authors/jane-doe/">Jane Doe</a></p></body></html>"#,
        );
        let names: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(names, vec!["Jane Doe"]);
    }

    #[test]
    fn url_day_wins_over_a_timestamp_a_day_off() {
        let html = r#"<html><head><meta property="article:published_time" content="2020-02-18T01:30:00+00:00"></head><body></body></html>"#;
        let dom = Dom::from(html);
        let ld = json_ld(&dom);
        let day = |u: &str| {
            metadata(&dom, &ld, Some(u), None)
                .published
                .map(|p| p.value.date_naive().to_string())
        };
        assert_eq!(
            day("https://courier.example/2020/02/17/story").as_deref(),
            Some("2020-02-17")
        );
        // Further apart, the declared date stands.
        assert_eq!(
            day("https://courier.example/2020/02/10/story").as_deref(),
            Some("2020-02-18")
        );
        // Inline page data names the first publication.
        let m = meta_of(
            r#"<html><body><script>window.__d={"first_publication_date":"2025-08-04T11:55:39+0000"}</script></body></html>"#,
        );
        assert_eq!(
            m.published
                .map(|p| p.value.date_naive().to_string())
                .as_deref(),
            Some("2025-08-04")
        );
    }

    #[test]
    fn outlet_glued_onto_declared_authors() {
        let m = meta_of(
            r#"<html><head><meta property="og:site_name" content="The Daily Courier">
            <script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Jane Doe and John Roe, The Daily Courier"}}</script>
            </head><body></body></html>"#,
        );
        let names: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(names, vec!["Jane Doe", "John Roe"]);
    }

    #[test]
    fn plain_byline_under_the_headline() {
        let m = meta_of(
            r#"<html><body><header><h1>Tram line approved</h1><p><span>By <a href="/p/jd">Jane Doe</a></span></p></header>
            <article><p>By the river, the council met.</p></article></body></html>"#,
        );
        let names: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(names, vec!["Jane Doe"]);
    }

    #[test]
    fn revision_dates_are_not_publication_dates() {
        let m = meta_of(
            r#"<html><body><h1>Tram line</h1><div>Updated <time datetime="2025-06-01">June 1, 2025</time></div>
            <p class="post-date">Last updated: June 2, 2025</p></body></html>"#,
        );
        assert!(m.published.is_none(), "{:?}", m.published);
        let m = meta_of(
            r#"<html><body><h1>Tram line</h1><p class="date">May 30, 2025. <i>Updated: June 2, 2025</i></p></body></html>"#,
        );
        assert_eq!(
            m.published
                .map(|p| p.value.date_naive().to_string())
                .as_deref(),
            Some("2025-05-30")
        );
    }

    fn title_of(html: &str) -> String {
        meta_of(html).title.map(|t| t.value).unwrap_or_default()
    }

    #[test]
    fn site_name_headings_are_not_titles() {
        // A blog's name linked to its home page.
        let t = title_of(
            r#"<html><head><meta property="og:title" content="Ferry talks resume in Lenz"></head>
            <body><h1 class="title"><a href="https://courier.example/">Harbour Notes</a></h1>
            <p>text</p></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
        // A logo heading, and the site name it gives strips the <title>.
        let t = title_of(
            r#"<html><head><title>Ferry talks resume in Lenz | Harbour Notes</title></head>
            <body><h1 id="site-logo">Harbour Notes</h1><p>text</p></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
        // An article headline linking elsewhere stays.
        let t = title_of(
            r#"<html><head><meta property="og:title" content="Ferry talks resume in Lenz"></head>
            <body><h1><a href="/2024/ferry-talks">Ferry talks resume in Lenz</a></h1></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
    }

    #[test]
    fn headline_labels_dates_and_site_suffixes() {
        let t = title_of(
            r#"<html><head><meta property="og:title" content="Ferry talks resume in Lenz | Courier"></head>
            <body><h1>Analysis: Ferry talks resume in Lenz</h1></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
        let t = title_of(
            r#"<html><head><meta property="og:title" content="Ferry talks resume in Lenz"></head>
            <body><h1>Dec 18 2025 Ferry talks resume in Lenz</h1></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
        // A kicker that is more than a label stays.
        assert!(!labelled_title(
            "After the long winter strike on the coast: Ferry talks resume in Lenz",
            "Ferry talks resume in Lenz"
        ));
        let t = title_of(
            r#"<html><head><meta property="og:site_name" content="Courier"></head>
            <body><h1>Ferry talks resume in Lenz – Courier</h1></body></html>"#,
        );
        assert_eq!(t, "Ferry talks resume in Lenz");
        // Parts of a heading styled as blocks are separate words.
        let t = title_of(
            r#"<html><body><h1><span>Harbour strike</span>Ferry talks resume in Lenz</h1></body></html>"#,
        );
        assert_eq!(t, "Harbour strike Ferry talks resume in Lenz");
    }

    #[test]
    fn short_parts_after_a_pipe_are_cut() {
        assert_eq!(
            strip_pipe_tail("Best Residential Movers in NYC 2025 | Top 19 Companies"),
            "Best Residential Movers in NYC 2025"
        );
        assert_eq!(
            strip_pipe_tail("How to help babies sleep | Patient Education | UC Davis Health"),
            "How to help babies sleep"
        );
        let long = "Top 10 Cameras of 2025 | The Best Mirrorless Cameras on the Market";
        assert_eq!(strip_pipe_tail(long), long);
        assert_eq!(strip_pipe_tail("News | Today"), "News | Today");
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Talks begin in Lenz | Lyria Today", Some("Lyria Today")),
            "Talks begin in Lenz"
        );
        assert_eq!(
            strip_site_suffix("VNB - Talks begin in Lenz tonight", Some("VNB")),
            "Talks begin in Lenz tonight"
        );
        assert_eq!(strip_site_suffix("A - B", Some("C")), "A - B");
        assert_eq!(
            strip_site_suffix("Index Funds: How to Invest Wisely | Vanguard", None),
            "Index Funds: How to Invest Wisely"
        );
    }
}
