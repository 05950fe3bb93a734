//! JSON as servers send it, read without losing what a clerk may need to see: numbers keep
//! every digit (serde_json's `arbitrary_precision`, so `1e400` and 30-digit integers survive),
//! and a key an object names twice is noted rather than silently resolved.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

/// A JSON value and the places where one of its objects named a key more than once. The
/// value holds the last of each repeated key, as every JSON reader does; `repeated` lists
/// those keys as JSON pointers (RFC 6901) into the value, sorted, each once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub value: Value,
    pub repeated: Vec<String>,
}

impl From<Value> for Document {
    fn from(value: Value) -> Document {
        Document {
            value,
            repeated: Vec::new(),
        }
    }
}

impl Document {
    pub fn parse(bytes: &[u8]) -> Result<Document, serde_json::Error> {
        let value = serde_json::from_slice(bytes)?;
        // Only a document serde_json accepted is scanned, so the scan can trust its shape.
        Ok(Document {
            value,
            repeated: repeated_keys(bytes),
        })
    }

    /// True when `key` of the top-level object was given more than once, or a key inside it.
    pub fn repeats_within(&self, key: &str) -> bool {
        let own = pointer_segment(key);
        self.repeated.iter().any(|pointer| {
            pointer
                .strip_prefix('/')
                .and_then(|rest| rest.strip_prefix(own.as_ref()))
                .is_some_and(|after| after.is_empty() || after.starts_with('/'))
        })
    }

    /// The value of the top-level field `key` (null when absent) as a document of its own.
    pub fn into_field(self, key: &str) -> Document {
        let value = match self.value {
            Value::Object(mut map) => map.remove(key).unwrap_or(Value::Null),
            _ => Value::Null,
        };
        let prefix = format!("/{}", pointer_segment(key));
        Document {
            value,
            repeated: rerooted(&self.repeated, &prefix),
        }
    }

    /// The items of an array, each a document of its own; anything else is one item.
    pub fn into_items(self) -> Vec<Document> {
        match self.value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, value)| Document {
                    value,
                    repeated: rerooted(&self.repeated, &format!("/{i}")),
                })
                .collect(),
            value => vec![Document {
                value,
                repeated: self.repeated,
            }],
        }
    }
}

