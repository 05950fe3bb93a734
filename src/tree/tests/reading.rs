//! Building: labels, values, dates, empties, order, shapes, summaries, the real payloads.

use super::*;

// ---- labels ----

#[test]
fn labels_read_as_words() {
    assert_eq!(humanize_label("date_of_birth"), "Date of birth");
    assert_eq!(humanize_label("id_number"), "ID number");
    assert_eq!(humanize_label("udf_string_1"), "UDF string 1");
    assert_eq!(
        humanize_label("vat_registration_number"),
        "VAT registration number"
    );
    assert_eq!(humanize_label("id"), "ID");
    assert_eq!(humanize_label("card_last_4_digits"), "Card last 4 digits");
    assert_eq!(humanize_label("life_cycle_state"), "Life cycle state");
}

#[test]
fn camel_case_labels_read_as_words() {
    assert_eq!(humanize_label("dateOfBirth"), "Date of birth");
    assert_eq!(humanize_label("userID"), "User ID");
    assert_eq!(humanize_label("HTTPServer"), "HTTP server");
    assert_eq!(humanize_label("idNumber"), "ID number");
}

#[test]
fn both_participant_spellings_read_the_same() {
    assert_eq!(humanize_label("rewards_participant"), "Rewards participant");
    assert_eq!(humanize_label("reward_participant"), "Rewards participant");
}

#[test]
fn odd_keys_still_give_a_label() {
    assert_eq!(humanize_label(""), "(empty key)");
    assert_eq!(humanize_label("   "), "(blank key)");
    assert_eq!(humanize_label("\u{1b}[31m\u{202E}"), "(blank key)");
    assert_eq!(humanize_label("___"), "___");
    assert_eq!(humanize_label("STATE"), "State");
}

// ---- values ----

#[test]
fn date_times_read_as_dates() {
    let f = |s: &str| format_scalar("created_date", &json!(s));
    // CRM.COM's times carry no zone: they are the server's clock, and say so.
    assert_eq!(f("2017-09-14T12:18:01"), "14 Sep 2017 12:18:01 server time");
    assert_eq!(f("2017-09-14"), "14 Sep 2017");
    assert_eq!(f("2017-09-14 08:05"), "14 Sep 2017 08:05 server time");
    assert_eq!(f("2017-09-14T12:18:01.123Z"), "14 Sep 2017 12:18:01 UTC");
    assert_eq!(
        f("2017-09-14T12:18:01+02:00"),
        "14 Sep 2017 12:18:01 +02:00"
    );
}

#[test]
fn things_that_only_look_like_dates_stay_as_they_are() {
    let f = |s: &str| format_scalar("note", &json!(s));
    assert_eq!(f("2017-13-14"), "2017-13-14");
    assert_eq!(f("2017-09-14T25:00:00"), "2017-09-14T25:00:00");
    assert_eq!(f("2017-09-14 and more"), "2017-09-14 and more");
    assert_eq!(f("2017-09-1x"), "2017-09-1x");
    assert_eq!(
        format_scalar("authentication_code", &json!("2017-09-14")),
        "2017-09-14"
    );
}

#[test]
fn scalars_are_readable() {
    assert_eq!(
        format_scalar("life_cycle_state", &json!("NOT_EFFECTIVE")),
        "NOT_EFFECTIVE"
    );
    assert_eq!(format_scalar("amount", &json!(12.50)), "12.5");
    assert_eq!(format_scalar("amount", &json!(-7)), "-7");
    assert_eq!(format_scalar("active", &json!(true)), "yes");
    assert_eq!(format_scalar("active", &json!(false)), "no");
    assert_eq!(format_scalar("email", &Value::Null), EMPTY_VALUE);
    assert_eq!(format_scalar("email", &json!("")), EMPTY_VALUE);
    assert_eq!(format_scalar("tags", &json!([1, 2, 3])), "3 items");
}

#[test]
fn long_values_are_cut() {
    let long = "x".repeat(500);
    let v = format_scalar("note", &json!(long));
    assert_eq!(v.chars().count(), MAX_VALUE_CHARS);
    assert!(v.ends_with('…'));
    assert_eq!(humanize_label(&long).chars().count(), MAX_VALUE_CHARS);
}

