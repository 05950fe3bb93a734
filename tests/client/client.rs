//! `tokendesk::api::Client` and the API task against the built-in simulator over real HTTP.
//! `tests/client/simulator_http.rs` checks the simulator itself with raw reqwest; this file checks
//! that the client speaks to it correctly and maps every answer to the right `ApiError`.

use std::collections::HashSet;
use std::num::NonZeroU32;
use std::time::Duration;

use serde_json::{Value, json};
use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Client, ClientConfig, Credentials, Document,
    FieldsSet, ListOwner, ListQuery, Operation, Secret, TokenSummary, wire,
};
use tokendesk::api::{LifeCycleState, Reply};
use tokendesk::audit::{AuditContext, AuditLog};
use tokendesk::console::api_task::{self, ApiCommand, ApiEvent, ApiEventKind, RequestId};
use tokendesk::simulator::{
    DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERNAME, Fault, Simulator, SimulatorConfig,
};

/// AT0000000671, EFFECTIVE; also identifier 250 with pass code 4821.
const SEED_CODE: &str = "99021047380";
/// AT0000000709, EFFECTIVE.
const EFFECTIVE_CODE: &str = "99027975972";
/// AT0000000716, PENDING_VERIFICATION.
const PENDING_CODE: &str = "99029319146";
/// AT0000000723, NOT_EFFECTIVE.
const NOT_EFFECTIVE_CODE: &str = "99021863939";
/// Five tokens: AT0000000709, 712, 716, 719, 723 (also RP0000000011).
const ACR_OF_FIVE: &str = "ACR0000000071";
const RP_OF_FIVE: &str = "RP0000000011";

async fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("simulator starts")
}

fn faulty(fault: Fault, every: u32) -> SimulatorConfig {
    SimulatorConfig {
        fail_every: NonZeroU32::new(every),
        fault,
        ..SimulatorConfig::default()
    }
}

fn demo_credentials() -> Credentials {
    Credentials {
        username: DEMO_USERNAME.into(),
        password: Secret::new(DEMO_PASSWORD),
        organisation: DEMO_ORGANISATION.into(),
        unit: None,
    }
}

fn client_for(sim: &Simulator) -> Client {
    let mut config = ClientConfig::new(sim.base_url());
    config.credentials = Some(demo_credentials());
    Client::new(config).expect("client builds")
}

fn by_code(code: &str) -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(code.into())
}

fn fields(list: &str) -> FieldsSet {
    FieldsSet::parse(list).expect("names fields")
}

fn numbers(tokens: &[Document]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| t.value["number"].as_str().expect("number").to_owned())
        .collect()
}

fn state_of(token: &Document) -> LifeCycleState {
    TokenSummary::from_value(&token.value).state
}

fn assert_code(result: Result<Document, ApiError>, expected: &str) {
    match result {
        Err(ApiError::Server { code, message }) => {
            assert_eq!(code, expected, "{message}");
            assert!(!message.is_empty(), "the server's sentence is kept");
        }
        other => panic!("expected Server {{ code: {expected} }}, got {other:?}"),
    }
}

/// A session token straight from the simulator, without going through `Client`.
async fn raw_session(sim: &Simulator) -> String {
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/authentication/token", sim.base_url()))
        .header("content-type", "application/json")
        .body(
            json!({
                "username": DEMO_USERNAME, "password": DEMO_PASSWORD, "organisation": DEMO_ORGANISATION
            })
            .to_string(),
        )
        .send()
        .await
        .expect("login answered")
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).expect("login is JSON"))
        .expect("login body");
    answer["data"]["token"].as_str().expect("token").to_owned()
}

// ---- every method -------------------------------------------------------------------------

#[tokio::test]
async fn login_then_show_by_authentication_code() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    client.login().await.expect("demo credentials log in");
    assert_eq!(sim.stats().logins, 1);
    let token = client.show(&by_code(SEED_CODE), None).await.expect("shown");
    assert_eq!(token.value["number"], "AT0000000671");
    assert_eq!(token.value["authentication_code"], SEED_CODE);
    assert_eq!(state_of(&token), LifeCycleState::Effective);
    // the session is reused, not renewed per request
    client.show(&by_code(SEED_CODE), None).await.expect("shown");
    assert_eq!(sim.stats().logins, 1);
    assert_eq!(client.host(), sim.addr().to_string());
}