/// The pointers under `prefix`, written relative to it.
fn rerooted(pointers: &[String], prefix: &str) -> Vec<String> {
    pointers
        .iter()
        .filter_map(|p| p.strip_prefix(prefix))
        .filter(|rest| rest.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

/// A key as one segment of a JSON pointer.
fn pointer_segment(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

/// Where a scan is inside the document: in an object (the keys seen so far, and the key
/// whose value is being read) or in an array (the index of the item being read).
enum Frame<'a> {
    Object {
        seen: HashSet<Cow<'a, str>>,
        key: Cow<'a, str>,
    },
    Array {
        index: usize,
    },
}

/// The JSON pointers of every key an object repeats, in one pass over bytes serde_json has
/// already accepted as JSON. Nothing recurses, so depth costs no stack.
fn repeated_keys(bytes: &[u8]) -> Vec<String> {
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut found = BTreeSet::new();
    // After `{` or an object's `,` the next string is a key.
    let mut expect_key = false;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'{' => {
                frames.push(Frame::Object {
                    seen: HashSet::new(),
                    key: Cow::Borrowed(""),
                });
                expect_key = true;
            }
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { .. }) => expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let end = string_end(bytes, i);
                if expect_key {
                    expect_key = false;
                    if let Some(Frame::Object { seen, key }) = frames.last_mut() {
                        let name = decode_string(&bytes[i..end]);
                        let again = !seen.insert(name.clone());
                        *key = name;
                        if again {
                            found.insert(pointer_of(&frames));
                        }
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found.into_iter().collect()
}

/// One past the closing quote of the string that opens at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A JSON string literal, quotes included, as text: borrowed unless it holds escapes.
fn decode_string(literal: &[u8]) -> Cow<'_, str> {
    let inner = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    if !inner.contains(&b'\\')
        && let Ok(text) = std::str::from_utf8(inner)
    {
        return Cow::Borrowed(text);
    }
    serde_json::from_slice::<String>(literal)
        .map(Cow::Owned)
        .unwrap_or_else(|_| String::from_utf8_lossy(inner))
}

fn pointer_of(frames: &[Frame<'_>]) -> String {
    let mut pointer = String::new();
    for frame in frames {
        pointer.push('/');
        match frame {
            Frame::Object { key, .. } => pointer.push_str(&pointer_segment(key)),
            Frame::Array { index } => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repeated(text: &str) -> Vec<String> {
        Document::parse(text.as_bytes())
            .expect("valid JSON")
            .repeated
    }

    #[test]
    fn repeated_keys_are_found_at_any_depth_and_named_by_pointer() {
        assert_eq!(repeated(r#"{"a":1,"b":2}"#), Vec::<String>::new());
        assert_eq!(repeated(r#"{"a":1,"a":2}"#), ["/a"]);
        assert_eq!(
            repeated(r#"{"x":[{"a":1},{"b":{"c":1,"c":[1,2],"c":3}}],"y":{"a~/b":1,"a~/b":2}}"#),
            ["/x/1/b/c", "/y/a~0~1b"]
        );
        // Escapes name the same key as their plain spelling.
        assert_eq!(repeated(r#"{"name":1,"n\u0061me":2}"#), ["/name"]);
        // Strings that hold quotes, braces and commas are not structure.
        assert_eq!(
            repeated(r#"{"k":"a\"b,{\"k\":1}","v":["}",","],"k2":"\\"}"#),
            Vec::<String>::new()
        );
        assert_eq!(repeated(r#"{"":1,"":2}"#), ["/"]);
    }

    #[test]
    fn the_last_value_is_the_one_kept() {
        let doc = Document::parse(br#"{"state":"EFFECTIVE","state":"NOT_EFFECTIVE"}"#)
            .expect("valid JSON");
        assert_eq!(doc.value, json!({"state": "NOT_EFFECTIVE"}));
    }

    #[test]
    fn fields_and_items_carry_their_own_repeats() {
        let doc = Document::parse(
            br#"{"status":{"code":"OK"},"data":[{"a":1},{"b":1,"b":2}],"datum":{"x":1,"x":2}}"#,
        )
        .expect("valid JSON");
        assert!(doc.repeats_within("data"));
        assert!(!doc.repeats_within("status"));
        let items = doc.into_field("data").into_items();
        assert_eq!(items.len(), 2);
        assert!(items[0].repeated.is_empty());
        assert_eq!(items[1].repeated, ["/b"]);
        assert_eq!(items[1].value, json!({"b": 2}));
    }

    #[test]
    fn numbers_keep_every_digit() {
        let doc = Document::parse(
            br#"{"huge":1e400,"tiny":1e-400,"big":123456789012345678901234567890,"money":1.50}"#,
        )
        .expect("numbers beyond f64 are still JSON");
        assert_eq!(doc.value["huge"].to_string(), "1e+400");
        assert_eq!(doc.value["tiny"].to_string(), "1e-400");
        assert_eq!(
            doc.value["big"].to_string(),
            "123456789012345678901234567890"
        );
        assert_eq!(doc.value["money"].to_string(), "1.50");
    }

    #[test]
    fn the_scan_never_panics_on_what_serde_accepts() {
        for text in [
            r#""\\""#,
            "[]",
            "{}",
            r#"[{"a":"\u00e9\"","a":1}]"#,
            "1e400",
        ] {
            let _ = Document::parse(text.as_bytes()).expect("valid JSON");
        }
        assert_eq!(repeated_keys(br#"{"a":1,"a":"#), ["/a"]);
        let _ = repeated_keys(br#"{"a":1,"a"#);
        assert_eq!(repeated_keys(b"\"unterminated"), Vec::<String>::new());
    }
}