// ---- day / month / year ----

#[test]
fn day_month_year_fold_into_one_leaf() {
    let mut tree = TokenTree::new(&json!({
        "date_of_birth": {"day": 3, "month": 3, "year": 1985},
        "name_day": {"day": 3, "month": 3},
        "founded": {"year": 1985, "month": null, "day": null},
        "as_strings": {"day": "7", "month": "11", "year": "2001"},
    }));
    assert_eq!(tree.node_count(), 4);
    // A date of birth and a name day are personal data: masked as one value.
    assert_eq!(tree.node(find(&tree, "Date of birth")).value, "••••85");
    assert_eq!(tree.node(find(&tree, "Name day")).value, "••••ch");
    tree.reveal(true);
    let by_label = |l: &str| tree.value(find(&tree, l)).to_owned();
    assert_eq!(by_label("Date of birth"), "3 March 1985");
    assert_eq!(tree.node(find(&tree, "Date of birth")).kind, NodeKind::Leaf);
    assert_eq!(by_label("Name day"), "3 March");
    assert_eq!(by_label("Founded"), "1985");
    assert_eq!(by_label("As strings"), "7 November 2001");
}

#[test]
fn all_null_dates_are_empty_and_hidden() {
    let mut tree = TokenTree::new(&json!({
        "number": "AT1",
        "date_of_birth": {"day": null, "month": null, "year": null},
    }));
    assert_eq!(labels(&tree), ["Number"]);
    tree.toggle_show_empty();
    let dob = tree.node(find(&tree, "Date of birth"));
    assert!(dob.is_empty);
    assert_eq!(dob.value, EMPTY_VALUE);
    assert_eq!(dob.kind, NodeKind::Leaf);
}

#[test]
fn objects_that_are_not_dates_are_not_folded() {
    let tree = TokenTree::new(&json!({
        "a": {"day": 3, "month": 13},
        "b": {"day": 3, "hour": 4},
        "c": {"day": "Monday"},
    }));
    for label in ["A", "B", "C"] {
        assert!(tree.node(find(&tree, label)).is_branch(), "{label}");
    }
}

// ---- empties ----

#[test]
fn empties_are_hidden_until_asked_for() {
    let doc = json!({
        "number": "AT1",
        "email": null,
        "note": "",
        "tags": [],
        "extra": {},
        "profile": {"a": null, "b": {"c": ""}, "d": [null]},
        "owner": {"name": "Polina", "title": null},
    });
    let mut tree = TokenTree::new(&doc);
    assert_eq!(labels(&tree), ["Number", "Owner"]);
    tree.expand_all();
    assert_eq!(labels(&tree), ["Number", "Owner", "Name"]);
    assert!(!tree.show_empty());
    tree.toggle_show_empty();
    assert!(tree.show_empty());
    let shown = rows(&tree);
    assert_eq!(shown.len(), tree.node_count());
    for label in [
        "Email", "Note", "Tags", "Extra", "Profile", "A", "C", "#1", "Title",
    ] {
        let id = find(&tree, label);
        assert!(tree.node(id).is_empty, "{label}");
        assert_eq!(tree.node(id).value, EMPTY_VALUE, "{label}");
    }
    tree.toggle_show_empty();
    assert_eq!(labels(&tree), ["Number", "Owner", "Name"]);
}

#[test]
fn log_information_is_summarised_by_its_last_change() {
    let tree = TokenTree::new(&json!({
        "log_information": {"created_date": "2015-02-16T14:23:46", "updated_date": "2015-05-27T12:50:22"},
        "created_only": {"created_date": "2015-02-16T14:23:46", "updated_date": null},
    }));
    let summaries: Vec<&str> = tree
        .visible()
        .iter()
        .map(|&id| tree.node(id).value.as_str())
        .collect();
    assert!(
        summaries.contains(&"updated 27 May 2015 12:50:22 server time"),
        "{summaries:?}"
    );
    assert!(
        summaries.contains(&"created 16 Feb 2015 14:23:46 server time"),
        "{summaries:?}"
    );
}