#[tokio::test]
async fn first_request_logs_in_by_itself() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    client.show(&by_code(SEED_CODE), None).await.expect("shown");
    assert_eq!(sim.stats().logins, 1);
}

#[tokio::test]
async fn show_by_identifier_and_pass_code() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let identifier = AccessTokenIdentifier::Identifier {
        identifier: "250".into(),
        pass_code: "4821".into(),
    };
    let token = client.show(&identifier, None).await.expect("shown");
    assert_eq!(token.value["number"], "AT0000000671");
    assert_eq!(token.value["authentication_code"], SEED_CODE);
}

#[tokio::test]
async fn fields_set_brings_back_only_the_asked_fields() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let wanted = fields("number, life_cycle_state");
    let token = client
        .show(&by_code(SEED_CODE), Some(&wanted))
        .await
        .expect("shown");
    let keys: HashSet<&str> = token
        .value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, HashSet::from(["number", "life_cycle_state"]));

    let query = ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into()));
    let tokens = client
        .list(&query, Some(&fields("number")))
        .await
        .expect("listed");
    assert_eq!(tokens.len(), 5);
    for token in &tokens {
        let keys: Vec<&String> = token.value.as_object().expect("object").keys().collect();
        assert_eq!(keys, vec!["number"], "{token:?}");
    }
}

async fn assert_pages(client: &Client, owner: ListOwner) {
    let everything = client
        .list(&ListQuery::first_page(owner.clone()), None)
        .await
        .expect("listed");
    assert_eq!(everything.len(), 5, "{owner}");
    let mut query = ListQuery {
        owner,
        number_of_results: 2,
        offset: 0,
    };
    let mut pages = Vec::new();
    loop {
        let page = client.list(&query, None).await.expect("page listed");
        if page.is_empty() {
            break;
        }
        pages.push(numbers(&page));
        query = query.next_page();
        assert!(pages.len() <= 3, "paging does not end: {pages:?}");
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![2, 2, 1],
        "full pages, then a short last one: {pages:?}"
    );
    let joined: Vec<String> = pages.concat();
    let distinct: HashSet<&String> = joined.iter().collect();
    assert_eq!(distinct.len(), joined.len(), "pages overlap: {pages:?}");
    assert_eq!(
        joined,
        numbers(&everything),
        "pages add up to the whole list"
    );
    // past the end
    query.offset = 1000;
    assert_eq!(
        client.list(&query, None).await.expect("listed"),
        Vec::<Document>::new()
    );
}

#[tokio::test]
async fn list_by_accounts_receivable_pages_without_overlap() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    assert_pages(&client, ListOwner::AccountsReceivable(ACR_OF_FIVE.into())).await;
}

#[tokio::test]
async fn list_by_rewards_participant_pages_without_overlap() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    assert_pages(&client, ListOwner::RewardsParticipant(RP_OF_FIVE.into())).await;
}

#[tokio::test]
async fn list_of_an_unknown_owner_is_empty() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let query = ListQuery::first_page(ListOwner::AccountsReceivable("ACR9999999999".into()));
    assert_eq!(
        client.list(&query, None).await.expect("listed"),
        Vec::<Document>::new()
    );
}

