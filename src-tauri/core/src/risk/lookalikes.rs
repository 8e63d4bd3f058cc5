//! Look-alike sign-ups: customers created within days of each other that share something
//! that should be their own, each compared in one form however it is written
//! ([`crate::identity`]). See [`lookalikes`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::facts::Facts;
use crate::english::count;
use crate::ids::CustomerId;

/// Mailboxes at one free-mail provider that differ only in the number they end with
/// (`apexcloud01@gmail.com`, `apexcloud02@gmail.com`): one person's, made one after another.
const NUMBERED: &str = "numbered e-mail addresses";

/// The mailbox without the number it ends with (`apexcloud@gmail.com`), when it ends with
/// one and what comes before has six letters or more: `tom1@`, `tom2@` may be two people.
fn numbered_mailbox(mailbox: &str) -> Option<String> {
    let (local, domain) = mailbox.rsplit_once('@')?;
    let stem = local.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.len() == local.len() {
        return None;
    }
    let stem = stem.trim_end_matches(['.', '_', '-']);
    (stem.chars().filter(|c| c.is_alphabetic()).count() >= 6).then(|| format!("{stem}@{domain}"))
}

/// The group of customers sharing both their address and their contact person.
const TOGETHER: &str = "address and contact person";

/// Name similarity (Jaro-Winkler of the compared names) from which two customers of one
/// name stem are look-alikes.
const SIMILAR_NAME: f64 = 0.85;

