//! A row laid over the record it updates: the file's fields replace the record's, lists are merged element
//! by element (a name by its value, else its language; a party by its organisation), and what the file does
//! not mention is kept — so a file with a few columns never wipes the rest of a record.

use serde_json::{Map, Value};

/// The key that identifies an element of a record's list among its siblings, by the list's field name.
fn element_keys(field: &str) -> &'static [&'static str] {
    match field {
        "names" => &["value", "lang"],
        "identifiers" => &["scheme"],
        "affiliations" | "parties" | "partners" => &["partner_id"],
        "conditions" => &["mobility"],
        "criteria" => &["name"],
        "reviews" => &["reviewer_id"],
        _ => &[],
    }
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

fn merge_list(field: &str, old: &[Value], new: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = old.to_vec();
    let mut claimed = vec![false; old.len()];
    let keys = element_keys(field);
    let mut from_file = Vec::new();
    for item in new {
        let found = match item {
            Value::Object(fields) => keys.iter().find_map(|key| {
                let wanted = fields.get(*key).filter(|v| !v.is_null())?;
                let same: Vec<usize> = (0..old.len())
                    .filter(|&i| !claimed[i] && old[i].get(*key).is_some_and(|v| same_value(v, wanted)))
                    .collect();
                // Only a key that picks one element out is trusted (two names in English: neither).
                (same.len() == 1).then(|| same[0])
            }),
            scalar => (0..old.len()).find(|&i| !claimed[i] && same_value(&old[i], scalar)),
        };
        match found {
            Some(i) => {
                claimed[i] = true;
                // A scalar equal but for case or accents keeps the record's spelling.
                if item.is_object() {
                    out[i] = overlay(&old[i], item);
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
    fn changes_name_the_fields_that_differ_without_list_ids() {
        let before =
            json!({"city": "Lyon", "names": [{"id": "a", "value": "X", "lang": "fr"}], "kind": "university"});
        let after = json!({"city": "Paris", "names": [{"id": "a", "value": "X", "lang": "fr"}], "kind": "university"});
        assert_eq!(changes(&before, &after), vec![("city".to_owned(), json!("Lyon"), json!("Paris"))]);
    }
}
