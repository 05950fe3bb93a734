//! The order of fields within an object.

use std::cmp::Ordering;

use serde_json::Value;

use super::format::date_parts;

/// (band, priority): compared first; ties are broken by the natural order of the key.
pub(super) type FieldRank = (u8, usize);

/// Place of a well-known token field, top level.
pub(super) fn top_priority(key: &str) -> Option<usize> {
    Some(match key {
        "number" => 0,
        "life_cycle_state" => 1,
        "authentication_code" => 2,
        "identifier" => 3,
        "card_masked_number" => 4,
        "classification" => 5,
        "rewards_participant" => 6,
        "reward_participant" => 7,
        "accounts_receivable" => 8,
        "verified_by_user" => 9,
        "verified_date" => 10,
        "verification_code" => 11,
        "card_last_4_digits" => 12,
        _ => return None,
    })
}

/// Place of a well-known field inside a section.
pub(super) fn nested_priority(key: &str) -> Option<usize> {
    Some(match key {
        "number" => 0,
        "name" => 1,
        "person_name" => 2,
        "username" => 3,
        "title" => 4,
        "first_name" => 5,
        "middle_name" => 6,
        "last_name" => 7,
        "company_name" => 8,
        "type" => 9,
        "life_cycle_state" => 10,
        "code" => 11,
        "alternative_code" => 12,
        "description" => 13,
        "email" => 14,
        "gender" => 15,
        "date_of_birth" => 16,
        "name_day" => 17,
        "created_date" => 18,
        "updated_date" => 19,
        "accounts_receivable" => 20,
        "account_owner" => 21,
        "demographics" => 22,
        "company_profile" => 23,
        "created_by_user" => 24,
        "created_by_unit" => 25,
        "updated_by_user" => 26,
        "updated_by_unit" => 27,
        _ => return None,
    })
}

pub(super) fn renders_as_leaf(value: &Value) -> bool {
    match value {
        Value::Object(map) => date_parts(map).is_some(),
        Value::Array(_) => false,
        _ => true,
    }
}

pub(super) fn field_rank(key: &str, value: &Value, top: bool) -> FieldRank {
    if key == "id" {
        return (9, 0);
    }
    if top {
        if let Some(p) = top_priority(key) {
            return (0, p);
        }
        if key.starts_with("udf_") {
            return (3, 0);
        }
        if key == "log_information" {
            return (4, 0);
        }
        return if renders_as_leaf(value) {
            (1, 0)
        } else {
            (2, 0)
        };
    }
    let leaf = renders_as_leaf(value);
    match (nested_priority(key), leaf) {
        (Some(p), true) => (0, p),
        (None, true) => (1, 0),
        (Some(p), false) => (2, p),
        (None, false) => (3, 0),
    }
}

/// Compares digit runs by value: "a2" < "a10". Falls back to byte order on ties.
pub(super) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (rx, ry) = (run(x), run(y));
                let (nx, ny) = (trim_zeros(&x[..rx]), trim_zeros(&y[..ry]));
                let order = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[rx..];
                y = &y[ry..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

pub(super) fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|c| **c == b'0').count();
    &digits[zeros..]
}