/// Groups of customers created within `window_days` of each other that share something
/// that should be their own, each compared in one form (`crate::identity`). **Strong**
/// links (the same tax id, phone number, own e-mail domain (its name under any ending), or
/// mailbox at a free-mail provider, contact or billing, however it is written) make a batch
/// of `min` customers; of the **weak** ones, a similar company name (the same stem, such as
/// "Apex Cloud" in "Apex Cloud Trading / Services / Solutions") makes one too, while a
/// shared address (one place in Chinese or English) or contact person (one name in Chinese
/// or English, [`contact_keys`]) alone never does (honest tenants of one business centre, an
/// accountant who signs up clients), and only adds to the evidence of a batch made
/// otherwise; the two together do (one person signing up firms from one place). A
/// free-mail domain alone is no link. For each customer in a batch:
/// what is shared and with how many (in English and Chinese). With `only`, that customer's
/// lines alone (the groups it is not in are not looked at).
pub fn lookalikes(
    facts: &BTreeMap<CustomerId, Facts>,
    window_days: i64,
    min: usize,
    only: Option<CustomerId>,
) -> HashMap<CustomerId, Vec<(String, String)>> {
    // Each group by its value in one script (`速雲` and `速云` are one), shown as its first
    // customer wrote it.
    type Group = (String, Vec<(CustomerId, NaiveDate)>);
    let mut groups: HashMap<(&'static str, String), Group> = HashMap::new();
    let places = place_keys(facts);
    let contacts = contact_keys(facts);
    // Each customer's keys are read on all cores; the groups are then made in id order.
    let all: Vec<(&CustomerId, &Facts)> = facts.iter().collect();
    // A Chinese brand spelled, to the key its Chinese stem groups by: `Suyun Information`
    // is grouped with `速雲資訊` (first come, in id order); so is the English stem of a name
    // written in both scripts (`台灣微軟股份有限公司 Microsoft Taiwan Corporation`).
    let mut spelled: HashMap<String, String> = HashMap::new();
    for (spellings, stem) in crate::parallel::map(&all, |(_, f)| brand_spellings(f)) {
        for s in spellings {
            spelled.entry(s).or_insert_with(|| stem.clone());
        }
    }
    let keyed = crate::parallel::map(&all, |(id, f)| {
        let created = f
            .created_at
            .get(..10)
            .and_then(|d| crate::dates::parse(d).ok())?;
        Some((**id, created, keys_of(id, f, &places, &contacts, &spelled)))
    });
    for (id, created, keys) in keyed.into_iter().flatten() {
        // The address and the contact person together, when the customer gives both.
        let mut together: Vec<&str> = Vec::new();
        for (what, key, _) in &keys {
            if matches!(*what, "address" | "contact person") {
                together.push(key);
            }
        }
        if together.len() == 2 {
            let key = together.join("\u{1f}");
            groups
                .entry((TOGETHER, key))
                .or_insert_with(|| (String::new(), Vec::new()))
                .1
                .push((id, created));
        }
        for (what, key, value) in keys {
            let members = &mut groups
                .entry((what, key))
                .or_insert_with(|| (value, Vec::new()))
                .1;
            // A customer giving two numbered mailboxes is one customer.
            if members.last().is_none_or(|(last, _)| *last != id) {
                members.push((id, created));
            }
        }
    }
    let mut out: HashMap<CustomerId, Vec<(String, String)>> = HashMap::new();
    let mut weak: Vec<(CustomerId, (String, String))> = Vec::new();
    // Customers one person signed up from one place: their address and contact lines are a
    // batch's evidence though neither alone is.
    let mut together = BTreeSet::new();
    // A customer's lines come from the groups it is in (its weak lines too: the batches
    // they need are its own), so the others need no look.
    let mut keys: Vec<_> = groups
        .into_iter()
        .filter(|(_, (_, members))| only.is_none_or(|c| members.iter().any(|(m, _)| *m == c)))
        .collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    for ((what, key), (value, mut members)) in keys {
        if what == "similar name" {
            // Only names alike as a whole, not just their first words; another customer of
            // the very same name is alike too.
            let names: Vec<(CustomerId, &str)> = members
                .iter()
                .filter_map(|(id, _)| facts.get(id).map(|f| (*id, f.name.as_str())))
                .collect();
            let alike = crate::parallel::map(&members, |(id, _)| {
                facts.get(id).is_some_and(|me| {
                    names
                        .iter()
                        .filter(|(other, _)| other != id)
                        .any(|(_, n)| crate::identity::names_alike(n, &me.name, SIMILAR_NAME))
                })
            });
            let mut alike = alike.into_iter();
            members.retain(|_| alike.next().unwrap_or(false));
        }
        if members.len() < min {
            continue;
        }
        members.sort_by_key(|(_, d)| *d);
        // Every window of `min` members created within `window_days`.
        let mut flagged = BTreeSet::new();
        for w in members.windows(min) {
            if (w[min - 1].1 - w[0].1).num_days() <= window_days {
                flagged.extend(w.iter().map(|(id, _)| *id));
            }
        }
        if what == TOGETHER {
            together.extend(flagged);
            continue;
        }
        // One name under several endings (`apexcloud.com`, `apex-cloud.net`): each named.
        let value = if what == "e-mail domain" {
            each_written(facts, &members, &flagged, |f| vec![f.email_domain.as_str()])
                .iter()
                .map(|d| crate::customer::shown_domain(d))
                .collect::<Vec<_>>()
                .join(" / ")
        } else if what == NUMBERED {
            // Each mailbox, and only where they differ: one mailbox is a link of its own.
            let boxes = each_written(facts, &members, &flagged, |f| {
                f.mailboxes
                    .iter()
                    .filter(|m| numbered_mailbox(m).as_deref() == Some(key.as_str()))
                    .map(String::as_str)
                    .collect()
            });
            if boxes.len() < 2 {
                continue;
            }
            boxes
                .iter()
                .map(|m| crate::customer::shown_email(m))
                .collect::<Vec<_>>()
                .join(" / ")
        } else if what == "e-mail address" {
            crate::customer::shown_email(&value)
        } else {
            value
        };
        let what_zh = match what {
            "e-mail domain" => "電子郵件網域",
            "e-mail address" => "電子郵件地址",
            NUMBERED => "僅編號不同的電子郵件地址",
            "phone" => "電話",
            "address" => "地址",
            "contact person" => "聯絡人",
            "similar name" => "相似公司名稱",
            _ => "統一編號",
        };
        for id in &flagged {
            let line = (
                format!(
                    "{what} \"{value}\" shared by {} created within {}",
                    count(flagged.len(), "customer", "customers"),
                    count(window_days, "day", "days")
                ),
                format!(
                    "{what_zh}「{value}」由 {window_days} 天內建立的 {} 位客戶共用",
                    flagged.len()
                ),
            );
            if matches!(what, "address" | "contact person") {
                weak.push((*id, line));
            } else {
                out.entry(*id).or_default().push(line);
            }
        }
    }
    // A shared address or contact person is evidence only beside a link that makes a batch,
    // or the two together.
    for (id, line) in weak {
        if together.contains(&id) {
            out.entry(id).or_default().push(line);
        } else if let Some(v) = out.get_mut(&id) {
            v.push(line);
        }
    }
    out
}

/// The brand spellings a customer's name stem is grouped by (`Suyun Information` is
/// `速雲資訊`), and that stem, folded.
fn brand_spellings(f: &Facts) -> (Vec<String>, String) {
    let name = stem_name(&f.name);
    let mut spellings = crate::identity::brand_spelled(&name);
    if let Some((_, latin)) = crate::identity::bilingual(&f.name) {
        if let Some(stem) = crate::identity::grouping_stem(&latin) {
            spellings.push(crate::identity::fold(&stem).replace(' ', ""));
        }
    }
    if spellings.is_empty() {
        return (spellings, String::new());
    }
    (
        spellings,
        crate::identity::fold(&crate::identity::name_stem(&name)),
    )
}

/// What a customer could share with others: (what, the key it is compared by, as written).
fn keys_of(
    id: &CustomerId,
    f: &Facts,
    places: &HashMap<CustomerId, String>,
    contacts: &HashMap<CustomerId, String>,
    spelled: &HashMap<String, String>,
) -> Vec<(&'static str, String, String)> {
    let name = stem_name(&f.name);
    let mut keys = vec![
        (
            "e-mail domain",
            (!f.email_domain.is_empty() && !crate::identity::is_public_mail(&f.email_domain))
                .then(|| f.email_domain.clone()),
        ),
        ("phone", (!f.phone.is_empty()).then(|| f.phone.clone())),
        ("tax id", (f.tax_id.len() >= 5).then(|| f.tax_id.clone())),
        (
            "address",
            (f.address.chars().count() >= 8).then(|| f.address.clone()),
        ),
        (
            "contact person",
            contacts.contains_key(id).then(|| f.contact.0.clone()),
        ),
        ("similar name", crate::identity::grouping_stem(&name)),
    ];
    keys.extend(
        f.mailboxes
            .iter()
            .map(|m| ("e-mail address", Some(m.clone()))),
    );
    keys.extend(
        f.mailboxes
            .iter()
            .filter(|m| numbered_mailbox(m).is_some())
            .map(|m| (NUMBERED, Some(m.clone()))),
    );
    keys.into_iter()
        .filter_map(|(what, value)| {
            let v = value?;
            // A name's stem without its spaces too: "ApexCloud" is "Apex Cloud".
            let mut key = match (what, places.get(id), contacts.get(id)) {
                ("address", Some(place), _) => place.clone(),
                ("address", None, _) => address_in_any_order(&v),
                ("contact person", _, Some(person)) => person.clone(),
                ("e-mail domain", _, _) => crate::identity::domain_name(&v),
                (NUMBERED, _, _) => numbered_mailbox(&v).unwrap_or_default(),
                _ => crate::identity::fold(&v),
            };
            if what == "similar name" {
                key.retain(|c| c != ' ');
                if let Some(chinese) = spelled.get(&key) {
                    key.clone_from(chinese);
                }
            }
            Some((what, key, v))
        })
        .collect()
}

/// An address that is no Taiwanese place, as its words in any order, each unit kept with
/// its number: `Suite 400, 123 Main St` is `123 Main St, Suite 400`, while `Unit 5, 12 Main
/// St` is not `Unit 12, 5 Main St`. A unit word before another unit is no unit, and a
/// building's or tower's name ends before the house number of a road (`Wing On Building,
/// 123 Nathan Road`): `123 Nathan Rd, Wing On Bldg, Flat A` is the same place.
fn address_in_any_order(address: &str) -> String {
    const UNITS: &[&str] = &[
        "suite",
        "unit",
        "apartment",
        "room",
        "floor",
        "number",
        "building",
        "block",
        "tower",
        "shop",
        "level",
        "lot",
        "lane",
        "alley",
        "section",
        "box",
    ];
    const ROADS: &[&str] = &[
        "road",
        "street",
        "avenue",
        "boulevard",
        "drive",
        "lane",
        "highway",
        "way",
        "path",
        "terrace",
        "crescent",
    ];
    let folded = crate::identity::fold(address);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let number = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let paired = match words.get(i + 1) {
            Some(n) if UNITS.contains(&w) && !UNITS.contains(n) => {
                // `Building 123 Nathan Road`: 123 is the road's, the building's name before.
                let house_number = matches!(w, "building" | "tower")
                    && number(n)
                    && words.get(i + 2).is_some_and(|a| !number(a))
                    && words[i + 2..].iter().take(3).any(|a| ROADS.contains(a));
                (!house_number).then_some(*n)
            }
            _ => None,
        };
        match paired {
            Some(n) => {
                parts.push(format!("{w} {n}"));
                i += 2;
            }
            None => {
                parts.push(w.to_string());
                i += 1;
            }
        }
    }
    parts.sort_unstable();
    parts.join(" ")
}