#[test]
fn a_re_read_tree_keeps_the_open_branches_and_the_selected_field() {
    let before = json!({
        "number": "AT1",
        "life_cycle_state": "EFFECTIVE",
        "owner": {"name": "Polina", "profile": {"x": "1"}},
        "other": {"y": "2"},
    });
    let mut earlier = TokenTree::new(&before);
    go_to(&mut earlier, "Owner");
    earlier.expand_or_enter();
    go_to(&mut earlier, "Name");
    let mut after = before.clone();
    after["life_cycle_state"] = json!("NOT_EFFECTIVE");
    after["new_field"] = json!("n");
    let mut tree = TokenTree::new(&after);
    tree.adopt_view_of(&earlier);
    assert_eq!(selected_label(&tree), "Name");
    let owner = (0..tree.node_count()).find(|&id| tree.node(id).label == "Owner");
    assert!(owner.is_some_and(|id| tree.is_open(id)));
    let other = (0..tree.node_count()).find(|&id| tree.node(id).label == "Other");
    assert!(other.is_some_and(|id| !tree.is_open(id)));
}

#[test]
fn hiding_empties_keeps_the_cursor_on_the_nearest_visible_ancestor() {
    let mut tree = TokenTree::new(&json!({
        "number": "AT1",
        "owner": {"name": "Polina", "title": null, "profile": {"x": null}},
    }));
    tree.toggle_show_empty();
    tree.expand_all();
    go_to(&mut tree, "X");
    tree.toggle_show_empty();
    assert_eq!(selected_label(&tree), "Owner");
    // A node that stays visible keeps the cursor.
    tree.toggle_show_empty();
    go_to(&mut tree, "Name");
    tree.toggle_show_empty();
    assert_eq!(selected_label(&tree), "Name");
    tree.toggle_show_empty();
    assert_eq!(selected_label(&tree), "Name");
}

#[test]
fn hiding_an_empty_top_level_row_selects_the_row_before_it() {
    let mut tree = TokenTree::new(&json!({"number": "AT1", "verified_date": null}));
    tree.toggle_show_empty();
    go_to(&mut tree, "Verified date");
    tree.toggle_show_empty();
    assert_eq!(selected_label(&tree), "Number");
}

// ---- ordering ----

#[test]
fn token_fields_follow_the_fixed_order() {
    let tree = TokenTree::new(&json!({
        "id": "X",
        "log_information": {"created_date": "2017-09-14T12:18:01"},
        "udf_string_10": "u10",
        "udf_string_2": "u2",
        "zeta": "z",
        "alpha_branch": {"k": 1},
        "alpha": "a",
        "card_last_4_digits": "1234",
        "verification_code": "V",
        "verified_date": "2017-09-14",
        "verified_by_user": {"username": "u"},
        "accounts_receivable": {"number": "ACR1"},
        "rewards_participant": {"number": "RP1"},
        "classification": {"name": "Mobile"},
        "card_masked_number": "****",
        "identifier": "250",
        "authentication_code": "990",
        "life_cycle_state": "EFFECTIVE",
        "number": "AT1",
    }));
    assert_eq!(
        labels(&tree),
        [
            "Number",
            "Life cycle state",
            "Authentication code",
            "Identifier",
            "Card masked number",
            "Classification",
            "Rewards participant",
            "Accounts receivable",
            "Verified by user",
            "Verified date",
            "Verification code",
            "Card last 4 digits",
            "Alpha",
            "Zeta",
            "Alpha branch",
            "UDF string 2",
            "UDF string 10",
            "Log information",
            "ID",
        ]
    );
}

