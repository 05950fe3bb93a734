//! The simulated back office's data and users: the demo credentials, and access tokens from
//! the data compiled into the binary or from a file in the same format.

use std::path::Path;

use serde::Deserialize;

pub const DEMO_USERNAME: &str = "clerk";
pub const DEMO_PASSWORD: &str = "demo";
pub const DEMO_ORGANISATION: &str = "DEMO";

const DEMO_TOKENS_JSON: &str = include_str!("../../assets/demo-tokens.json");

/// One access token of the simulated back office.
#[derive(Clone, Debug, Deserialize)]
pub struct DemoToken {
    /// Checked when the token is addressed by `identifier`.
    pub pass_code: String,
    /// The access token object exactly as the API returns it.
    pub data: serde_json::Value,
}

#[derive(Deserialize)]
struct TokenFile {
    tokens: Vec<DemoToken>,
}

/// The demo data compiled into the binary.
pub fn demo_tokens() -> Vec<DemoToken> {
    parse_tokens(DEMO_TOKENS_JSON)
        .expect("the embedded assets/demo-tokens.json is valid (a test checks it)")
}

/// Access tokens from a file in the format of `assets/demo-tokens.json`.
pub fn load_tokens(path: &Path) -> Result<Vec<DemoToken>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("Could not read the token file {}: {error}.", path.display()))?;
    parse_tokens(&text)
        .map_err(|error| format!("The token file {} is not usable: {error}", path.display()))
}

fn parse_tokens(text: &str) -> Result<Vec<DemoToken>, String> {
    let file: TokenFile = serde_json::from_str(text).map_err(|error| {
        format!("expected {{\"tokens\": [{{\"pass_code\": ..., \"data\": {{...}}}}]}} ({error}).")
    })?;
    if let Some(position) = file.tokens.iter().position(|token| !token.data.is_object()) {
        return Err(format!(
            "token {} has a data value that is not an object.",
            position + 1
        ));
    }
    Ok(file.tokens)
}

/// An accounts receivable with `count` access tokens of its own, for trying batches and
/// paging on a large account: seven in ten EFFECTIVE, two NOT_EFFECTIVE, one
/// PENDING_VERIFICATION. `index` tells several bulk accounts' numbers and codes apart:
/// token numbers are `AT9{index}` and eight digits, codes `88{index}` and eight digits.
pub fn bulk_account(account: &str, count: u32, index: u8) -> Vec<DemoToken> {
    let account_id = format!("B0{index:02X}{:028X}", u128::from(count));
    (1..=count)
        .map(|n| {
            let state = match n % 10 {
                3 | 7 => "NOT_EFFECTIVE",
                9 => "PENDING_VERIFICATION",
                _ => "EFFECTIVE",
            };
            DemoToken {
                pass_code: "0000".into(),
                data: serde_json::json!({
                    "id": format!("B1{index:02X}{n:028X}"),
                    "number": format!("AT9{index}{n:08}"),
                    "life_cycle_state": state,
                    "authentication_code": format!("88{index}{n:08}"),
                    "identifier": format!("bulk-{index}-{n}"),
                    "classification": {"name": "Contactless Card", "alternative_code": "CC"},
                    "accounts_receivable": {
                        "id": account_id,
                        "number": account,
                        "name": format!("{account} Bulk Account"),
                        "life_cycle_state": "ACTIVE",
                    },
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_accounts_mix_states_and_never_share_a_code() {
        let mut tokens = bulk_account("ACR0000009000", 20, 0);
        tokens.extend(bulk_account("ACR0000009001", 20, 1));
        let states: Vec<&str> = tokens[..10]
            .iter()
            .map(|t| t.data["life_cycle_state"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(states.iter().filter(|s| **s == "EFFECTIVE").count(), 7);
        assert_eq!(states.iter().filter(|s| **s == "NOT_EFFECTIVE").count(), 2);
        assert_eq!(
            states
                .iter()
                .filter(|s| **s == "PENDING_VERIFICATION")
                .count(),
            1
        );
        let codes: std::collections::HashSet<&str> = tokens
            .iter()
            .map(|t| t.data["authentication_code"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(codes.len(), 40);
        assert_eq!(tokens[0].data["number"], "AT9000000001");
        assert_eq!(
            tokens[0].data["accounts_receivable"]["number"],
            "ACR0000009000"
        );
    }

    #[test]
    fn embedded_demo_data_parses() {
        let tokens = parse_tokens(DEMO_TOKENS_JSON).expect("embedded demo data parses");
        assert!(tokens.len() >= 44, "{}", tokens.len());
    }

    #[test]
    fn load_tokens_explains_what_is_wrong() {
        let missing = load_tokens(Path::new("/no/such/tokens.json")).expect_err("no file");
        assert!(missing.contains("/no/such/tokens.json"), "{missing}");
        let not_objects =
            parse_tokens(r#"{"tokens":[{"pass_code":"1","data":[]}]}"#).expect_err("bad data");
        assert!(not_objects.contains("token 1"), "{not_objects}");
        assert!(parse_tokens("[]").is_err());
    }
}