#[tokio::test]
async fn life_cycle_rules_hold_through_the_client() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let code = by_code(EFFECTIVE_CODE);
    // EFFECTIVE: only deactivate
    assert_code(
        client.act(Action::Activate, &code, None).await,
        "INVALID_LIFE_CYCLE_STATE",
    );
    assert_code(
        client.act(Action::Delete, &code, None).await,
        "INVALID_LIFE_CYCLE_STATE",
    );
    let token = client
        .act(Action::Deactivate, &code, None)
        .await
        .expect("deactivated");
    assert_eq!(state_of(&token), LifeCycleState::NotEffective);
    assert_eq!(token.value["number"], "AT0000000709");
    // NOT_EFFECTIVE: not again
    assert_code(
        client.act(Action::Deactivate, &code, None).await,
        "INVALID_LIFE_CYCLE_STATE",
    );
    let token = client
        .act(Action::Activate, &code, None)
        .await
        .expect("re-activated");
    assert_eq!(state_of(&token), LifeCycleState::Effective);
    let shown = client.show(&code, None).await.expect("shown");
    assert_eq!(state_of(&shown), LifeCycleState::Effective);
    client
        .act(Action::Deactivate, &code, None)
        .await
        .expect("deactivated");
    let deleted = client
        .act(Action::Delete, &code, None)
        .await
        .expect("deleted");
    assert_eq!(
        deleted.value["number"], "AT0000000709",
        "delete answers the token"
    );
    assert_code(client.show(&code, None).await, "NOT_FOUND");
    assert_code(client.act(Action::Delete, &code, None).await, "NOT_FOUND");
    let rest = client
        .list(
            &ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into())),
            None,
        )
        .await
        .expect("listed");
    assert!(!numbers(&rest).contains(&"AT0000000709".to_owned()));
}

#[tokio::test]
async fn pending_verification_tokens_refuse_every_action() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let code = by_code(PENDING_CODE);
    for action in Action::ALL {
        assert_code(
            client.act(action, &code, None).await,
            "INVALID_LIFE_CYCLE_STATE",
        );
    }
    let shown = client.show(&code, None).await.expect("shown");
    assert_eq!(state_of(&shown), LifeCycleState::PendingVerification);
}

#[tokio::test]
async fn actions_honour_fields_set() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let token = client
        .act(
            Action::Activate,
            &by_code(NOT_EFFECTIVE_CODE),
            Some(&fields("life_cycle_state")),
        )
        .await
        .expect("re-activated");
    assert_eq!(token.value, json!({"life_cycle_state": "EFFECTIVE"}));
}

#[tokio::test]
async fn run_answers_each_operation_with_the_right_reply() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let show = Operation::Show {
        identifier: by_code(SEED_CODE),
        fields: Some(fields("number")),
    };
    assert_eq!(
        client.run(&show).await.expect("shown"),
        Reply::Token(json!({"number": "AT0000000671"}).into())
    );
    let list = Operation::List {
        query: ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into())),
        fields: Some(fields("number")),
    };
    match client.run(&list).await.expect("listed") {
        Reply::Tokens(tokens) => assert_eq!(
            numbers(&tokens),
            [
                "AT0000000709",
                "AT0000000712",
                "AT0000000716",
                "AT0000000719",
                "AT0000000723"
            ]
        ),
        other => panic!("expected Tokens, got {other:?}"),
    }
    let act = Operation::Act {
        action: Action::Deactivate,
        identifier: by_code(SEED_CODE),
        fields: Some(fields("number,life_cycle_state")),
        token: Box::default(),
        batch: None,
        reason: None,
    };
    assert_eq!(
        client.run(&act).await.expect("deactivated"),
        Reply::Token(json!({"number": "AT0000000671", "life_cycle_state": "NOT_EFFECTIVE"}).into())
    );
    let refused = Operation::Act {
        action: Action::Deactivate,
        identifier: by_code(SEED_CODE),
        fields: None,
        token: Box::default(),
        batch: None,
        reason: None,
    };
    let error = client.run(&refused).await.expect_err("already deactivated");
    assert_eq!(error.server_code(), Some("INVALID_LIFE_CYCLE_STATE"));
}

// ---- error codes --------------------------------------------------------------------------

