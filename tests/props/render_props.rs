//! Whatever JSON a server sends, the console draws it: arbitrary documents (deep, wide, odd
//! keys, numbers beyond f64, hostile strings, keys given twice) become a token tree that is
//! drawn at every size from 1x1 to 200x60, collapsed, expanded, with empties and as raw
//! JSON, without a panic and without one character a terminal would act on.

use crate::support;

use proptest::prelude::*;
use support::{Harness, KeyCode};
use tokendesk::api::{Document, Reply};

/// JSON as text, so that numbers, escapes and repeated keys are exactly as a server could
/// send them.
#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    /// A number literal, written as is.
    Number(String),
    Text(String),
    Array(Vec<Json>),
    /// Fields in order; a key may come twice.
    Object(Vec<(String, Json)>),
}

impl Json {
    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::Text(s) => out.push_str(&serde_json::to_string(s).expect("a string")),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(key).expect("a key"));
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Strings a hostile or careless server might send: escapes, C1 controls, bidi marks, line
/// separators, wide and combining characters, very long text, and anything at all.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "\u{1b}[2J\u{1b}]0;pwned\u{7}",
            "\u{1b}[31mred\u{1b}[0m",
            "a\u{9b}2Jb",
            "\u{202e}gnp.exe",
            "\u{061c}\u{200f}\u{2067}mark",
            "line\u{2028}break\u{2029}para",
            "tab\there\r\nnew",
            "漢字かなカナ",
            "e\u{301}\u{301}\u{301}",
            "👩‍👩‍👧‍👦",
            "\u{0}\u{7f}",
            "2017-09-14T12:18:01",
            "EFFECTIVE",
            "NOT_EFFECTIVE",
        ])
        .prop_map(str::to_owned),
        "[a-z_ ]{0,30}",
        ".{0,40}",
        Just("x".repeat(5000)),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "number",
            "life_cycle_state",
            "authentication_code",
            "accounts_receivable",
            "rewards_participant",
            "name",
            "day",
            "month",
            "year",
            "id",
            "a/b~c",
            "camelCaseKey",
            "UPPER_KEY",
        ])
        .prop_map(str::to_owned),
        hostile_text(),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0",
            "-0",
            "1e400",
            "-1E+400",
            "1e-400",
            "123456789012345678901234567890",
            "-98765432109876543210987654321098765432",
            "0.000000000000000000000000000001",
            "1.50",
            "3",
            "12",
        ])
        .prop_map(str::to_owned),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::Number::from_f64(f).map_or("0".into(), |n| n.to_string())),
    ]
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number().prop_map(Json::Number),
        hostile_text().prop_map(Json::Text),
    ];
    leaf.prop_recursive(12, 400, 24, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..24).prop_map(Json::Array),
            prop::collection::vec((key(), inner), 0..24).prop_map(Json::Object),
        ]
    })
}

/// A token-shaped document: an object with the usual fields beside whatever was made.
fn token() -> impl Strategy<Value = Json> {
    (json(), prop::collection::vec((key(), json()), 0..8)).prop_map(|(extra, mut fields)| {
        fields.insert(0, ("number".into(), Json::Text("AT1".into())));
        fields.insert(1, ("authentication_code".into(), Json::Text("1".into())));
        fields.push(("extra".into(), extra));
        Json::Object(fields)
    })
}

/// A character a terminal would act on rather than print, or one that reorders or breaks
/// a line.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn check_screen(h: &Harness, what: &str) -> Result<(), TestCaseError> {
    for cell in h.buffer().content() {
        prop_assert!(
            !cell.symbol().chars().any(is_unsafe),
            "{}: {:?} on screen",
            what,
            cell.symbol()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_document_draws_at_any_size_without_a_panic_or_a_control_character(
        document in prop_oneof![json(), token()],
        sizes in prop::collection::vec((1u16..=200, 1u16..=60), 1..4),
    ) {
        let mut text = String::new();
        document.write(&mut text);
        let parsed = Document::parse(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text}")))?;
        let mut h = Harness::new(80, 24);
        h.search("1");
        h.answer(Ok(Reply::Token(parsed)));
        for (width, height) in sizes {
            h.resize(width, height);
            h.render();
            check_screen(&h, "collapsed")?;
            h.key('E');
            h.press(KeyCode::End);
            h.render();
            check_screen(&h, "expanded, at the end")?;
            h.key('n');
            h.press(KeyCode::PageUp);
            h.render();
            check_screen(&h, "empties shown")?;
            h.key('r');
            h.press(KeyCode::PageDown);
            h.render();
            check_screen(&h, "raw JSON")?;
            h.key('r');
        }
    }
}