#[test]
fn nested_fields_put_scalars_first_and_id_last() {
    let mut tree = TokenTree::new(&json!({"owner": {
        "id": "F03",
        "demographics": {"gender": "FEMALE"},
        "zz_branch": {"k": 1},
        "aa_unknown": "u",
        "life_cycle_state": "FINANCIAL",
        "last_name": "Kestora",
        "first_name": "Polina",
        "name": "Polina Kestora",
        "date_of_birth": {"day": 1, "month": 2, "year": 2000},
    }}));
    assert!(tree.is_open(0), "a lone top-level branch starts open");
    tree.expand_or_enter();
    assert_eq!(
        labels(&tree),
        [
            "Owner",
            "Name",
            "First name",
            "Last name",
            "Life cycle state",
            "Date of birth",
            "Aa unknown",
            "Demographics",
            "Zz branch",
            "ID",
        ]
    );
}

// ---- shapes ----

#[test]
fn both_participant_spellings_give_the_same_row() {
    for key in ["rewards_participant", "reward_participant"] {
        let tree = TokenTree::new(&json!({"number": "AT1", key: {"number": "RP1"}, "id": "X"}));
        assert_eq!(
            labels(&tree),
            ["Number", "Rewards participant", "ID"],
            "{key}"
        );
        let id = tree.visible()[1];
        assert_eq!(tree.node(id).value, "RP1");
        assert_eq!(tree.path(id), format!("/{key}"));
    }
}

#[test]
fn array_items_are_numbered() {
    let mut tree = TokenTree::new(&json!({"number": "AT1", "tags": ["a", "b", "c"], "one": [1]}));
    let tags = find(&tree, "Tags");
    assert_eq!(tree.node(tags).kind, NodeKind::Array { children: 3 });
    assert_eq!(tree.node(tags).value, "3 items");
    assert_eq!(tree.node(find(&tree, "One")).value, "1 item");
    tree.expand_all();
    let tag_rows: Vec<(String, String)> = tree
        .visible()
        .iter()
        .map(|&id| tree.node(id))
        .filter(|n| n.parent == Some(tags))
        .map(|n| (n.label.clone(), n.value.clone()))
        .collect();
    assert_eq!(
        tag_rows,
        [
            ("#1".into(), "a".into()),
            ("#2".into(), "b".into()),
            ("#3".into(), "c".into())
        ]
    );
    assert_eq!(tree.path(find(&tree, "#3")), "/tags/2");
    assert_eq!(tree.path(find(&tree, "#1")), "/one/0");
}

#[test]
fn a_root_array_lists_its_items() {
    let tree = TokenTree::new(&json!([{"number": "AT1"}, {"number": "AT2"}]));
    assert_eq!(
        rows(&tree),
        [
            (0, "#1".into(), "AT1".into()),
            (0, "#2".into(), "AT2".into())
        ]
    );
    assert_eq!(tree.node(tree.visible()[0]).parent, None);
}

#[test]
fn a_scalar_root_is_one_row() {
    let tree = TokenTree::new(&json!("2017-09-14T12:18:01"));
    assert_eq!(
        rows(&tree),
        [(0, "Value".into(), "14 Sep 2017 12:18:01 server time".into())]
    );
    assert_eq!(tree.path(0), "");
    let mut null = TokenTree::new(&Value::Null);
    assert!(null.visible().is_empty());
    assert_eq!(null.selected(), None);
    null.toggle_show_empty();
    assert_eq!(rows(&null), [(0, "Value".into(), EMPTY_VALUE.into())]);
}

