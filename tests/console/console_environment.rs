//! The environment in the console, driven through `App::update` (no terminal, no server):
//! a read-only console refuses every action key with the reason and opens no confirmation;
//! a labelled one names its label in every confirmation, as the command line's prompt does.

use crate::support;

use support::{Harness, labelled, not_effective_token, with_state};
use tokendesk::console::app::{Modal, READ_ONLY_REFUSAL, Tone};

fn effective_token() -> serde_json::Value {
    with_state(not_effective_token(), "EFFECTIVE")
}

#[test]
fn in_read_only_d_a_and_x_open_no_confirmation_and_say_why() {
    // Each key on a token whose state would allow it, so only read-only refuses.
    for (key, token) in [
        ('d', effective_token()),
        ('a', not_effective_token()),
        ('X', not_effective_token()),
    ] {
        let mut h = Harness::with_environment(labelled("PROD-EU", true), 80, 24);
        h.open(token);
        let sent = h.request_count();
        h.assert_inert(|h| {
            h.key(key);
        });
        assert!(h.app.modal.is_none(), "{key}: no confirmation opens");
        assert_eq!(h.request_count(), sent, "{key}: nothing is sent");
        let notice = h.app.notice.as_ref().expect("a sentence says why");
        assert_eq!(notice.text, READ_ONLY_REFUSAL, "{key}");
        assert_eq!(notice.tone, Tone::Warning);
    }
}

#[test]
fn the_same_keys_open_the_confirmation_when_not_read_only() {
    for (key, token) in [
        ('d', effective_token()),
        ('a', not_effective_token()),
        ('X', not_effective_token()),
    ] {
        let mut h = Harness::with_environment(labelled("PROD-EU", false), 80, 24);
        h.open(token);
        h.key(key);
        assert!(
            matches!(h.app.modal, Some(Modal::Confirm(_))),
            "{key}: the confirmation opens"
        );
    }
}

#[test]
fn read_only_is_the_reason_the_status_bar_gives_for_the_crossed_out_keys() {
    let mut h = Harness::with_environment(labelled("TEST", true), 80, 24);
    h.open(effective_token());
    assert_eq!(
        h.app.disabled_actions_hint().as_deref(),
        Some(READ_ONLY_REFUSAL)
    );
    for action in tokendesk::api::Action::ALL {
        assert_eq!(
            h.app.action_refusal(action).as_deref(),
            Some(READ_ONLY_REFUSAL)
        );
    }
}

#[test]
fn a_confirmation_names_the_label_and_the_host() {
    let mut h = Harness::with_environment(labelled("PROD-EU", false), 80, 24);
    h.open(effective_token());
    h.key('d');
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("the confirmation is open");
    };
    assert_eq!(confirm.server, "PROD-EU (crm.example.com)");
    // Without a label, the host alone, as before.
    let mut h = Harness::new(80, 24);
    h.open(effective_token());
    h.key('d');
    let Some(Modal::Confirm(confirm)) = &h.app.modal else {
        panic!("the confirmation is open");
    };
    assert_eq!(confirm.server, "crm.example.com");
}
