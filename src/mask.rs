//! Which fields hold personal data, and how they are shown until a clerk reveals them. One
//! rule for the console (tree, header, raw JSON) and the command line (text and `--json`),
//! so a script sees what a clerk sees.
//!
//! A field is masked when its name is one of [`BUILT_IN`] or the config file's `mask` list,
//! compared leniently: case, `_`, `-` and camelCase do not matter (`idNumber`, `ID_NUMBER`
//! and `id_number` are one field). Everything inside a masked field is masked too (a date of
//! birth sent as day, month and year). A masked value reads as [`Glyph`] plus its last two
//! characters; a value of two characters or fewer is masked whole; numbers and booleans are
//! masked by their text. Empty values and nulls stay as they are: they hold nothing.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// The fields CRM.COM uses for personal data, as its demographics and tokens name them.
pub const BUILT_IN: [&str; 7] = [
    "id_number",
    "passport_number",
    "social_security_number",
    "date_of_birth",
    "name_day",
    "verification_code",
    "pass_code",
];

/// How many characters at the end of a masked value stay readable.
const KEPT: usize = 2;

/// What stands for the hidden part of a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Glyph {
    /// `••••`
    #[default]
    Bullets,
    /// `****`, for a terminal that is not UTF-8.
    Ascii,
}

impl Glyph {
    pub fn text(self) -> &'static str {
        match self {
            Glyph::Bullets => "••••",
            Glyph::Ascii => "****",
        }
    }
}

/// The masking rule: which fields, and the glyph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mask {
    /// Normalised names (see [`normalise`]), the built-in ones first.
    fields: Vec<String>,
    glyph: Glyph,
}

impl Default for Mask {
    /// The built-in fields, with bullets.
    fn default() -> Mask {
        Mask::new(&[], Glyph::default())
    }
}

impl Mask {
    /// The built-in fields and `extra` (the config file's `mask`).
    pub fn new(extra: &[String], glyph: Glyph) -> Mask {
        let mut fields: Vec<String> = Vec::new();
        for name in BUILT_IN
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
        {
            let name = normalise(name);
            if !name.is_empty() && !fields.contains(&name) {
                fields.push(name);
            }
        }
        Mask { fields, glyph }
    }

    /// Whether the field `key` holds personal data.
    pub fn covers(&self, key: &str) -> bool {
        let key = normalise(key);
        self.fields.contains(&key)
    }

    /// Whether any of `keys` holds personal data.
    pub fn covers_any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.covers(k))
    }

    /// `text` as it is shown masked: the glyph and its last two characters, or the glyph
    /// alone for two characters or fewer. Empty text stays empty.
    pub fn hide(&self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let count = text.chars().count();
        let mut out = self.glyph.text().to_owned();
        if count > KEPT {
            out.extend(text.chars().skip(count - KEPT));
        }
        out
    }

    /// `text` of the field named by one of `keys`, as shown: masked when one of them is
    /// covered and `revealed` is false.
    pub fn show<'a>(&self, keys: &[&str], text: &'a str, revealed: bool) -> Cow<'a, str> {
        if revealed || !self.covers_any(keys) {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(self.hide(text))
        }
    }

    /// A copy of `value` with every masked field's data masked, keeping its shape: a
    /// string, number or boolean becomes the masked string of its text; objects and arrays
    /// inside a masked field are masked all through; null and `""` stay.
    pub fn json(&self, value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, field)| {
                        let field = if self.covers(key) {
                            self.hide_all(field)
                        } else {
                            self.json(field)
                        };
                        (key.clone(), field)
                    })
                    .collect::<Map<String, Value>>(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.json(v)).collect()),
            scalar => scalar.clone(),
        }
    }

    /// Whether `value` holds anything masking hides.
    pub fn hides_anything_in(&self, value: &Value) -> bool {
        self.json(value) != *value
    }

    fn hide_all(&self, value: &Value) -> Value {
        match value {
            Value::Null => Value::Null,
            Value::String(s) => Value::String(self.hide(s)),
            Value::Number(n) => Value::String(self.hide(&n.to_string())),
            Value::Bool(b) => Value::String(self.hide(&b.to_string())),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.hide_all(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.hide_all(v)))
                    .collect(),
            ),
        }
    }
}

/// A field name as compared: lower case, without `_`, `-` and spaces, so that `idNumber`,
/// `ID_NUMBER` and `id-number` are `idnumber`.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_keeps_its_last_two_characters() {
        let mask = Mask::default();
        assert_eq!(mask.hide("64598419"), "••••19");
        assert_eq!(mask.hide("K5779275"), "••••75");
        assert_eq!(mask.hide("abc"), "••••bc");
    }

    #[test]
    fn two_characters_or_fewer_are_masked_whole() {
        let mask = Mask::default();
        assert_eq!(mask.hide("42"), "••••");
        assert_eq!(mask.hide("7"), "••••");
        assert_eq!(mask.hide("€€"), "••••");
        assert_eq!(mask.hide(""), "");
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let mask = Mask::default();
        assert_eq!(mask.hide("Δημήτρης"), "••••ης");
        assert_eq!(mask.hide("日本語の名前"), "••••名前");
    }

    #[test]
    fn the_ascii_glyph_is_stars() {
        let mask = Mask::new(&[], Glyph::Ascii);
        assert_eq!(mask.hide("817678653"), "****53");
        assert_eq!(mask.hide("ab"), "****");
    }

    #[test]
    fn field_names_match_leniently() {
        let mask = Mask::new(&["Tax-Number".into()], Glyph::Bullets);
        for key in [
            "id_number",
            "ID_NUMBER",
            "idNumber",
            "IdNumber",
            "dateOfBirth",
            "NAME_DAY",
            "passCode",
            "verificationCode",
            "socialSecurityNumber",
            "tax_number",
            "taxNumber",
        ] {
            assert!(mask.covers(key), "{key}");
        }
        for key in [
            "id",
            "number",
            "id_number_expiration_date",
            "passport_issued_by_country",
        ] {
            assert!(!mask.covers(key), "{key}");
        }
        assert!(!Mask::default().covers("tax_number"));
    }

    #[test]
    fn json_keeps_its_shape_and_masks_every_kind_of_value() {
        let mask = Mask::default();
        let data = json!({
            "number": "AT1",
            "verification_code": 294751,
            "pass_code": true,
            "owner": {"demographics": {
                "id_number": "64598419",
                "passport_number": null,
                "social_security_number": "",
                "date_of_birth": {"day": 21, "month": 4, "year": 1991},
            }},
            "items": [{"idNumber": "12"}],
        });
        assert_eq!(
            mask.json(&data),
            json!({
                "number": "AT1",
                "verification_code": "••••51",
                "pass_code": "••••ue",
                "owner": {"demographics": {
                    "id_number": "••••19",
                    "passport_number": null,
                    "social_security_number": "",
                    "date_of_birth": {"day": "••••", "month": "••••", "year": "••••91"},
                }},
                "items": [{"idNumber": "••••"}],
            })
        );
        assert!(mask.hides_anything_in(&data));
        assert!(!mask.hides_anything_in(&json!({"number": "AT1", "id_number": null})));
    }

    #[test]
    fn show_masks_only_covered_fields_and_only_until_revealed() {
        let mask = Mask::new(&["classification".into()], Glyph::Bullets);
        assert_eq!(
            mask.show(&["number"], "AT0000000671", false),
            "AT0000000671"
        );
        assert_eq!(
            mask.show(&["classification"], "Mobile Application", false),
            "••••on"
        );
        assert_eq!(
            mask.show(&["classification"], "Mobile Application", true),
            "Mobile Application"
        );
    }
}