#[test]
fn an_empty_document_has_no_rows_and_keys_do_nothing() {
    let mut tree = TokenTree::new(&json!({}));
    assert_eq!(tree.node_count(), 0);
    tree.move_down();
    tree.move_up();
    tree.page_down();
    tree.page_up();
    tree.end();
    tree.home();
    tree.toggle();
    tree.expand_or_enter();
    tree.collapse_or_parent();
    tree.expand_all();
    tree.collapse_all();
    tree.toggle_show_empty();
    tree.set_viewport_height(0);
    assert_eq!(
        (tree.cursor(), tree.offset(), tree.selected()),
        (0, 0, None)
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let mut value = json!("bottom");
    for _ in 0..100_000 {
        value = Value::Array(vec![value]);
    }
    let mut tree = TokenTree::new(&value);
    assert_eq!(tree.node_count(), 100_000);
    tree.expand_all();
    assert_eq!(tree.visible().len(), 100_000);
    tree.end();
    assert_eq!(tree.node(tree.selected().unwrap_or(0)).value, "bottom");
    assert_eq!(tree.node(tree.node_count() - 1).depth, u16::MAX);
    tree.collapse_all();
    assert_eq!(tree.visible().len(), 1);
    // serde_json drops a Value recursively: leak this one rather than overflow on drop.
    std::mem::forget(value);
}

// ---- summaries ----

#[test]
fn closed_branches_summarise_themselves() {
    let tree = TokenTree::new(&json!({
        "accounts_receivable": {"number": "ACR0000000069", "name": "ACR0000000069 Polina Kestora"},
        "same": {"number": "N1", "name": "N1"},
        "account_owner": {"name": null, "first_name": "Shemar", "last_name": "Havier"},
        "company": {"company_name": "Acme Ltd", "name": ""},
        "user": {"person_name": "CRM COM", "username": "MPAdministrator"},
        "login": {"username": "MPAdministrator"},
        "unit": {"name": "Admin Unit", "alternative_code": "adminunit"},
        "coded": {"alternative_code": "MA", "description": "x"},
        "numbered": {"number": 28},
        "log": {"created_date": "2017-09-14"},
    }));
    let value = |l: &str| tree.node(find(&tree, l)).value.clone();
    assert_eq!(value("Accounts receivable"), "ACR0000000069 Polina Kestora");
    assert_eq!(value("Same"), "N1");
    assert_eq!(value("Account owner"), "Shemar Havier");
    assert_eq!(value("Company"), "Acme Ltd");
    assert_eq!(value("User"), "CRM COM");
    assert_eq!(value("Login"), "MPAdministrator");
    assert_eq!(value("Unit"), "Admin Unit");
    assert_eq!(value("Coded"), "MA");
    assert_eq!(value("Numbered"), "28");
    assert_eq!(value("Log"), "created 14 Sep 2017");
}

// ---- control characters ----

#[test]
fn control_characters_are_removed_from_labels_and_values() {
    let tree = TokenTree::new(&json!({
        "evil\u{1b}[31m_key": "red\u{1b}[0m\u{7}",
        "owner": {"name": "Po\u{202E}lina\u{9b}"},
        "tags\u{7}": ["a\nb"],
    }));
    let all: Vec<&Node> = (0..tree.node_count()).map(|id| tree.node(id)).collect();
    for node in &all {
        for text in [&node.label, &node.value] {
            assert!(
                !text.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "{text:?}"
            );
        }
    }
    assert_eq!(tree.node(find(&tree, "Evil key")).value, "red");
    assert_eq!(tree.node(find(&tree, "Owner")).value, "Polina");
    assert_eq!(tree.node(find(&tree, "#1")).value, "a b");
    // The path keeps the raw key so the value can be found again.
    let path = tree.path(find(&tree, "#1"));
    assert_eq!(path, "/tags\u{7}/0");
}

#[test]
fn keys_sent_twice_show_the_last_value_and_are_marked() {
    let document = Document::parse(
        br#"{"number":"AT1","life_cycle_state":"EFFECTIVE","life_cycle_state":"NOT_EFFECTIVE",
            "owner":{"name":"A","name":"B","a/b":1,"a/b":2},
            "date_of_birth":{"day":1,"day":3,"month":3,"year":1985}}"#,
    )
    .expect("valid JSON");
    let mut tree = TokenTree::from_document(&document);
    tree.expand_all();
    tree.reveal(true);
    let rows = rows(&tree);
    let row = |label: &str| {
        rows.iter()
            .find(|(_, l, _)| l == label)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_else(|| panic!("no row {label:?} in {rows:?}"))
    };
    assert_eq!(row("Life cycle state (duplicate key)"), "NOT_EFFECTIVE");
    assert_eq!(row("Name (duplicate key)"), "B");
    assert_eq!(row("A/b (duplicate key)"), "2");
    assert_eq!(row("Date of birth (duplicate key)"), "3 March 1985");
    assert_eq!(row("Number"), "AT1", "fields sent once are not marked");
    assert_eq!(row("Owner"), "B");
}

