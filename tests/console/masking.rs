//! Personal data in the console: masked in the tree, the header and the raw JSON; `v`
//! reveals it for the token on screen, only once the audit log has the record, and opening
//! another token masks it again. Screens at 80x24, the clerk's usual terminal.

use crate::support;

use serde_json::Value;
use support::{Harness, KeyCode, demo_tokens, not_effective_token};
use tokendesk::console::app::Effect;
use tokendesk::mask::{Glyph, Mask};

/// The demo token with every kind of personal data: ID, passport and social security
/// numbers, date of birth, name day.
fn token_with_demographics() -> Value {
    demo_tokens()
        .into_iter()
        .find(|t| t["number"] == "AT0000000709")
        .expect("the demo has AT0000000709")
}

/// The demo token with a verification code at its top level.
fn token_with_verification_code() -> Value {
    demo_tokens()
        .into_iter()
        .find(|t| t["number"] == "AT0000000716")
        .expect("the demo has AT0000000716")
}

/// Moves the cursor down to the first visible row labelled `label` and opens it.
fn open_row(h: &mut Harness, label: &str) {
    for _ in 0..200 {
        let tree = &h.token().tree;
        if tree.selected().map(|id| tree.node(id).label.as_str()) == Some(label) {
            h.press(KeyCode::Right);
            return;
        }
        h.key('j');
    }
    panic!("no row {label:?}");
}

/// The token with its account owner's demographics open on screen, scrolled so that
/// they show.
fn demographics_open(h: &mut Harness) {
    h.open(token_with_demographics());
    open_row(h, "Accounts receivable");
    open_row(h, "Account owner");
    open_row(h, "Demographics");
    h.keys("jjjjjjjjj");
}

fn the_rows(h: &Harness) -> Vec<String> {
    let tree = &h.token().tree;
    tree.visible()
        .iter()
        .map(|&id| format!("{}={}", tree.node(id).label, tree.value(id)))
        .collect()
}

fn has_row(h: &Harness, row: &str) -> bool {
    the_rows(h).iter().any(|r| r == row)
}

// ---- screens ----------------------------------------------------------------------------

#[test]
fn the_tree_masks_personal_data() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    insta::assert_snapshot!("masked_tree_80x24", h.render());
}

#[test]
fn revealed_the_tree_shows_it_and_the_status_bar_says_so() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    h.key('v');
    insta::assert_snapshot!("revealed_tree_80x24", h.render());
}

#[test]
fn the_raw_json_masks_personal_data() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    h.key('r');
    insta::assert_snapshot!("masked_raw_json_80x24", h.render());
}

#[test]
fn the_header_masks_what_the_config_names() {
    let mut h = Harness::new(80, 24);
    h.app.mask = Mask::new(&["classification".into(), "name".into()], Glyph::Bullets);
    h.open(not_effective_token());
    insta::assert_snapshot!("masked_header_80x24", h.render());
}

#[test]
fn without_utf8_the_mask_is_ascii() {
    let mut h = Harness::new(80, 24);
    h.app.mask = Mask::new(&[], Glyph::Ascii);
    demographics_open(&mut h);
    assert!(has_row(&h, "ID number=****19"), "{:?}", the_rows(&h));
    assert!(!h.render().contains('•'));
}

// ---- behaviour --------------------------------------------------------------------------

#[test]
fn v_asks_for_the_audit_record_and_reveals_only_after_it() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    assert!(has_row(&h, "ID number=••••19"), "{:?}", the_rows(&h));
    h.take();
    let effects = h.app.update(tokendesk::console::app::Msg::Key(
        tokendesk::keys::Key::char('v'),
    ));
    let [Effect::AuditReveal(token)] = effects.as_slice() else {
        panic!("expected one AuditReveal, got {effects:?}");
    };
    assert_eq!(token.number.as_deref(), Some("AT0000000709"));
    assert!(
        !h.token().tree.revealed(),
        "nothing is shown before the record is written"
    );
    let record = serde_json::to_string(token).expect("serialises");
    for personal in ["64598419", "K5779275", "817678653", "1991"] {
        assert!(!record.contains(personal), "{record}");
    }
    h.send(tokendesk::console::app::Msg::RevealAudited(Ok(
        token.clone()
    )));
    assert!(h.app.revealed());
    assert!(has_row(&h, "ID number=64598419"), "{:?}", the_rows(&h));
    assert!(has_row(&h, "Date of birth=21 April 1991"));
}

#[test]
fn a_record_written_after_another_token_was_opened_reveals_neither() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    h.take();
    let effects = h.app.update(tokendesk::console::app::Msg::Key(
        tokendesk::keys::Key::char('v'),
    ));
    let [Effect::AuditReveal(first)] = effects.as_slice() else {
        panic!("expected one AuditReveal, got {effects:?}");
    };
    let first = first.clone();
    // The clerk opens another token before the audit log has answered.
    h.open(token_with_verification_code());
    h.send(tokendesk::console::app::Msg::RevealAudited(Ok(first)));
    assert!(!h.app.revealed(), "the record was for the other token");
    assert!(
        has_row(&h, "Verification code=••••51"),
        "{:?}",
        the_rows(&h)
    );
}

