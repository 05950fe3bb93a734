//! The simulator over real HTTP, spoken to with plain reqwest as any client would.

use std::collections::HashSet;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tokendesk::simulator::{
    API_PREFIX, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERNAME, Fault, Simulator, SimulatorConfig,
    SimulatorStats, demo_tokens,
};

/// From the set_as_not_effective seed example; EFFECTIVE in the demo data.
const SEED_EFFECTIVE_CODE: &str = "99021047380";
/// From the delete seed example; NOT_EFFECTIVE in the demo data, spelled `reward_participant`.
const SEED_NOT_EFFECTIVE_CODE: &str = "testpassnew1";

async fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("simulator starts")
}

async fn start_default() -> Simulator {
    start(SimulatorConfig::default()).await
}

fn faulty(fault: Fault, every: u32) -> SimulatorConfig {
    SimulatorConfig {
        fail_every: NonZeroU32::new(every),
        fault,
        ..SimulatorConfig::default()
    }
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request is answered");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body is read");
    let envelope = serde_json::from_slice(&body)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(&body)));
    (status, envelope)
}

fn post_request(sim: &Simulator, method: &str, body: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("{}/{method}", sim.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string())
}

async fn post(sim: &Simulator, method: &str, body: Value) -> (u16, Value) {
    send(post_request(sim, method, &body.to_string())).await
}

async fn get(sim: &Simulator, method_and_query: &str) -> (u16, Value) {
    send(reqwest::Client::new().get(format!("{}/{method_and_query}", sim.base_url()))).await
}