#[test]
fn paths_are_json_pointers() {
    let doc = data(NOT_EFFECTIVE);
    let mut tree = TokenTree::new(&doc);
    tree.toggle_show_empty();
    tree.expand_all();
    for id in 0..tree.node_count() {
        assert!(doc.pointer(&tree.path(id)).is_some(), "{}", tree.path(id));
    }
    let odd = json!({"a/b": {"c~d": 1}});
    let tree = TokenTree::new(&odd);
    assert_eq!(tree.path(1), "/a~1b/c~0d");
    assert_eq!(odd.pointer(&tree.path(1)), Some(&json!(1)));
}

// ---- the real payloads ----

#[test]
fn the_not_effective_response_reads_well() {
    let mut tree = TokenTree::new(&data(NOT_EFFECTIVE));
    assert_eq!(
        rows(&tree),
        [
            (0, "Number".into(), "AT0000000671".into()),
            (0, "Life cycle state".into(), "NOT_EFFECTIVE".into()),
            (0, "Authentication code".into(), "99021047380".into()),
            (0, "Identifier".into(), "250".into()),
            (0, "Classification".into(), "Mobile Application".into()),
            (0, "Rewards participant".into(), "RP0000000010".into()),
            (
                0,
                "Accounts receivable".into(),
                "ACR0000000069 Polina Kestora".into()
            ),
            (
                0,
                "Log information".into(),
                "updated 14 Sep 2017 12:20:06 server time".into()
            ),
            (0, "ID".into(), "607F9A540C2E4698A0598B8880F873F4".into()),
        ]
    );
    assert_eq!(tree.cursor(), 0);
    go_to(&mut tree, "Rewards participant");
    tree.expand_or_enter();
    tree.expand_or_enter();
    assert_eq!(selected_label(&tree), "Number");
    assert_eq!(
        tree.node(tree.selected().unwrap_or(0)).value,
        "RP0000000010"
    );
    tree.move_down();
    assert_eq!(selected_label(&tree), "Life cycle state");
    go_to(&mut tree, "Accounts receivable");
    tree.expand_or_enter();
    tree.move_down();
    assert_eq!(selected_label(&tree), "Number");
    assert_eq!(tree.node(tree.selected().unwrap_or(0)).depth, 2);
    assert_eq!(
        tree.path(tree.selected().unwrap_or(0)),
        "/rewards_participant/accounts_receivable/number"
    );
    go_to(&mut tree, "Account owner");
    assert_eq!(
        tree.node(tree.selected().unwrap_or(0)).value,
        "Polina Kestora"
    );
    tree.expand_or_enter();
    go_to(&mut tree, "Demographics");
    tree.expand_or_enter();
    let demographics: Vec<String> = rows(&tree)
        .into_iter()
        .filter(|r| r.0 == 4)
        .map(|r| format!("{}={}", r.1, r.2))
        .collect();
    assert_eq!(
        demographics,
        [
            "Gender=FEMALE",
            "ID number=••••33",
            "Country of residence=IRAN (ISLAMIC REPUBLIC OF)"
        ]
    );
    go_to(&mut tree, "Log information");
    tree.expand_or_enter();
    tree.move_down();
    assert_eq!(selected_label(&tree), "Created date");
    assert_eq!(
        tree.node(tree.selected().unwrap_or(0)).value,
        "14 Sep 2017 12:18:01 server time"
    );
    tree.collapse_all();
    assert_eq!(selected_label(&tree), "Log information");
    assert_eq!(tree.visible().len(), 9);
}

#[test]
fn the_deleted_response_reads_its_reward_participant() {
    let tree = TokenTree::new(&data(DELETED));
    let labels = labels(&tree);
    assert!(
        labels.contains(&"Rewards participant".to_owned()),
        "{labels:?}"
    );
    let rp = find(&tree, "Rewards participant");
    assert_eq!(tree.node(rp).value, "28");
    assert_eq!(tree.path(rp), "/reward_participant");
}