/// The name whose stem groups a customer: of a name in two scripts, its Chinese name.
fn stem_name(name: &str) -> String {
    crate::identity::bilingual(name).map_or_else(|| name.to_string(), |(chinese, _)| chinese)
}

/// What the flagged members wrote (`of` each one's facts), each once, in the members' order.
fn each_written<'a>(
    facts: &'a BTreeMap<CustomerId, Facts>,
    members: &[(CustomerId, NaiveDate)],
    flagged: &BTreeSet<CustomerId>,
    of: impl Fn(&'a Facts) -> Vec<&'a str>,
) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for (id, _) in members.iter().filter(|(id, _)| flagged.contains(id)) {
        for w in facts.get(id).map(&of).unwrap_or_default() {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// Each customer's contact person as one name ([`crate::identity::person`]): a name in
/// Chinese by its characters in one script (`王小明`, `王曉明` are two people), a name in
/// English by the first name in Chinese it spells (in id order; `Hsiao-Ming Wang` is
/// `王小明`), or else by the first name in English read the same way (`WANG, HSIAO MING`).
fn contact_keys(facts: &BTreeMap<CustomerId, Facts>) -> HashMap<CustomerId, String> {
    let names: Vec<(CustomerId, &[String])> = facts
        .iter()
        .filter(|(_, f)| !f.contact.1.is_empty())
        .map(|(id, f)| (*id, f.contact.1.as_slice()))
        .collect();
    let chinese = |keys: &[String]| !keys[0].is_ascii();
    let mut spells: HashMap<&str, &str> = HashMap::new();
    for (_, keys) in names.iter().filter(|(_, keys)| chinese(keys)) {
        for k in keys.iter() {
            spells.entry(k).or_insert(&keys[0]);
        }
    }
    let mut out = HashMap::new();
    for (id, keys) in &names {
        let key = match keys.iter().find_map(|k| spells.get(k.as_str()).copied()) {
            Some(found) if !chinese(keys) => found,
            _ => {
                for k in keys.iter() {
                    spells.entry(k).or_insert(&keys[0]);
                }
                &keys[0]
            }
        };
        out.insert(*id, key.to_string());
    }
    out
}

/// Each customer's address as one Taiwanese or Hong Kong place ([`crate::identity::place`]),
/// where it is one: written in Chinese or in English, the same place has the same key. A road in
/// Chinese whose characters read more than one way (重慶 is `zhongqing` or `chongqing`) has
/// its most common reading as its key, and an English address spelled with another of its
/// readings takes that key too.
fn place_keys(facts: &BTreeMap<CustomerId, Facts>) -> HashMap<CustomerId, String> {
    let places: Vec<(CustomerId, bool, &[String])> = facts
        .iter()
        .map(|(id, f)| (*id, f.address.is_ascii(), f.places.as_slice()))
        .filter(|(_, _, keys)| !keys.is_empty())
        .collect();
    let mut reading: HashMap<&str, &str> = HashMap::new();
    for (_, _, keys) in places.iter().filter(|(_, english, _)| !english) {
        reading.insert(&keys[0], &keys[0]);
    }
    for (_, _, keys) in places.iter().filter(|(_, english, _)| !english) {
        for other in &keys[1..] {
            reading.entry(other).or_insert(&keys[0]);
        }
    }
    places
        .iter()
        .map(|(id, _, keys)| {
            let key = reading.get(keys[0].as_str()).copied().unwrap_or(&keys[0]);
            (*id, key.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::address_in_any_order as key;
    use crate::identity::address;

    fn same(a: &str, b: &str) -> bool {
        key(&address(a)) == key(&address(b))
    }

    #[test]
    fn an_address_in_any_order_keeps_each_unit_with_its_number() {
        // A building's name before the house number of its road, in either order.
        assert!(same(
            "Flat A, 12/F, Wing On Building, 123 Nathan Road, Mong Kok",
            "123 Nathan Rd, Wing On Bldg, Flat A, 12/F, Mong Kok",
        ));
        assert!(same(
            "Unit 5, 20/F, Harbour Tower, 33 Canton Road, TST",
            "33 Canton Rd, Harbour Tower, Unit 5, 20/F, Tsim Sha Tsui",
        ));
        // A numbered building is a unit, wherever it is written.
        assert!(same(
            "Building 5, 123 Main St, Springfield",
            "123 Main Street, Building 5, Springfield",
        ));
        assert!(same(
            "Suite 400, Building 2, 10 Park Ave",
            "10 Park Avenue, Building 2, Suite 400",
        ));
        // The unit's number is not the house's.
        assert!(!same(
            "Unit 5, 12 Harbour Rd, Wan Chai",
            "Unit 12, 5 Harbour Rd, Wan Chai",
        ));
        assert!(!same(
            "Building 5, 123 Main St, Springfield",
            "Building 123, 5 Main St, Springfield",
        ));
        assert!(!same(
            "Flat A, 12/F, Wing On Building, 123 Nathan Road",
            "Flat B, 12/F, Wing On Building, 123 Nathan Road",
        ));
        // Nothing to pair at the end, and nothing at all.
        assert_eq!(key(&address("Main Street Suite")), "main street suite");
        assert_eq!(key(""), "");
    }
}
