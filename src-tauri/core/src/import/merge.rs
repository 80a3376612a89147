//! A row laid over the record it updates: the file's fields replace the record's, lists are merged element
//! by element (a name by its value, else its language; a party by its organisation; an affiliation by its
//! organisation and dates, a condition by its mobility and direction, in order when several share them), and what the file does not mention is kept —
//! so a file with a few columns never wipes the rest of a record. An element the file names is the file's
//! whole element: its own lists (a condition's languages and levels) are the file's, not a union, so
//! laying the same file over a record twice changes nothing the second time.

use serde_json::{Map, Value};

/// How an element of a record's list is found among the record's: keys tried in turn (each a set of fields
/// that must all be equal), and whether elements sharing a key are paired in order or the key not trusted.
struct ElementKey {
    keys: &'static [&'static [&'static str]],
    in_order: bool,
}

/// The key that identifies an element of a record's list among its siblings, by the list's field name.
fn element_key(field: &str) -> ElementKey {
    const CONDITION_EXACT: &[&str] = &[
        "mobility",
        "sending_id",
        "receiving_id",
        "levels",
        "languages",
        "places",
        "months",
        "first_year",
        "last_year",
    ];
    let (keys, in_order): (&'static [&'static [&'static str]], bool) = match field {
        "names" => (&[&["value"], &["lang"]], false),
        "identifiers" => (&[&["scheme"]], false),
        // A person may have held several posts at one organisation, one after the other.
        "affiliations" => (
            &[
                &["partner_id", "role", "start_date", "end_date"],
                &["partner_id", "start_date"],
                &["partner_id"],
            ],
            true,
        ),
        "parties" | "partners" => (&[&["partner_id"]], false),
        // An agreement may have the same mobility both ways, or twice one way (by level): the direction
        // is part of what a condition is, and conditions alike in all that are told apart by their order.
        "conditions" => (
            &[
                CONDITION_EXACT,
                &["mobility", "sending_id", "receiving_id", "levels", "first_year"],
                &["mobility", "sending_id", "receiving_id"],
            ],
            true,
        ),
        "criteria" => (&[&["name"]], false),
        "reviews" => (&[&["reviewer_id"]], false),
        _ => (&[], false),
    };
    ElementKey { keys, in_order }
}

/// `existing` with `imported` laid over it (see the module's rule). Both are a record's input as JSON.
pub fn overlay(existing: &Value, imported: &Value) -> Value {
    match (existing, imported) {
        (Value::Object(old), Value::Object(new)) => {
            let mut out = old.clone();
            for (key, value) in new {
                let merged = match old.get(key) {
                    Some(Value::Array(old_list)) => match value {
                        Value::Array(new_list) => Value::Array(merge_list(key, old_list, new_list)),
                        other => other.clone(),
                    },
                    Some(old_value @ Value::Object(_)) => overlay(old_value, value),
                    _ => value.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        (_, new) => new.clone(),
    }
}

/// An element of a list laid over the record's element it was matched to: the file's fields replace the
/// record's whole (lists included), and the fields it does not give (the element's id) are kept.
fn overlay_element(existing: &Value, imported: &Value) -> Value {
    match (existing, imported) {
        (Value::Object(old), Value::Object(new)) => {
            let mut out = old.clone();
            for (key, value) in new {
                out.insert(key.clone(), value.clone());
            }
            Value::Object(out)
        }
        (_, new) => new.clone(),
    }
}

/// Whether `a` and `b` agree on every field of `key` (a field absent is null).
fn same_key(a: &Value, b: &Value, key: &[&str]) -> bool {
    key.iter().all(|field| {
        let (x, y) = (a.get(*field).unwrap_or(&Value::Null), b.get(*field).unwrap_or(&Value::Null));
        same_value(x, y)
    })
}

fn merge_list(field: &str, old: &[Value], new: &[Value]) -> Vec<Value> {
    let element = element_key(field);
    // matched[j]: the record's element the file's j-th element is.
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    let mut claimed = vec![false; old.len()];
    for key in element.keys {
        for (j, item) in new.iter().enumerate() {
            if matched[j].is_some() || !item.is_object() {
                continue;
            }
            // A key the file leaves empty says nothing.
            if key.iter().all(|f| item.get(*f).is_none_or(Value::is_null)) {
                continue;
            }
            let same: Vec<usize> =
                (0..old.len()).filter(|&i| !claimed[i] && same_key(&old[i], item, key)).collect();
            // Unless elements are paired in order, only a key that picks one element out is trusted (two
            // names in English: neither).
            let pick = match same.as_slice() {
                [one] => Some(*one),
                [first, ..] if element.in_order => Some(*first),
                _ => None,
            };
            if let Some(i) = pick {
                claimed[i] = true;
                matched[j] = Some(i);
            }
        }
    }
    for (j, item) in new.iter().enumerate() {
        if matched[j].is_none() && !item.is_object() {
            if let Some(i) = (0..old.len()).find(|&i| !claimed[i] && same_value(&old[i], item)) {
                claimed[i] = true;
                matched[j] = Some(i);
            }
        }
    }
    let mut out: Vec<Value> = old.to_vec();
    let mut from_file = Vec::new();
    for (item, found) in new.iter().zip(matched) {
        match found {
            Some(i) => {
                // A scalar equal but for case or accents keeps the record's spelling.
                if item.is_object() {
                    out[i] = overlay_element(&old[i], item);
                }
                from_file.push(i);
            }
            None => {
                from_file.push(out.len());
                out.push(item.clone());
            }
        }
    }
    // One primary name: the file's choice wins over the record's.
    if out.iter().filter(|v| v.get("primary") == Some(&Value::Bool(true))).count() > 1 {
        let winner = from_file.iter().copied().find(|&i| out[i].get("primary") == Some(&Value::Bool(true)));
        for (i, item) in out.iter_mut().enumerate() {
            if Some(i) != winner {
                if let Value::Object(fields) = item {
                    fields.insert("primary".into(), Value::Bool(false));
                }
            }
        }
    }
    out
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => crate::text::fold(a.trim()) == crate::text::fold(b.trim()),
        _ => a == b,
    }
}

/// The top-level fields whose value differs between two inputs, each with its old and new value.
pub fn changes(before: &Value, after: &Value) -> Vec<(String, Value, Value)> {
    let empty = Map::new();
    let old = before.as_object().unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let a = old.get(key).cloned().unwrap_or(Value::Null);
            let b = new.get(key).cloned().unwrap_or(Value::Null);
            (without_ids(&a) != without_ids(&b)).then(|| (key.clone(), without_ids(&a), without_ids(&b)))
        })
        .collect()
}

/// A value without the ids of its list elements, which say nothing to a reader of a change.
fn without_ids(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| match item {
                    Value::Object(fields) => Value::Object(
                        fields
                            .iter()
                            .filter(|(k, _)| *k != "id")
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    ),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_files_fields_replace_and_the_rest_is_kept() {
        let old = json!({"country": "CN", "city": "Shanghai", "notes": "keep"});
        let merged = overlay(&old, &json!({"country": "FR", "city": null}));
        assert_eq!(merged, json!({"country": "FR", "city": null, "notes": "keep"}));
    }

    #[test]
    fn a_name_is_matched_by_value_then_by_its_language_and_keeps_its_id() {
        let old = json!({"names": [
            {"id": "a", "value": "Fudan University", "lang": "en", "primary": true},
            {"id": "b", "value": "复旦大学", "lang": "zh-Hans", "primary": false}]});
        let same =
            overlay(&old, &json!({"names": [{"value": "FUDAN UNIVERSITY", "lang": "en", "primary": true}]}));
        assert_eq!(same["names"][0]["id"], "a");
        assert_eq!(same["names"].as_array().map(Vec::len), Some(2), "the Chinese name is kept");
        let renamed = overlay(&old, &json!({"names": [{"value": "复旦", "lang": "zh-Hans"}]}));
        assert_eq!(
            renamed["names"][1],
            json!({"id": "b", "value": "复旦", "lang": "zh-Hans", "primary": false})
        );
        let new_primary =
            overlay(&old, &json!({"names": [{"value": "Université Fudan", "lang": "fr", "primary": true}]}));
        let primaries: Vec<&Value> =
            new_primary["names"].as_array().into_iter().flatten().filter(|n| n["primary"] == true).collect();
        assert_eq!(primaries.len(), 1);
        assert_eq!(primaries[0]["value"], "Université Fudan", "the file's primary name wins");
    }

    #[test]
    fn scalar_lists_gain_what_is_new_and_keep_their_order() {
        let old = json!({"emails": ["a@x.cn", "b@x.cn"]});
        assert_eq!(overlay(&old, &json!({"emails": ["B@x.cn"]})), old);
        assert_eq!(
            overlay(&old, &json!({"emails": ["c@x.cn"]}))["emails"],
            json!(["a@x.cn", "b@x.cn", "c@x.cn"])
        );
    }

    #[test]
    fn a_matched_elements_own_lists_are_the_files_so_the_same_file_twice_changes_nothing() {
        let old = json!({"conditions": [{"id": "k", "mobility": "student_study", "sending_id": "a",
            "receiving_id": "b", "places": 2, "levels": ["eqf6"], "languages": [{"lang": "en", "cefr": "b2"}]}]});
        let file = json!({"conditions": [{"mobility": "student_study", "sending_id": "a", "receiving_id": "b",
            "places": 2, "levels": ["eqf6"], "languages": [{"lang": "en", "cefr": "b2"}]}]});
        assert_eq!(overlay(&old, &file), old);
        assert_eq!(overlay(&overlay(&old, &file), &file), old);
        let fewer = json!({"conditions": [{"mobility": "student_study", "sending_id": "a", "receiving_id": "b",
            "places": 3, "levels": ["eqf6"], "languages": []}]});
        let merged = overlay(&old, &fewer);
        assert_eq!(merged["conditions"].as_array().map(Vec::len), Some(1));
        assert_eq!(merged["conditions"][0]["id"], "k");
        assert_eq!(merged["conditions"][0]["languages"], json!([]), "the file's languages, not a union");
    }

    #[test]
    fn conditions_are_told_apart_by_direction_then_by_order() {
        let condition = |id: &str, from: &str, to: &str, places: i64| {
            json!({"id": id, "mobility": "student_study", "sending_id": from, "receiving_id": to,
                "places": places, "levels": [], "languages": []})
        };
        let old = json!({"conditions": [condition("out", "a", "b", 2), condition("in", "b", "a", 3)]});
        let mut file = json!({"conditions": [condition("", "b", "a", 4), condition("", "a", "b", 2)]});
        for c in file["conditions"].as_array_mut().into_iter().flatten() {
            c.as_object_mut().map(|c| c.remove("id"));
        }
        let merged = overlay(&old, &file);
        assert_eq!(
            merged["conditions"],
            json!([condition("out", "a", "b", 2), condition("in", "b", "a", 4)])
        );
        // The same mobility twice in one direction (two levels, say): paired in order.
        let twice =
            json!({"conditions": [condition("first", "a", "b", 2), condition("second", "a", "b", 5)]});
        let edited = json!({"conditions": [
            {"mobility": "student_study", "sending_id": "a", "receiving_id": "b", "places": 1, "levels": [], "languages": []},
            {"mobility": "student_study", "sending_id": "a", "receiving_id": "b", "places": 6, "levels": [], "languages": []}]});
        assert_eq!(
            overlay(&twice, &edited)["conditions"],
            json!([condition("first", "a", "b", 1), condition("second", "a", "b", 6)])
        );
    }

    #[test]
    fn two_posts_at_one_organisation_are_two_affiliations_kept_as_they_are() {
        let old = json!({"affiliations": [
            {"id": "now", "partner_id": "p", "role": "Professor", "start_date": "2022-09-01", "end_date": null},
            {"id": "before", "partner_id": "p", "role": "Director", "start_date": "2015-09-01", "end_date": "2022-08-31"}]});
        let file = json!({"affiliations": [
            {"partner_id": "p", "role": "Professor", "start_date": "2022-09-01", "end_date": null},
            {"partner_id": "p", "role": "Director", "start_date": "2015-09-01", "end_date": "2022-08-31"}]});
        assert_eq!(overlay(&old, &file), old);
    }

    #[test]
    fn changes_name_the_fields_that_differ_without_list_ids() {
        let before =
            json!({"city": "Lyon", "names": [{"id": "a", "value": "X", "lang": "fr"}], "kind": "university"});
        let after = json!({"city": "Paris", "names": [{"id": "a", "value": "X", "lang": "fr"}], "kind": "university"});
        assert_eq!(changes(&before, &after), vec![("city".to_owned(), json!("Lyon"), json!("Paris"))]);
    }
}