#[tokio::test]
async fn wrong_credentials_are_invalid_credentials() {
    let sim = start(SimulatorConfig::default()).await;
    for (username, password, organisation) in [
        ("clerk", "wrong", DEMO_ORGANISATION),
        ("nobody", DEMO_PASSWORD, DEMO_ORGANISATION),
        ("clerk", DEMO_PASSWORD, "OTHER"),
    ] {
        let mut config = ClientConfig::new(sim.base_url());
        config.credentials = Some(Credentials {
            username: username.into(),
            password: Secret::new(password),
            organisation: organisation.into(),
            unit: None,
        });
        let client = Client::new(config).expect("client builds");
        let error = client.login().await.expect_err("refused");
        assert!(
            matches!(error, ApiError::InvalidCredentials { .. }),
            "{error:?}"
        );
        assert!(!error.outcome_unknown());
        // a request logs in first, and reports the same refusal
        let error = client
            .show(&by_code(SEED_CODE), None)
            .await
            .expect_err("refused");
        assert!(
            matches!(error, ApiError::InvalidCredentials { .. }),
            "{error:?}"
        );
    }
    assert_eq!(sim.stats().logins, 0);
}

#[tokio::test]
async fn unknown_codes_and_wrong_pass_codes_are_not_found() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let error = client
        .show(&by_code("00000000000"), None)
        .await
        .expect_err("unknown");
    assert!(error.is_not_found(), "{error:?}");
    assert!(error.to_string().contains("00000000000"), "{error}");
    // the simulator answers a pass code mismatch with NOT_FOUND (it does not tell which half
    // was wrong)
    let wrong_pass = AccessTokenIdentifier::Identifier {
        identifier: "250".into(),
        pass_code: "0000".into(),
    };
    let error = client.show(&wrong_pass, None).await.expect_err("mismatch");
    assert!(error.is_not_found(), "{error:?}");
    assert!(
        !error.to_string().contains("0000"),
        "pass code not echoed: {error}"
    );
}

#[tokio::test]
async fn bad_paging_and_empty_owners_are_invalid_parameter() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    let zero = ListQuery {
        owner: ListOwner::AccountsReceivable(ACR_OF_FIVE.into()),
        number_of_results: 0,
        offset: 0,
    };
    let error = client.list(&zero, None).await.expect_err("zero per page");
    assert_eq!(error.server_code(), Some("INVALID_PARAMETER"), "{error:?}");
    let too_many = ListQuery {
        number_of_results: 1001,
        ..zero.clone()
    };
    let error = client.list(&too_many, None).await.expect_err("too many");
    assert_eq!(error.server_code(), Some("INVALID_PARAMETER"), "{error:?}");
    let empty_owner = ListQuery::first_page(ListOwner::RewardsParticipant(String::new()));
    let error = client.list(&empty_owner, None).await.expect_err("empty");
    assert_eq!(error.server_code(), Some("INVALID_PARAMETER"), "{error:?}");
}

/// The client always sends one identifier with all its fields, so MISSING_PARAMETER cannot be
/// provoked through it; the wire reader is checked on the simulator's own answer instead.
#[tokio::test]
async fn missing_parameter_reads_as_the_servers_refusal() {
    let sim = start(SimulatorConfig::default()).await;
    let session = raw_session(&sim).await;
    let response = reqwest::Client::new()
        .post(format!("{}/access_tokens/show", sim.base_url()))
        .header("content-type", "application/json")
        .body(json!({"token": session}).to_string())
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    let error = wire::read_envelope(status, &body).expect_err("refused");
    assert_eq!(error.server_code(), Some("MISSING_PARAMETER"), "{error:?}");
    assert!(
        error.to_string().contains("access_token_identifier"),
        "{error}"
    );
    let error = wire::read_envelope(
        400,
        br#"{"status":{"code":"MISSING_PARAMETER","message":"The parameter pass_code is mandatory."},"data":null}"#,
    )
    .expect_err("refused");
    assert_eq!(
        error,
        ApiError::server("MISSING_PARAMETER", "The parameter pass_code is mandatory.")
    );
}

// ---- sessions -----------------------------------------------------------------------------