// ---- personal data ----

#[test]
fn personal_data_is_masked_and_revealed_without_a_reread() {
    let data = json!({
        "number": "AT1",
        "verification_code": "294751",
        "owner": {"name": "Polina", "demographics": {
            "id_number": 64598419,
            "passport_number": null,
            "documents": {"passCode": ["1357", "24"]},
        }},
    });
    let mut tree = TokenTree::new(&data);
    tree.toggle_show_empty();
    tree.expand_all();
    let values = |tree: &TokenTree| -> Vec<String> {
        rows(tree)
            .into_iter()
            .map(|(_, label, value)| format!("{label}={value}"))
            .collect()
    };
    assert!(tree.has_masked());
    assert_eq!(
        values(&tree),
        [
            "Number=AT1",
            "Verification code=••••51",
            "Owner=Polina",
            "Name=Polina",
            "Demographics=",
            "ID number=••••19",
            "Passport number=—",
            "Documents=",
            "Pass code=2 items",
            "#1=••••57",
            "#2=••••",
        ]
    );
    tree.reveal(true);
    assert!(tree.revealed());
    let clear = values(&tree);
    assert!(
        clear.contains(&"ID number=64598419".to_owned()),
        "{clear:?}"
    );
    assert!(clear.contains(&"#2=24".to_owned()), "{clear:?}");
    assert!(clear.contains(&"Verification code=294751".to_owned()));
    tree.reveal(false);
    assert!(values(&tree).contains(&"ID number=••••19".to_owned()));
}

#[test]
fn a_summary_that_quotes_a_masked_field_is_masked() {
    let mask = crate::mask::Mask::new(&["name".into()], crate::mask::Glyph::Ascii);
    let tree = TokenTree::masked(
        &json!({"accounts_receivable": {"number": "ACR1", "name": "Polina Kestora"},
                "classification": {"code": "MOBILE"}}),
        &mask,
    );
    let rows = rows(&tree);
    assert_eq!(rows[0], (0, "Classification".into(), "MOBILE".into()));
    assert_eq!(rows[1], (0, "Accounts receivable".into(), "****ra".into()));
}

#[test]
fn a_token_without_personal_data_has_nothing_to_reveal() {
    let tree = TokenTree::new(
        &json!({"number": "AT1", "id_number": null, "name_day": {"day": null, "month": null}}),
    );
    assert!(!tree.has_masked());
}

#[test]
fn a_reread_keeps_the_reveal() {
    let data = json!({"number": "AT1", "id_number": "64598419"});
    let mut earlier = TokenTree::new(&data);
    earlier.reveal(true);
    let mut again = TokenTree::new(&data);
    assert!(!again.revealed());
    again.adopt_view_of(&earlier);
    assert!(again.revealed());
    assert_eq!(again.value(find(&again, "ID number")), "64598419");
}

#[test]
fn the_last_change_names_when_and_who_from_the_log_information() {
    let token = json!({"log_information": {
        "created_date": "2015-02-16T14:23:46",
        "created_by_user": {"username": "p_xenopoulou"},
        "updated_date": "2015-05-27T12:50:22",
        "updated_by_user": {"person_name": "Marios Lannister", "username": "MPAdministrator"},
    }});
    assert_eq!(
        crate::tree::format::last_change(&token).as_deref(),
        Some("changed 27 May 2015 12:50:22 server time by MPAdministrator")
    );
    let created = json!({"log_information": {
        "created_date": "2015-02-16T14:23:46",
        "created_by_user": {"person_name": "Polina"},
        "updated_date": null,
    }});
    assert_eq!(
        crate::tree::format::last_change(&created).as_deref(),
        Some("created 16 Feb 2015 14:23:46 server time by Polina")
    );
    assert_eq!(
        crate::tree::format::last_change(&json!({"log_information": {}})),
        None
    );
    assert_eq!(
        crate::tree::format::last_change(&json!({"number": "AT1"})),
        None
    );
}