async fn login(sim: &Simulator) -> String {
    let (status, envelope) = post(
        sim,
        "authentication/token",
        json!({"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "organisation": DEMO_ORGANISATION}),
    )
    .await;
    assert_eq!(status, 200);
    // The login answer is worded in the older style.
    assert_eq!(
        envelope["status"],
        json!({"code": "OK", "message": null, "description": null}),
        "{envelope}"
    );
    envelope["data"]["token"]
        .as_str()
        .expect("session token")
        .to_string()
}

fn code(envelope: &Value) -> &str {
    envelope["status"]["code"].as_str().expect("status.code")
}

/// Asserts an error envelope: the code, `data: null` and a human sentence where the
/// simulator's rule puts it: parameter errors in `description` with `"message": null`,
/// every other error in `message` with `"description": ""`. `case` names what was sent.
fn assert_error(case: &str, envelope: &Value, expected: &str) {
    assert_eq!(code(envelope), expected, "{case}: {envelope}");
    assert!(envelope["data"].is_null(), "{case}: {envelope}");
    let status = envelope["status"].as_object().expect("status object");
    let mut keys: Vec<&str> = status.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["code", "description", "message"],
        "{case}: {envelope}"
    );
    let sentence = if matches!(expected, "MISSING_PARAMETER" | "INVALID_PARAMETER") {
        assert!(status["message"].is_null(), "{case}: {envelope}");
        &status["description"]
    } else {
        assert_eq!(status["description"], "", "{case}: {envelope}");
        &status["message"]
    };
    let sentence = sentence.as_str().expect("a sentence");
    assert!(
        sentence.ends_with('.') && sentence.len() > 10,
        "{case}: {sentence}"
    );
}

/// What one step of a table should answer.
enum Expect {
    /// OK, with these strings at these JSON pointers into `data`.
    Data(&'static [(&'static str, &'static str)]),
    /// Refused with this code (checked by `assert_error`), in a sentence that mentions the
    /// second string.
    Refused(&'static str, &'static str),
}

fn assert_expected(case: &str, envelope: &Value, expected: &Expect) {
    match expected {
        Expect::Data(fields) => {
            assert_eq!(code(envelope), "OK", "{case}: {envelope}");
            for (pointer, value) in *fields {
                assert_eq!(
                    envelope["data"].pointer(pointer),
                    Some(&Value::from(*value)),
                    "{case}: {pointer} in {envelope}"
                );
            }
        }
        Expect::Refused(expected, mentioned) => {
            assert_error(case, envelope, expected);
            let status = &envelope["status"];
            let sentence = format!("{} {}", status["message"], status["description"]);
            assert!(sentence.contains(mentioned), "{case}: {sentence}");
        }
    }
}

async fn by_code(
    sim: &Simulator,
    method: &str,
    session: &str,
    authentication_code: &str,
) -> (u16, Value) {
    post(
        sim,
        method,
        json!({"token": session, "access_token_identifier": {"authentication_code": authentication_code}}),
    )
    .await
}

#[tokio::test]
async fn base_url_names_the_api_prefix_without_trailing_slash() {
    let sim = start_default().await;
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{}{API_PREFIX}", sim.addr().port())
    );
    assert!(!sim.base_url().ends_with('/'));
}

#[tokio::test]
async fn login_accepts_the_demo_credentials_only() {
    let sim = start_default().await;
    let first = login(&sim).await;
    let second = login(&sim).await;
    assert_ne!(first, second, "every login gets its own session token");

    let cases = [
        (
            "American spelling, with a unit",
            json!({"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "organization": DEMO_ORGANISATION, "unit": "Admin Unit"}).to_string(),
            "OK",
        ),
        (
            "wrong password",
            json!({"username": DEMO_USERNAME, "password": "wrong", "organisation": DEMO_ORGANISATION}).to_string(),
            "INVALID_CREDENTIALS",
        ),
        (
            "no password or organisation",
            json!({"username": DEMO_USERNAME}).to_string(),
            "MISSING_PARAMETER",
        ),
        ("cut-off JSON", "{\"username\": ".to_string(), "INVALID_PARAMETER"),
    ];
    for (case, body, expected) in cases {
        let (status, envelope) = send(post_request(&sim, "authentication/token", &body)).await;
        assert_eq!(status, 200, "{case}");
        match expected {
            "OK" => assert_eq!(code(&envelope), "OK", "{case}: {envelope}"),
            refused => assert_error(case, &envelope, refused),
        }
    }

    assert_eq!(
        sim.stats(),
        SimulatorStats {
            logins: 3,
            requests: 6,
            actions: 0,
            changes: 0,
            state_refusals: 0,
        }
    );
}

#[tokio::test]
async fn show_by_authentication_code_or_identifier() {
    let sim = start_default().await;
    let session = login(&sim).await;

    let (status, envelope) =
        by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_eq!((status, code(&envelope)), (200, "OK"));
    assert_eq!(
        envelope["status"],
        json!({"code": "OK", "message": "", "description": ""})
    );
    assert_eq!(envelope["data"]["number"], "AT0000000671");
    assert_eq!(
        envelope["data"]["rewards_participant"]["number"],
        "RP0000000010"
    );

    let (_, envelope) = post(
        &sim,
        "access_tokens/show",
        json!({"token": session, "access_token_identifier": {"identifier": "250", "pass_code": "4821"}}),
    )
    .await;
    assert_eq!(envelope["data"]["authentication_code"], SEED_EFFECTIVE_CODE);

    let (_, envelope) = post(
        &sim,
        "access_tokens/show",
        json!({"token": session, "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}, "fields_set": "number,life_cycle_state"}),
    )
    .await;
    assert_eq!(
        envelope["data"],
        json!({"number": "AT0000000671", "life_cycle_state": "EFFECTIVE"})
    );
}

#[tokio::test]
async fn show_refuses_bad_identifiers_and_sessions() {
    let sim = start_default().await;
    let session = login(&sim).await;

    let (status, envelope) = by_code(&sim, "access_tokens/show", &session, "123").await;
    assert_eq!(status, 200);
    assert_error("unknown code", &envelope, "NOT_FOUND");
    assert_eq!(
        envelope["status"]["message"],
        "No access token matches authentication code 123."
    );

    let cases = [
        (
            "wrong pass code",
            json!({"token": session, "access_token_identifier": {"identifier": "250", "pass_code": "0000"}}).to_string(),
            "NOT_FOUND",
        ),
        (
            "identifier without pass code",
            json!({"token": session, "access_token_identifier": {"identifier": "250"}}).to_string(),
            "MISSING_PARAMETER",
        ),
        (
            "no identifier",
            json!({"token": session}).to_string(),
            "MISSING_PARAMETER",
        ),
        (
            "empty identifier",
            json!({"token": session, "access_token_identifier": {}}).to_string(),
            "MISSING_PARAMETER",
        ),
        (
            "both a code and an identifier",
            json!({"token": session, "access_token_identifier": {
                "authentication_code": SEED_EFFECTIVE_CODE, "identifier": "250", "pass_code": "4821"}})
            .to_string(),
            "INVALID_PARAMETER",
        ),
        ("not JSON", "not json at all".to_string(), "INVALID_PARAMETER"),
        (
            "no session token",
            json!({"access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}})
                .to_string(),
            "INVALID_TOKEN",
        ),
        (
            "unknown session token",
            json!({"token": "NOT-A-SESSION", "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}}).to_string(),
            "INVALID_TOKEN",
        ),
    ];
    for (case, body, expected) in cases {
        let (status, envelope) = send(post_request(&sim, "access_tokens/show", &body)).await;
        assert_eq!(status, 200, "{case}");
        assert_error(case, &envelope, expected);
    }
}

#[tokio::test]
async fn life_cycle_over_http() {
    let sim = start_default().await;
    let session = login(&sim).await;

    let (_, envelope) = by_code(
        &sim,
        "access_tokens/set_as_not_effective",
        &session,
        SEED_EFFECTIVE_CODE,
    )
    .await;
    assert_eq!(code(&envelope), "OK", "{envelope}");
    assert_eq!(envelope["data"]["life_cycle_state"], "NOT_EFFECTIVE");
    let log = &envelope["data"]["log_information"];
    assert_eq!(log["updated_by_user"]["username"], DEMO_USERNAME);
    assert!(log["updated_by_user"]["email"].is_null());
    let updated = log["updated_date"].as_str().expect("updated_date");
    assert_eq!(updated.len(), "2017-09-14T12:20:06".len(), "{updated}");
    assert!(updated > "2017-09-14T12:20:06", "{updated}");

    // In order: each step acts on the token as the steps before it left it.
    let steps = [
        (
            "deactivate it again",
            "set_as_not_effective",
            SEED_EFFECTIVE_CODE,
            Expect::Refused("INVALID_LIFE_CYCLE_STATE", "NOT_EFFECTIVE"),
        ),
        (
            "re-activate it",
            "set_as_effective",
            SEED_EFFECTIVE_CODE,
            Expect::Data(&[("/life_cycle_state", "EFFECTIVE")]),
        ),
        (
            "re-activate it again",
            "set_as_effective",
            SEED_EFFECTIVE_CODE,
            Expect::Refused("INVALID_LIFE_CYCLE_STATE", "is EFFECTIVE"),
        ),
        (
            "delete an EFFECTIVE token",
            "delete",
            SEED_EFFECTIVE_CODE,
            Expect::Refused("INVALID_LIFE_CYCLE_STATE", "is EFFECTIVE"),
        ),
        (
            "delete a NOT_EFFECTIVE token",
            "delete",
            SEED_NOT_EFFECTIVE_CODE,
            Expect::Data(&[("/number", "35"), ("/reward_participant/number", "28")]),
        ),
        (
            "show the deleted token",
            "show",
            SEED_NOT_EFFECTIVE_CODE,
            Expect::Refused("NOT_FOUND", SEED_NOT_EFFECTIVE_CODE),
        ),
        (
            "delete it again",
            "delete",
            SEED_NOT_EFFECTIVE_CODE,
            Expect::Refused("NOT_FOUND", SEED_NOT_EFFECTIVE_CODE),
        ),
    ];
    for (case, method, authentication_code, expected) in &steps {
        let (_, envelope) = by_code(
            &sim,
            &format!("access_tokens/{method}"),
            &session,
            authentication_code,
        )
        .await;
        assert_expected(case, &envelope, expected);
    }

    for method in ["set_as_effective", "set_as_not_effective", "delete"] {
        let (_, envelope) = post(
            &sim,
            &format!("access_tokens/{method}"),
            json!({"token": session}),
        )
        .await;
        assert_error(
            &format!("{method} without an identifier"),
            &envelope,
            "MISSING_PARAMETER",
        );
        let (_, envelope) = by_code(
            &sim,
            &format!("access_tokens/{method}"),
            "expired?",
            SEED_EFFECTIVE_CODE,
        )
        .await;
        assert_error(
            &format!("{method} with an unknown session"),
            &envelope,
            "INVALID_TOKEN",
        );
    }
}

#[tokio::test]
async fn changes_honour_fields_set() {
    let sim = start_default().await;
    let session = login(&sim).await;
    let (_, envelope) = post(
        &sim,
        "access_tokens/set_as_not_effective",
        json!({"token": session, "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}, "fields_set": "life_cycle_state"}),
    )
    .await;
    assert_eq!(
        envelope["data"],
        json!({"life_cycle_state": "NOT_EFFECTIVE"})
    );
}

#[tokio::test]
async fn list_takes_the_nested_identifier_raw_or_percent_encoded() {
    let sim = start_default().await;
    let session = login(&sim).await;
    let (status, raw) = get(
        &sim,
        &format!(
            "access_tokens/list?token={session}&accounts_receivable_identifier=number=ACR0000000069"
        ),
    )
    .await;
    assert_eq!((status, code(&raw)), (200, "OK"), "{raw}");
    let (_, encoded) = get(
        &sim,
        &format!("access_tokens/list?token={session}&accounts_receivable_identifier=number%3DACR0000000069"),
    )
    .await;
    assert_eq!(raw, encoded);
    let tokens = raw["data"].as_array().expect("array");
    assert!(tokens.len() >= 3);
    assert!(
        tokens
            .iter()
            .all(|t| t["accounts_receivable"]["number"] == "ACR0000000069")
    );
    let numbers: Vec<&str> = tokens
        .iter()
        .map(|t| t["number"].as_str().expect("number"))
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(numbers, sorted, "stable order by token number");

    let acr_id = tokens[0]["accounts_receivable"]["id"].as_str().expect("id");
    let (_, by_id) = get(
        &sim,
        &format!("access_tokens/list?token={session}&accounts_receivable_identifier=id={acr_id}"),
    )
    .await;
    assert_eq!(by_id["data"], raw["data"]);
}

#[tokio::test]
async fn list_by_rewards_participant_filters_and_pages() {
    let sim = start_default().await;
    let session = login(&sim).await;
    let sim = &sim;
    let session = session.as_str();
    let list = |query: String| async move {
        get(sim, &format!("access_tokens/list?token={session}&{query}")).await
    };

    // The delete seed's participant is spelled `reward_participant`.
    let (_, envelope) = list("rewards_participant_identifier=number=28".into()).await;
    assert_eq!(envelope["data"].as_array().expect("array").len(), 1);

    let (_, all) = list("rewards_participant_identifier=number=RP0000000010".into()).await;
    let all = all["data"].as_array().expect("array").clone();
    assert!(all.len() >= 3);
    let (_, page) = list(
        "rewards_participant_identifier=number=RP0000000010&number_of_results=2&offset=1".into(),
    )
    .await;
    assert_eq!(page["data"], json!(all[1..3]));

    let (_, mobile) = list(
        "rewards_participant_identifier=number=RP0000000010&classification_identifier=alternative_code%3DMA".into(),
    )
    .await;
    let mobile = mobile["data"].as_array().expect("array");
    assert!(!mobile.is_empty() && mobile.len() < all.len());
    assert!(
        mobile
            .iter()
            .all(|t| t["classification"]["alternative_code"] == "MA")
    );
    let (_, by_name) = list(
        "rewards_participant_identifier=number=RP0000000010&classification_identifier=name=Mobile%20Application".into(),
    )
    .await;
    assert_eq!(by_name["data"], json!(mobile));

    let (_, slim) =
        list("rewards_participant_identifier=number=RP0000000010&fields_set=number".into()).await;
    assert!(
        slim["data"].as_array().expect("array").iter().all(|t| t
            .as_object()
            .expect("object")
            .len()
            == 1)
    );

    let (_, none) = list("accounts_receivable_identifier=number=ACR9999999999".into()).await;
    assert_eq!(none["data"], json!([]));
}

#[tokio::test]
async fn list_refuses_bad_parameters() {
    let sim = start_default().await;
    let session = login(&sim).await;
    let cases = [
        ("", "MISSING_PARAMETER"),
        (
            "&accounts_receivable_identifier=number=A&rewards_participant_identifier=number=R",
            "INVALID_PARAMETER",
        ),
        (
            "&accounts_receivable_identifier=ACR0000000069",
            "INVALID_PARAMETER",
        ),
        (
            "&accounts_receivable_identifier=number=ACR0000000069&number_of_results=0",
            "INVALID_PARAMETER",
        ),
        (
            "&accounts_receivable_identifier=number=ACR0000000069&number_of_results=1001",
            "INVALID_PARAMETER",
        ),
        (
            "&accounts_receivable_identifier=number=ACR0000000069&offset=-1",
            "INVALID_PARAMETER",
        ),
        (
            "&accounts_receivable_identifier=number=ACR0000000069&offset=x",
            "INVALID_PARAMETER",
        ),
    ];
    for (query, expected) in cases {
        let (status, envelope) =
            get(&sim, &format!("access_tokens/list?token={session}{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_error(query, &envelope, expected);
    }
    let (_, envelope) = get(
        &sim,
        "access_tokens/list?accounts_receivable_identifier=number=ACR0000000069",
    )
    .await;
    assert_error("list without a session token", &envelope, "INVALID_TOKEN");
}

/// What the servlet container answers: an HTML page, never an envelope (CRM.COM's NOT_FOUND
/// means "no access token matches", which a routing error is not).
async fn html_page(request: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, String) {
    let response = request.send().await.expect("request is answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body is read");
    let content_type = headers["content-type"].to_str().expect("ascii");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
    (status, headers, body)
}

#[tokio::test]
async fn unknown_routes_and_methods_get_an_html_page() {
    let sim = start_default().await;
    let client = reqwest::Client::new();
    let cases = [
        ("an unknown path", Method::GET, "contacts/show", 404, None),
        (
            "show by GET",
            Method::GET,
            "access_tokens/show",
            405,
            Some("POST"),
        ),
        (
            "list by POST",
            Method::POST,
            "access_tokens/list",
            405,
            Some("GET"),
        ),
        (
            "log in by GET",
            Method::GET,
            "authentication/token",
            405,
            Some("POST"),
        ),
    ];
    for (case, method, path, expected_status, allow) in cases {
        let (status, headers, page) =
            html_page(client.request(method, format!("{}/{path}", sim.base_url()))).await;
        assert_eq!(status, expected_status, "{case}");
        let title = match status {
            404 => "<title>404 Not Found</title>",
            _ => "<title>405 Method Not Allowed</title>",
        };
        assert!(page.contains(title), "{case}: {page}");
        assert!(
            page.contains(&format!("/crmapi/rest/v2/{path}")),
            "{case}: {page}"
        );
        assert_eq!(
            headers.get("allow").and_then(|v| v.to_str().ok()),
            allow,
            "{case}"
        );
    }
}

#[tokio::test]
async fn http_error_status_maps_codes_to_statuses() {
    let sim = start(SimulatorConfig {
        http_error_status: true,
        ..SimulatorConfig::default()
    })
    .await;
    let session = login(&sim).await;
    let body_by_code = |session: &str, code: &str| {
        json!({"token": session, "access_token_identifier": {"authentication_code": code}})
            .to_string()
    };
    let cases = [
        (
            "wrong credentials",
            "authentication/token",
            json!({"username": "x", "password": "y", "organisation": "z"}).to_string(),
            (401, "INVALID_CREDENTIALS"),
        ),
        (
            "unknown session",
            "access_tokens/show",
            body_by_code("bogus", SEED_EFFECTIVE_CODE),
            (401, "INVALID_TOKEN"),
        ),
        (
            "no identifier",
            "access_tokens/show",
            json!({"token": session}).to_string(),
            (400, "MISSING_PARAMETER"),
        ),
        (
            "cut-off JSON",
            "access_tokens/show",
            "{".to_string(),
            (400, "INVALID_PARAMETER"),
        ),
        (
            "unknown code",
            "access_tokens/show",
            body_by_code(&session, "123"),
            (404, "NOT_FOUND"),
        ),
        (
            "re-activate an EFFECTIVE token",
            "access_tokens/set_as_effective",
            body_by_code(&session, SEED_EFFECTIVE_CODE),
            (409, "INVALID_LIFE_CYCLE_STATE"),
        ),
        (
            "show a token",
            "access_tokens/show",
            body_by_code(&session, SEED_EFFECTIVE_CODE),
            (200, "OK"),
        ),
    ];
    for (case, method, body, expected) in cases {
        let (status, envelope) = send(post_request(&sim, method, &body)).await;
        assert_eq!((status, code(&envelope)), expected, "{case}: {envelope}");
    }
}

#[tokio::test]
async fn html502_fault_hits_every_nth_request() {
    let sim = start(faulty(Fault::Html502, 2)).await;
    let session = login(&sim).await;
    let response = reqwest::Client::new()
        .get(format!("{}/access_tokens/list?token={session}&accounts_receivable_identifier=number=ACR0000000069", sim.base_url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 502);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("502 Bad Gateway")
    );
    // The third request is not a multiple of two: answered normally.
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_eq!(code(&envelope), "OK");
    assert_eq!(
        sim.stats(),
        SimulatorStats {
            logins: 1,
            requests: 3,
            actions: 0,
            changes: 0,
            state_refusals: 0,
        }
    );
}

#[tokio::test]
async fn truncated_fault_sends_half_an_envelope() {
    let sim = start(faulty(Fault::Truncated, 2)).await;
    let session = login(&sim).await;
    let response = post_request(
        &sim,
        "access_tokens/show",
        &json!({"token": session, "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}}).to_string(),
    )
    .send()
    .await
    .expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("json")
    );
    let body = response.bytes().await.expect("a complete, if short, body");
    assert!(body.len() > 100, "{}", body.len());
    assert!(serde_json::from_slice::<Value>(&body).is_err());
}

#[tokio::test]
async fn disconnect_fault_cuts_the_answer_after_the_method_ran() {
    let sim = start(faulty(Fault::Disconnect, 2)).await;
    let session = login(&sim).await;
    let response = post_request(
        &sim,
        "access_tokens/set_as_not_effective",
        &json!({"token": session, "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}}).to_string(),
    )
    .send()
    .await
    .expect("the status line and headers arrive");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.bytes().await.is_err(),
        "the connection must die mid-answer"
    );
    // The change happened even though its answer was lost.
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_eq!(envelope["data"]["life_cycle_state"], "NOT_EFFECTIVE");
}

#[tokio::test]
async fn truncated_and_disconnect_keep_the_methods_http_status() {
    for fault in [Fault::Truncated, Fault::Disconnect] {
        let sim = start(SimulatorConfig {
            http_error_status: true,
            ..faulty(fault, 2)
        })
        .await;
        let session = login(&sim).await;
        // Request 2 is faulted: the method's own answer is NOT_FOUND under HTTP 404.
        let response = post_request(
            &sim,
            "access_tokens/show",
            &json!({"token": session, "access_token_identifier": {"authentication_code": "123"}})
                .to_string(),
        )
        .send()
        .await
        .expect("the status line and headers arrive");
        assert_eq!(response.status().as_u16(), 404, "{fault:?}");
        let body = response.bytes().await;
        match fault {
            Fault::Truncated => {
                let body = body.expect("a complete, if short, body");
                assert!(serde_json::from_slice::<Value>(&body).is_err(), "{fault:?}");
                assert!(String::from_utf8_lossy(&body).contains("NOT_FOUND"));
            }
            _ => assert!(body.is_err(), "the connection must die mid-answer"),
        }
        // Request 4, an expired session, is faulted too: still the method's HTTP 401.
        let (_, envelope) =
            by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
        assert_eq!(code(&envelope), "OK");
        let response = post_request(
            &sim,
            "access_tokens/show",
            &json!({"token": "bogus", "access_token_identifier": {"authentication_code": SEED_EFFECTIVE_CODE}})
                .to_string(),
        )
        .send()
        .await
        .expect("the status line and headers arrive");
        assert_eq!(response.status().as_u16(), 401, "{fault:?}");
    }
}

#[tokio::test]
async fn internal_error_fault_is_an_envelope() {
    for (http_error_status, expected_status) in [(false, 200), (true, 500)] {
        let case = format!("http_error_status {http_error_status}");
        let sim = start(SimulatorConfig {
            http_error_status,
            ..faulty(Fault::InternalError, 1)
        })
        .await;
        let (status, envelope) =
            by_code(&sim, "access_tokens/show", "any", SEED_EFFECTIVE_CODE).await;
        assert_eq!(status, expected_status, "{case}");
        assert_error(&case, &envelope, "INTERNAL_ERROR");
    }
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let latency = Duration::from_millis(120);
    let sim = start(SimulatorConfig {
        latency,
        ..SimulatorConfig::default()
    })
    .await;
    let started = Instant::now();
    let (status, _, _) =
        html_page(reqwest::Client::new().get(format!("{}/nowhere", sim.base_url()))).await;
    assert_eq!(status, 404, "the fallback is delayed too");
    assert!(started.elapsed() >= latency);
}

#[tokio::test]
async fn expired_sessions_need_a_new_login() {
    let sim = start_default().await;
    let session = login(&sim).await;
    sim.expire_sessions();
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_error("an expired session", &envelope, "INVALID_TOKEN");
    let fresh = login(&sim).await;
    let (_, envelope) = by_code(&sim, "access_tokens/show", &fresh, SEED_EFFECTIVE_CODE).await;
    assert_eq!(code(&envelope), "OK");
}

#[tokio::test]
async fn short_session_ttl_expires_by_itself() {
    let sim = start(SimulatorConfig {
        session_ttl: Duration::ZERO,
        ..SimulatorConfig::default()
    })
    .await;
    let session = login(&sim).await;
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_error("a session that lives no time", &envelope, "INVALID_TOKEN");
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sim = start_default().await;
    let addr = sim.addr();
    login(&sim).await;
    sim.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn custom_tokens_replace_the_demo_data() {
    let mut tokens = demo_tokens();
    tokens.truncate(1);
    let only_code = tokens[0].data["authentication_code"]
        .as_str()
        .expect("code")
        .to_string();
    let sim = start(SimulatorConfig {
        tokens,
        ..SimulatorConfig::default()
    })
    .await;
    let session = login(&sim).await;
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, &only_code).await;
    assert_eq!(code(&envelope), "OK");
    let (_, envelope) = by_code(&sim, "access_tokens/show", &session, "99021976135").await;
    assert_error("a demo token left out", &envelope, "NOT_FOUND");
}

#[test]
fn demo_data_invariants() {
    let tokens = demo_tokens();
    assert!(tokens.len() >= 44, "{}", tokens.len());
    let text = |value: &Value| value.as_str().map(str::to_string);

    let accounts: HashSet<_> = tokens
        .iter()
        .filter_map(|t| text(&t.data["accounts_receivable"]["number"]))
        .collect();
    assert!(accounts.len() >= 9, "{accounts:?}");

    let states: HashSet<_> = tokens
        .iter()
        .filter_map(|t| text(&t.data["life_cycle_state"]))
        .collect();
    for state in ["EFFECTIVE", "NOT_EFFECTIVE", "PENDING_VERIFICATION"] {
        assert!(states.contains(state), "{state}");
    }

    let singular = tokens
        .iter()
        .filter(|t| t.data.get("reward_participant").is_some())
        .count();
    assert!(singular >= 4, "{singular}");

    let codes: HashSet<_> = tokens
        .iter()
        .filter_map(|t| text(&t.data["authentication_code"]))
        .collect();
    let numbers: HashSet<_> = tokens
        .iter()
        .filter_map(|t| text(&t.data["number"]))
        .collect();
    assert_eq!(
        codes.len(),
        tokens.len(),
        "authentication codes are present and unique"
    );
    assert_eq!(
        numbers.len(),
        tokens.len(),
        "numbers are present and unique"
    );

    assert!(
        tokens
            .iter()
            .any(|t| t.data["accounts_receivable"]["account_owner"]["type"] == "COMPANY")
    );
    assert!(tokens.iter().any(|t| {
        t.data["accounts_receivable"]["name"]
            .as_str()
            .is_some_and(|name| name.contains('\u{1b}'))
    }));
    assert!(tokens.iter().any(|t| t.data["linked_devices"].is_array()));
    for seed in [SEED_EFFECTIVE_CODE, SEED_NOT_EFFECTIVE_CODE] {
        assert!(codes.contains(seed), "{seed}");
    }
}

/// A test can tell whether a life-cycle action reached the simulator at all: every action
/// request counts, refused ones too; reads do not.
#[tokio::test]
async fn stats_count_the_action_requests_received() {
    let sim = start_default().await;
    let session = login(&sim).await;
    by_code(&sim, "access_tokens/show", &session, SEED_EFFECTIVE_CODE).await;
    assert_eq!(sim.stats().actions, 0);
    let (_, done) = by_code(
        &sim,
        "access_tokens/set_as_not_effective",
        &session,
        SEED_EFFECTIVE_CODE,
    )
    .await;
    assert_eq!(code(&done), "OK");
    let (_, refused) = by_code(
        &sim,
        "access_tokens/set_as_not_effective",
        &session,
        SEED_EFFECTIVE_CODE,
    )
    .await;
    assert_error(
        "the second deactivation",
        &refused,
        "INVALID_LIFE_CYCLE_STATE",
    );
    assert_eq!(sim.stats().actions, 2);
}
