//! What the benches share: the large token they measure against.

use serde_json::{Value, json};
use tokendesk::tree::TokenTree;

/// A token whose `entries` array holds 2,000 nested objects: 68,0xx nodes in all.
pub fn big_token() -> Value {
    let entries: Vec<Value> = (0..2000)
        .map(|i| {
            json!({
                "number": format!("EN{i:08}"),
                "name": format!("Entry {i}"),
                "life_cycle_state": if i % 2 == 0 { "EFFECTIVE" } else { "NOT_EFFECTIVE" },
                "amount": i * 3,
                "note": null,
                "udf_string_1": "",
                "id": format!("{i:032X}"),
                "account_owner": {
                    "first_name": "Polina",
                    "last_name": "Kestora",
                    "company_name": null,
                    "demographics": {
                        "date_of_birth": { "day": 3, "month": 3, "year": 1985 },
                        "gender": "FEMALE",
                        "id_number": "112233",
                        "country_of_residence": { "name": "CYPRUS", "id": "57" }
                    }
                },
                "log_information": {
                    "created_date": "2017-09-14T12:18:01",
                    "updated_date": "2017-09-14T12:20:06",
                    "created_by_user": { "person_name": "CRM COM", "username": "admin", "id": "1" },
                    "updated_by_unit": { "name": "Admin Unit", "alternative_code": "adminunit", "id": "1" },
                    "tags": ["a", "b", null]
                }
            })
        })
        .collect();
    json!({
        "number": "AT0000000671",
        "life_cycle_state": "EFFECTIVE",
        "authentication_code": "99021047380",
        "entries": entries,
        "id": "607F9A540C2E4698A0598B8880F873F4"
    })
}

/// Moves the cursor to the first visible row labelled `label`; a bench set up on a row that
/// is not there should stop at once, not walk forever.
pub fn select_row(tree: &mut TokenTree, label: &str) {
    let Some(index) = tree
        .visible()
        .iter()
        .position(|&id| tree.node(id).label == label)
    else {
        panic!("no visible row labelled {label}");
    };
    tree.home();
    for _ in 0..index {
        tree.move_down();
    }
}