#[tokio::test]
async fn expired_session_is_renewed_with_exactly_one_login() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    client.login().await.expect("logged in");
    assert_eq!(sim.stats().logins, 1);
    sim.expire_sessions();
    let token = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("renewed silently");
    assert_eq!(token.value["number"], "AT0000000671");
    assert_eq!(sim.stats().logins, 2);
    // and the renewed session is kept
    client
        .list(
            &ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into())),
            None,
        )
        .await
        .expect("listed");
    assert_eq!(sim.stats().logins, 2);
    // lists renew too
    sim.expire_sessions();
    client
        .list(
            &ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into())),
            None,
        )
        .await
        .expect("listed after renewal");
    assert_eq!(sim.stats().logins, 3);
}

#[tokio::test]
async fn action_after_expiry_is_repeated_once_and_applied_once() {
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    client.login().await.expect("logged in");
    sim.expire_sessions();
    let token = client
        .act(Action::Deactivate, &by_code(SEED_CODE), None)
        .await
        .expect("deactivated after renewal");
    assert_eq!(state_of(&token), LifeCycleState::NotEffective);
    assert_eq!(sim.stats().logins, 2);
}

#[tokio::test]
async fn session_token_without_credentials_expires_for_good() {
    let sim = start(SimulatorConfig::default()).await;
    let mut config = ClientConfig::new(sim.base_url());
    config.session_token = Some(Secret::new(raw_session(&sim).await));
    let client = Client::new(config).expect("client builds");
    client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("the given session works");
    sim.expire_sessions();
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("expired");
    assert_eq!(error, ApiError::SessionExpired);
    let error = client
        .list(
            &ListQuery::first_page(ListOwner::AccountsReceivable(ACR_OF_FIVE.into())),
            None,
        )
        .await
        .expect_err("expired");
    assert_eq!(error, ApiError::SessionExpired);
    assert_eq!(sim.stats().logins, 1, "only the raw login");
}

#[tokio::test]
async fn bogus_session_token_without_credentials_is_session_expired() {
    let sim = start(SimulatorConfig::default()).await;
    let mut config = ClientConfig::new(sim.base_url());
    config.session_token = Some(Secret::new("NOT-A-SESSION"));
    let client = Client::new(config).expect("client builds");
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("refused");
    assert_eq!(error, ApiError::SessionExpired);
    assert!(!error.outcome_unknown());
    // no session and no credentials at all
    let client = Client::new(ClientConfig::new(sim.base_url())).expect("client builds");
    assert_eq!(client.login().await, Err(ApiError::SessionExpired));
}

