//! Field names as words.

use super::format::clean;
use crate::text::sanitize;

/// Words that read in capitals.
pub(super) const ACRONYMS: &[&str] = &[
    "id", "udf", "vat", "acr", "url", "uri", "api", "jwt", "sms", "otp", "pin", "iban", "bic",
    "ip", "crm", "tin", "uuid", "ssn", "nfc", "gps", "http", "https", "json", "cvv", "utc",
];

/// A field name as words: "date_of_birth" -> "Date of birth", "id_number" -> "ID number",
/// "udf_string_1" -> "UDF string 1", "dateOfBirth" -> "Date of birth", "userID" -> "User ID".
/// Both `rewards_participant` and `reward_participant` read "Rewards participant".
/// Sanitized and cut to [`MAX_VALUE_CHARS`]. A key that is `""` reads "(empty key)", one
/// with nothing printable "(blank key)": a row must never have an invisible label.
pub(super) fn humanize_label(key: &str) -> String {
    if key.is_empty() {
        return "(empty key)".to_owned();
    }
    let key = sanitize(key);
    if key.trim().is_empty() {
        return "(blank key)".to_owned();
    }
    if matches!(
        key.as_ref(),
        "rewards_participant" | "reward_participant" | "rewardsParticipant" | "rewardParticipant"
    ) {
        return "Rewards participant".to_owned();
    }
    let words = split_words(&key);
    if words.is_empty() {
        return clean(&key);
    }
    let all_caps = !key.chars().any(char::is_lowercase);
    let mut out = String::with_capacity(key.len() + 4);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        let shouting =
            !all_caps && word.chars().count() > 1 && !word.chars().any(char::is_lowercase);
        if ACRONYMS.contains(&lower.as_str()) || shouting {
            out.push_str(&lower.to_uppercase());
        } else if i == 0 {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&lower);
        }
    }
    clean(&out)
}

/// Splits on `_`, `-`, `.`, spaces and camelCase boundaries ("HTTPServer" -> "HTTP", "Server").
pub(super) fn split_words(key: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for part in key.split(['_', '-', '.', ' ']) {
        let chars: Vec<(usize, char)> = part.char_indices().collect();
        let mut start = 0;
        for w in 1..chars.len() {
            let (at, c) = chars[w];
            let prev = chars[w - 1].1;
            let next_lower = chars.get(w + 1).is_some_and(|(_, n)| n.is_lowercase());
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_lower));
            if boundary {
                words.push(&part[start..at]);
                start = at;
            }
        }
        if start < part.len() {
            words.push(&part[start..]);
        }
    }
    words
}