#[test]
fn v_again_hides_without_a_record() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    h.key('v');
    assert_eq!(h.reveals.len(), 1);
    assert!(has_row(&h, "Passport number=K5779275"));
    h.key('v');
    assert!(!h.app.revealed());
    assert!(has_row(&h, "Passport number=••••75"));
    assert_eq!(h.reveals.len(), 1, "hiding is not audited");
    assert!(!h.render().contains("REVEALED"));
}

#[test]
fn opening_another_token_masks_again() {
    let mut h = Harness::new(80, 24);
    demographics_open(&mut h);
    h.key('v');
    assert!(h.app.revealed());
    h.open(token_with_verification_code());
    assert!(!h.app.revealed());
    assert!(
        has_row(&h, "Verification code=••••51"),
        "{:?}",
        the_rows(&h)
    );
    assert!(!h.render().contains("REVEALED"));
}

#[test]
fn the_same_token_searched_again_is_masked_again() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    h.key('v');
    assert!(has_row(&h, "Verification code=294751"));
    h.open(token_with_verification_code());
    assert!(
        has_row(&h, "Verification code=••••51"),
        "{:?}",
        the_rows(&h)
    );
}

#[test]
fn a_reread_of_the_same_token_keeps_it_revealed() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    h.key('v');
    h.key('R').answer_token(token_with_verification_code());
    assert!(h.app.revealed());
    assert!(has_row(&h, "Verification code=294751"));
}

#[test]
fn the_raw_view_follows_the_reveal() {
    let mut h = Harness::new(80, 24);
    h.open(token_with_verification_code());
    h.key('r');
    let raw = |h: &Harness| h.token().raw.as_ref().expect("raw").lines.join("\n");
    assert!(
        raw(&h).contains(r#""verification_code": "••••51""#),
        "{}",
        raw(&h)
    );
    h.key('v');
    assert!(
        raw(&h).contains(r#""verification_code": "294751""#),
        "{}",
        raw(&h)
    );
    h.key('v');
    assert!(!raw(&h).contains("294751"));
}

#[test]
fn an_unwritable_audit_log_refuses_the_reveal_with_a_sentence() {
    let mut h = Harness::new(80, 24);
    h.audit_refuses =
        Some("Cannot write to the audit log /x (disk full), so nothing was revealed.".into());
    demographics_open(&mut h);
    h.key('v');
    assert!(!h.app.revealed());
    assert!(has_row(&h, "ID number=••••19"));
    assert!(
        h.notice().contains("nothing was revealed"),
        "{}",
        h.notice()
    );
}

#[test]
fn a_token_with_nothing_masked_asks_for_no_record() {
    let mut h = Harness::new(80, 24);
    let mut token = not_effective_token();
    token["rewards_participant"] = Value::Null;
    token["accounts_receivable"] = Value::Null;
    h.open(token);
    h.key('v');
    assert!(h.reveals.is_empty());
    assert!(!h.app.revealed());
    assert!(
        h.notice().contains("holds no masked personal data"),
        "{}",
        h.notice()
    );
}

#[test]
fn v_is_in_the_key_table_and_the_footer() {
    let mut h = Harness::new(120, 40);
    demographics_open(&mut h);
    let screen = h.render();
    assert!(screen.contains("v reveal"), "{screen}");
    h.key('v');
    assert!(h.render().contains("v hide"));
    h.key('?')
        .key('/')
        .keys("reveal")
        .press(tokendesk::keys::KeyCode::Enter);
    let help = h.render();
    assert!(
        help.contains(&format!("{:<14}reveal personal data", "v")),
        "{help}"
    );
}

#[test]
fn the_idle_lock_masks_revealed_data_again_and_a_reveal_answered_behind_it_shows_nothing() {
    use std::time::Duration;
    use tokendesk::api::{Operation, Reply};
    use tokendesk::console::api_task::{ApiEvent, ApiEventKind};
    use tokendesk::console::app::Msg;
    let idle = Duration::from_secs(30);
    let mut h = Harness::new(80, 24);
    h.app.idle.after = Some(idle);
    h.app.idle.can_check = true;
    demographics_open(&mut h);
    h.key('v');
    assert!(h.app.revealed());
    let unlock = |h: &mut Harness| {
        h.keys("demo").press(KeyCode::Enter);
        let (id, operation) = h.requests.last().cloned().expect("a check");
        assert!(matches!(operation, Operation::Unlock { .. }));
        h.batch_after(Duration::ZERO);
        h.send(Msg::Api(ApiEvent {
            id,
            kind: ApiEventKind::Finished(Ok(Reply::LoggedIn)),
        }));
        assert!(!h.app.locked());
    };
    h.tick(idle);
    assert!(h.app.locked());
    assert!(!h.app.revealed(), "masked the moment it locks");
    unlock(&mut h);
    assert!(!h.app.revealed(), "masked again once back");
    // A reveal asked for just before the lock, recorded behind it, reveals nothing.
    h.audit_refuses = None;
    h.key('v');
    assert!(h.app.revealed());
    h.key('v');
    h.tick(idle);
    h.send(Msg::RevealAudited(Ok(h
        .reveals
        .last()
        .cloned()
        .expect("recorded"))));
    assert!(!h.app.revealed(), "nothing revealed behind the lock");
    unlock(&mut h);
    assert!(!h.app.revealed());
}