/// A base URL that misses the API answers with the servlet container's HTML 404: that must
/// read as a wrong address, never as "no such token" (which would mark the token deleted).
#[tokio::test]
async fn a_wrong_base_url_is_not_a_missing_token() {
    let sim = start(SimulatorConfig::default()).await;
    let session = raw_session(&sim).await;
    let mut config = ClientConfig::new(sim.base_url().replace("/v2", "/v9"));
    config.session_token = Some(Secret::new(&session));
    let client = Client::new(config).expect("client builds");
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("no such method");
    assert!(!error.is_not_found(), "{error:?}");
    assert!(
        matches!(error, ApiError::HttpStatus { status: 404, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains('<'), "{error}");
}

#[tokio::test]
async fn bogus_session_token_with_credentials_is_renewed() {
    let sim = start(SimulatorConfig::default()).await;
    let mut config = ClientConfig::new(sim.base_url());
    config.session_token = Some(Secret::new("NOT-A-SESSION"));
    config.credentials = Some(demo_credentials());
    let client = Client::new(config).expect("client builds");
    client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("renewed");
    assert_eq!(sim.stats().logins, 1);
}

// ---- time-outs and connections ------------------------------------------------------------

#[tokio::test]
async fn slow_server_times_out_with_outcome_unknown() {
    let sim = start(SimulatorConfig {
        latency: Duration::from_secs(2),
        ..SimulatorConfig::default()
    })
    .await;
    // Logged in already, so the time-out hits the request itself.
    let mut config = ClientConfig::new(sim.base_url());
    config.session_token = Some(Secret::new(raw_session(&sim).await));
    config.request_timeout = Duration::from_millis(300);
    let client = Client::new(config).expect("client builds");
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("too slow");
    assert_eq!(
        error,
        ApiError::TimedOut {
            after: Duration::from_millis(300)
        }
    );
    assert!(error.outcome_unknown());
    assert!(error.to_string().contains("0.3 s"), "{error}");
}

#[tokio::test]
async fn a_slow_log_in_is_not_an_unknown_outcome() {
    let sim = start(SimulatorConfig {
        latency: Duration::from_secs(2),
        ..SimulatorConfig::default()
    })
    .await;
    let mut config = ClientConfig::new(sim.base_url());
    config.credentials = Some(demo_credentials());
    config.request_timeout = Duration::from_millis(300);
    let client = Client::new(config).expect("client builds");
    let error = client
        .act(Action::Deactivate, &by_code(SEED_CODE), None)
        .await
        .expect_err("too slow");
    // The log-in timed out, so the deactivation was never sent.
    assert!(
        matches!(&error, ApiError::LoginUnanswered(cause) if matches!(**cause, ApiError::TimedOut { .. })),
        "{error:?}"
    );
    assert!(!error.outcome_unknown());
}

/// A cut-off log-in answer starts with the new session token: the sentence must not quote it.
#[tokio::test]
async fn a_cut_off_log_in_answer_is_never_quoted() {
    let sim = start(faulty(Fault::Truncated, 1)).await;
    let client = client_for(&sim);
    let error = client.login().await.expect_err("cut off");
    assert_eq!(error, ApiError::LoginNotJson);
    assert_eq!(
        error.to_string(),
        "Logging in failed: the server's answer is not valid JSON."
    );
    assert!(!error.outcome_unknown(), "nothing else was sent");
    let error = client
        .act(Action::Deactivate, &by_code(SEED_CODE), None)
        .await
        .expect_err("cut off");
    assert_eq!(error, ApiError::LoginNotJson);
}

#[tokio::test]
async fn refused_connection_is_connect_and_nothing_happened() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mut config = ClientConfig::new(format!("http://127.0.0.1:{port}"));
    config.credentials = Some(demo_credentials());
    let client = Client::new(config).expect("client builds");
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("nobody listens");
    match &error {
        ApiError::Connect { host, .. } => assert_eq!(host, &format!("127.0.0.1:{port}")),
        other => panic!("expected Connect, got {other:?}"),
    }
    assert!(!error.outcome_unknown());
}

#[test]
fn unusable_urls_are_config_errors() {
    for url in ["crm.example.com", "ftp://crm.example.com", ""] {
        let error = Client::new(ClientConfig::new(url)).expect_err(url);
        assert!(matches!(error, ApiError::Config(_)), "{url}: {error:?}");
    }
}

// ---- faults -------------------------------------------------------------------------------
// `fail_every: 2` with a fresh client: request 1 is the login, request 2 gets the fault.

#[tokio::test]
async fn html_502_is_a_short_http_status_without_markup() {
    let sim = start(faulty(Fault::Html502, 2)).await;
    let client = client_for(&sim);
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("502");
    assert!(
        matches!(error, ApiError::HttpStatus { status: 502, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(!text.contains('<'), "{text}");
    assert!(text.chars().count() <= 160, "{text}");
    assert!(text.contains("502"), "{text}");
    assert!(error.outcome_unknown());
}

#[tokio::test]
async fn truncated_answer_is_not_json() {
    let sim = start(faulty(Fault::Truncated, 2)).await;
    let client = client_for(&sim);
    let error = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect_err("cut");
    assert!(matches!(error, ApiError::NotJson { .. }), "{error:?}");
    assert!(error.outcome_unknown());
}

#[tokio::test]
async fn disconnect_is_outcome_unknown_and_the_action_did_happen() {
    let sim = start(faulty(Fault::Disconnect, 2)).await;
    let client = client_for(&sim);
    let error = client
        .act(Action::Deactivate, &by_code(SEED_CODE), None)
        .await
        .expect_err("connection cut");
    assert!(matches!(error, ApiError::Disconnected { .. }), "{error:?}");
    assert!(error.outcome_unknown());
    // request 3: the re-read the console does, which shows the change went through
    let token = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("re-read");
    assert_eq!(state_of(&token), LifeCycleState::NotEffective);
}

#[tokio::test]
async fn internal_error_is_a_server_refusal() {
    let sim = start(faulty(Fault::InternalError, 2)).await;
    let client = client_for(&sim);
    assert_code(
        client
            .act(Action::Deactivate, &by_code(SEED_CODE), None)
            .await,
        "INTERNAL_ERROR",
    );
    let token = client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("re-read");
    assert_eq!(
        state_of(&token),
        LifeCycleState::Effective,
        "the method did not run"
    );
}

#[tokio::test]
async fn internal_error_under_http_500_is_still_the_servers_code() {
    let sim = start(SimulatorConfig {
        http_error_status: true,
        ..faulty(Fault::InternalError, 2)
    })
    .await;
    let client = client_for(&sim);
    assert_code(
        client.show(&by_code(SEED_CODE), None).await,
        "INTERNAL_ERROR",
    );
}

#[tokio::test]
async fn http_error_statuses_still_read_as_the_servers_codes() {
    let sim = start(SimulatorConfig {
        http_error_status: true,
        ..SimulatorConfig::default()
    })
    .await;
    let client = client_for(&sim);
    assert_code(
        client.show(&by_code("00000000000"), None).await,
        "NOT_FOUND",
    );
    assert_code(
        client
            .act(Action::Activate, &by_code(SEED_CODE), None)
            .await,
        "INVALID_LIFE_CYCLE_STATE",
    );
    let zero = ListQuery {
        owner: ListOwner::AccountsReceivable(ACR_OF_FIVE.into()),
        number_of_results: 0,
        offset: 0,
    };
    let error = client.list(&zero, None).await.expect_err("bad paging");
    assert_eq!(error.server_code(), Some("INVALID_PARAMETER"), "{error:?}");
    // INVALID_TOKEN under 401 still renews the session silently
    assert_eq!(sim.stats().logins, 1);
    sim.expire_sessions();
    client
        .show(&by_code(SEED_CODE), None)
        .await
        .expect("renewed under 401");
    assert_eq!(sim.stats().logins, 2);
    // INVALID_CREDENTIALS under 401
    let mut config = ClientConfig::new(sim.base_url());
    config.credentials = Some(Credentials {
        password: Secret::new("wrong"),
        ..demo_credentials()
    });
    let error = Client::new(config)
        .expect("client builds")
        .login()
        .await
        .expect_err("refused");
    assert!(
        matches!(error, ApiError::InvalidCredentials { .. }),
        "{error:?}"
    );
}

// ---- the API task -------------------------------------------------------------------------

/// The API task's audit log for tests that only read: there is nowhere to write it, so an
/// action sent by mistake would be refused.
fn no_audit() -> AuditLog {
    AuditLog::new(None, AuditContext::default())
}

async fn next_event(events: &mut tokio::sync::mpsc::UnboundedReceiver<ApiEvent>) -> ApiEvent {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event within 10 s")
        .expect("the task is running")
}

#[tokio::test]
async fn task_answers_a_show_with_started_then_finished() {
    let sim = start(SimulatorConfig::default()).await;
    let (handle, mut events) = api_task::spawn(client_for(&sim), no_audit());
    assert!(handle.send(ApiCommand::Send {
        id: RequestId(7),
        operation: Operation::Show {
            identifier: by_code(SEED_CODE),
            fields: None,
        },
    }));
    let started = next_event(&mut events).await;
    assert_eq!(started.id, RequestId(7));
    assert!(matches!(started.kind, ApiEventKind::Started), "{started:?}");
    let finished = next_event(&mut events).await;
    assert_eq!(finished.id, RequestId(7));
    match finished.kind {
        ApiEventKind::Finished(Ok(Reply::Token(token))) => {
            assert_eq!(token.value["number"], "AT0000000671")
        }
        other => panic!("expected the token, got {other:?}"),
    }
    // errors come back as events too
    handle.send(ApiCommand::Send {
        id: RequestId(8),
        operation: Operation::Show {
            identifier: by_code("00000000000"),
            fields: None,
        },
    });
    loop {
        let event = next_event(&mut events).await;
        assert_eq!(event.id, RequestId(8));
        if let ApiEventKind::Finished(result) = event.kind {
            assert!(result.expect_err("unknown").is_not_found());
            break;
        }
    }
}

#[tokio::test]
async fn cancelled_request_never_finishes_while_another_does() {
    let latency = Duration::from_millis(600);
    let sim = start(SimulatorConfig {
        latency,
        ..SimulatorConfig::default()
    })
    .await;
    let client = client_for(&sim);
    client.login().await.expect("logged in beforehand");
    let (handle, mut events) = api_task::spawn(client, no_audit());
    let show = |code: &str| Operation::Show {
        identifier: by_code(code),
        fields: None,
    };
    let before = sim.stats().requests;
    handle.send(ApiCommand::Send {
        id: RequestId(1),
        operation: show(SEED_CODE),
    });
    // Cancel only once the first request is under way and has reached the server, so the
    // cancel has an answer to suppress (sent before it starts, it proves nothing).
    let event = next_event(&mut events).await;
    assert_eq!(event.id, RequestId(1));
    assert!(
        matches!(event.kind, ApiEventKind::Started),
        "{:?}",
        event.kind
    );
    tokio::time::timeout(Duration::from_secs(10), async {
        while sim.stats().requests == before {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the first request reaches the server");
    handle.send(ApiCommand::Cancel(RequestId(1)));
    handle.send(ApiCommand::Send {
        id: RequestId(2),
        operation: show(EFFECTIVE_CODE),
    });
    // the second request's answer arrives...
    loop {
        let event = next_event(&mut events).await;
        match (event.id, event.kind) {
            (RequestId(1), ApiEventKind::Finished(result)) => {
                panic!("cancelled request finished: {result:?}")
            }
            (RequestId(2), ApiEventKind::Finished(result)) => {
                match result.expect("shown") {
                    Reply::Token(token) => assert_eq!(token.value["number"], "AT0000000709"),
                    other => panic!("expected a token, got {other:?}"),
                }
                break;
            }
            _ => {}
        }
    }
    // ...and the cancelled one stays silent for longer than its answer would have taken.
    let quiet = tokio::time::timeout(latency.mul_f32(1.5), async {
        while let Some(event) = events.recv().await {
            if event.id == RequestId(1) && matches!(event.kind, ApiEventKind::Finished(_)) {
                return event;
            }
        }
        std::future::pending().await
    })
    .await;
    assert!(quiet.is_err(), "cancelled request answered: {quiet:?}");
    assert_eq!(
        sim.stats().requests,
        before + 2,
        "both requests reached the server"
    );
}

#[tokio::test]
async fn task_ends_when_its_handle_is_dropped() {
    let sim = start(SimulatorConfig::default()).await;
    let (handle, mut events) = api_task::spawn(client_for(&sim), no_audit());
    drop(handle);
    let end = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("the event channel closes");
    assert!(end.is_none());
}

// ---- pinned by mutation testing (TESTING.md) ------------------------------------------------

#[tokio::test]
async fn two_requests_refused_together_renew_the_session_once() {
    // Both go out with the expired session before either answer is back; the second to be
    // refused finds the session already renewed by the first and uses it.
    let sim = start(SimulatorConfig::default()).await;
    let client = client_for(&sim);
    client.login().await.expect("logged in");
    sim.expire_sessions();
    let (seed, effective) = (by_code(SEED_CODE), by_code(EFFECTIVE_CODE));
    let (first, second) = tokio::join!(client.show(&seed, None), client.show(&effective, None));
    first.expect("renewed silently");
    second.expect("renewed silently");
    assert_eq!(sim.stats().logins, 2, "one log-in, then one renewal");
}
