//! The simulator's in-memory state: access tokens and login sessions, and the rules of the
//! CRM.COM methods over them. No HTTP here, so every rule is unit-testable.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::demo::{DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERNAME, DemoToken};
use super::params::{Credentials, ListQuery, NestedIdentifier, ParticipantFilter};
use super::refusal::{ApiError, ErrorCode};
use crate::api::{AccessTokenIdentifier, Action, FieldsSet, LifeCycleState};

/// The four `access_tokens/*` methods that address one token: `show`, or one of the
/// life-cycle actions, whose rule (the state it needs, the state it leaves) is `Action`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenMethod {
    Show,
    Act(Action),
}

struct Session {
    username: String,
    expires_at: Instant,
}

pub(crate) struct Store {
    /// Kept sorted by token number, so lists come back in a stable order.
    tokens: Vec<DemoToken>,
    sessions: HashMap<String, Session>,
    session_ttl: Duration,
    logins_issued: u64,
    /// Seeds session tokens so they cannot be guessed from one another.
    session_entropy: RandomState,
    /// Authentication code -> token number: with a bulk account of thousands, a scan of the
    /// whole store for each request (under the store's lock) made the simulator, not the
    /// client, the bottleneck of a batch. A hint only: `find` checks the token it leads to
    /// and falls back to the scan.
    numbers_by_code: HashMap<String, String>,
}

/// The simulated back-office user that every demo login acts as.
const DEMO_USER_ID: &str = "5D1C7E0A3B9F4A26B8E2C4D6F0A1B3C5";
const DEMO_PERSON_NAME: &str = "Demo Clerk";

impl Store {
    pub(crate) fn new(mut tokens: Vec<DemoToken>, session_ttl: Duration) -> Self {
        // Tokens without a number sort first.
        tokens.sort_by(|a, b| token_number(&a.data).cmp(&token_number(&b.data)));
        let numbers_by_code = tokens
            .iter()
            .filter_map(|t| {
                let code = t.data.get("authentication_code")?.as_str()?;
                Some((code.to_owned(), token_number(&t.data)?.to_owned()))
            })
            .collect();
        Store {
            numbers_by_code,
            tokens,
            sessions: HashMap::new(),
            session_ttl,
            logins_issued: 0,
            session_entropy: RandomState::new(),
        }
    }

    /// How many sessions have been opened: the successful logins.
    pub(crate) fn logins_issued(&self) -> u64 {
        self.logins_issued
    }

    /// Checks the credentials and opens a session; returns its token.
    pub(crate) fn login(
        &mut self,
        credentials: &Credentials,
        now: Instant,
    ) -> Result<String, ApiError> {
        let valid = credentials.username == DEMO_USERNAME
            && credentials.password == DEMO_PASSWORD
            && credentials.organisation == DEMO_ORGANISATION;
        if !valid {
            return Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "The username, password or organisation is not valid.",
            ));
        }
        self.logins_issued += 1;
        let mut hasher = self.session_entropy.build_hasher();
        hasher.write_u64(self.logins_issued);
        // The counter half makes every session token unique; the hashed half makes it opaque.
        let session_token = format!("{:016X}{:016X}", hasher.finish(), self.logins_issued);
        self.sessions.insert(
            session_token.clone(),
            Session {
                username: credentials.username.clone(),
                expires_at: now + self.session_ttl,
            },
        );
        Ok(session_token)
    }

    /// The username behind a session token that is still valid at `now`.
    pub(crate) fn session_user(
        &self,
        session_token: Option<&str>,
        now: Instant,
    ) -> Result<String, ApiError> {
        let Some(session_token) = session_token.filter(|t| !t.is_empty()) else {
            return Err(ApiError::new(
                ErrorCode::InvalidToken,
                "The request carries no session token; log in first.",
            ));
        };
        match self.sessions.get(session_token) {
            None => Err(ApiError::new(
                ErrorCode::InvalidToken,
                "The session token is not valid; log in again.",
            )),
            Some(session) if now >= session.expires_at => Err(ApiError::new(
                ErrorCode::InvalidToken,
                "The session token has expired; log in again.",
            )),
            Some(session) => Ok(session.username.clone()),
        }
    }

    /// Makes every session issued so far expired as of `now`.
    pub(crate) fn expire_sessions(&mut self, now: Instant) {
        for session in self.sessions.values_mut() {
            session.expires_at = now;
        }
    }

    /// Runs one of the single-token methods; returns the token as it is after the method.
    pub(crate) fn apply(
        &mut self,
        method: TokenMethod,
        identifier: &AccessTokenIdentifier,
        username: &str,
        now: SystemTime,
    ) -> Result<Value, ApiError> {
        let index = self.find(identifier)?;
        let TokenMethod::Act(action) = method else {
            return Ok(self.tokens[index].data.clone());
        };
        let token = &mut self.tokens[index].data;
        let state = LifeCycleState::parse(token.get("life_cycle_state").and_then(Value::as_str));
        let required_state = action.required_state();
        if state != required_state {
            return Err(ApiError::new(
                ErrorCode::InvalidLifeCycleState,
                format!(
                    "Access token {} is {state}; only an access token that is {required_state} can be {}.",
                    token_number(token).unwrap_or("without a number"),
                    action.past_tense()
                ),
            ));
        }
        let next_state = action.resulting_state();
        // A token built in code need not be an object (only the file loader checks): never
        // index into one that is not.
        if let (Some(next_state), Some(object)) = (&next_state, token.as_object_mut()) {
            object.insert(
                "life_cycle_state".to_string(),
                Value::from(next_state.as_str()),
            );
        }
        stamp_update(token, username, now);
        match next_state {
            Some(_) => Ok(token.clone()),
            None => Ok(self.tokens.remove(index).data),
        }
    }

    /// The tokens of one accounts receivable or rewards participant, filtered and paged.
    pub(crate) fn list(&self, query: &ListQuery) -> Vec<Value> {
        self.tokens
            .iter()
            .map(|token| &token.data)
            .filter(|token| belongs_to(token, &query.owner))
            .filter(|token| match &query.classification {
                Some(classification) => matches_nested(token.get("classification"), classification),
                None => true,
            })
            .skip(query.offset)
            .take(query.number_of_results)
            .cloned()
            .collect()
    }

    fn find(&self, identifier: &AccessTokenIdentifier) -> Result<usize, ApiError> {
        let position = match identifier {
            AccessTokenIdentifier::AuthenticationCode(code) => {
                let has_code = |t: &DemoToken| {
                    t.data.get("authentication_code").and_then(Value::as_str) == Some(code)
                };
                self.numbers_by_code
                    .get(code)
                    .and_then(|number| {
                        self.tokens
                            .binary_search_by(|t| token_number(&t.data).cmp(&Some(number)))
                            .ok()
                    })
                    .filter(|&i| has_code(&self.tokens[i]))
                    .or_else(|| self.tokens.iter().position(has_code))
            }
            AccessTokenIdentifier::Identifier {
                identifier,
                pass_code,
            } => self.tokens.iter().position(|t| {
                t.data.get("identifier").and_then(Value::as_str) == Some(identifier)
                    && &t.pass_code == pass_code
            }),
        };
        position.ok_or_else(|| {
            let message = match identifier {
                AccessTokenIdentifier::AuthenticationCode(code) => {
                    format!("No access token matches authentication code {code}.")
                }
                AccessTokenIdentifier::Identifier { identifier, .. } => {
                    format!("No access token matches identifier {identifier} with that pass code.")
                }
            };
            ApiError::new(ErrorCode::NotFound, message)
        })
    }
}

fn token_number(token: &Value) -> Option<&str> {
    token.get("number").and_then(Value::as_str)
}

fn belongs_to(token: &Value, owner: &ParticipantFilter) -> bool {
    match owner {
        ParticipantFilter::AccountsReceivable(nested) => {
            matches_nested(accounts_receivable(token), nested)
        }
        ParticipantFilter::RewardsParticipant(nested) => matches_nested(participant(token), nested),
    }
}

/// The token's rewards participant. The API spells it both ways (see the delete seed
/// example).
fn participant(token: &Value) -> Option<&Value> {
    ["rewards_participant", "reward_participant"]
        .iter()
        .filter_map(|key| token.get(*key))
        .find(|value| value.is_object())
}

/// The token's own accounts receivable, else its participant's: some answers carry only one
/// of them. The same reading as `TokenSummary::from_value`, so a token listed under an
/// account is shown with that account.
fn accounts_receivable(token: &Value) -> Option<&Value> {
    token
        .get("accounts_receivable")
        .filter(|value| value.is_object())
        .or_else(|| {
            participant(token)?
                .get("accounts_receivable")
                .filter(|value| value.is_object())
        })
}

fn matches_nested(object: Option<&Value>, nested: &NestedIdentifier) -> bool {
    object
        .and_then(|object| object.get(nested.field.as_str()))
        .and_then(Value::as_str)
        .is_some_and(|value| value == nested.value)
}

/// Records who changed the token and when, as the real back office does.
fn stamp_update(token: &mut Value, username: &str, now: SystemTime) {
    let user = json!({
        "id": DEMO_USER_ID,
        "username": username,
        "person_name": DEMO_PERSON_NAME,
        "email": null,
    });
    let Some(token) = token.as_object_mut() else {
        return;
    };
    let log = token
        .entry("log_information")
        .or_insert_with(|| Value::Object(Map::new()));
    if !log.is_object() {
        *log = Value::Object(Map::new());
    }
    log["updated_date"] = Value::from(format_timestamp(now));
    log["updated_by_user"] = user;
}

/// Keeps only the top-level fields named in `fields_set`; all of them when it is absent.
pub(crate) fn project(token: Value, fields_set: Option<&FieldsSet>) -> Value {
    match (fields_set, token) {
        (Some(fields), Value::Object(mut object)) => {
            let kept = fields
                .names()
                .iter()
                .filter_map(|field| object.remove_entry(field.as_str()))
                .collect::<Map<String, Value>>();
            Value::Object(kept)
        }
        (_, token) => token,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the API's date format.
pub(crate) fn format_timestamp(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (seconds / 86_400) as i64;
    let second_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::demo::demo_tokens;

    fn store() -> Store {
        Store::new(demo_tokens(), Duration::from_secs(7200))
    }

    fn by_code(code: &str) -> AccessTokenIdentifier {
        AccessTokenIdentifier::AuthenticationCode(code.to_string())
    }

    fn demo_credentials() -> Credentials {
        Credentials {
            username: DEMO_USERNAME.to_string(),
            password: DEMO_PASSWORD.to_string(),
            organisation: DEMO_ORGANISATION.to_string(),
        }
    }

    fn code_in_state(store: &Store, state: &str) -> String {
        store
            .tokens
            .iter()
            .find(|t| t.data["life_cycle_state"] == state)
            .and_then(|t| t.data["authentication_code"].as_str())
            .expect("demo data has a token in every state")
            .to_string()
    }

    fn acr(number: &str) -> ParticipantFilter {
        ParticipantFilter::AccountsReceivable(NestedIdentifier {
            field: "number".into(),
            value: number.into(),
        })
    }

    fn list_query(owner: ParticipantFilter) -> ListQuery {
        ListQuery {
            owner,
            classification: None,
            number_of_results: 50,
            offset: 0,
        }
    }

    #[test]
    fn login_checks_every_credential() {
        let mut store = store();
        let now = Instant::now();
        assert!(store.login(&demo_credentials(), now).is_ok());
        for broken in [
            Credentials {
                password: "wrong".into(),
                ..demo_credentials()
            },
            Credentials {
                username: "someone".into(),
                ..demo_credentials()
            },
            Credentials {
                organisation: "OTHER".into(),
                ..demo_credentials()
            },
        ] {
            let error = store
                .login(&broken, now)
                .expect_err("bad credentials are refused");
            assert_eq!(error.code, ErrorCode::InvalidCredentials);
        }
    }

    #[test]
    fn sessions_are_unique_and_expire() {
        let mut store = store();
        let now = Instant::now();
        let first = store.login(&demo_credentials(), now).expect("login");
        let second = store.login(&demo_credentials(), now).expect("login");
        assert_ne!(first, second);
        assert_eq!(
            store.session_user(Some(&first), now).as_deref(),
            Ok(DEMO_USERNAME)
        );
        let after_ttl = now + Duration::from_secs(7200);
        assert_eq!(
            store
                .session_user(Some(&first), after_ttl)
                .map_err(|e| e.code),
            Err(ErrorCode::InvalidToken)
        );
        assert_eq!(
            store.session_user(None, now).map_err(|e| e.code),
            Err(ErrorCode::InvalidToken)
        );
        assert_eq!(
            store.session_user(Some("nope"), now).map_err(|e| e.code),
            Err(ErrorCode::InvalidToken)
        );
    }

    #[test]
    fn expire_sessions_invalidates_issued_sessions_only() {
        let mut store = store();
        let now = Instant::now();
        let old = store.login(&demo_credentials(), now).expect("login");
        store.expire_sessions(now);
        assert_eq!(
            store.session_user(Some(&old), now).map_err(|e| e.code),
            Err(ErrorCode::InvalidToken)
        );
        let fresh = store.login(&demo_credentials(), now).expect("login");
        assert!(store.session_user(Some(&fresh), now).is_ok());
    }

    #[test]
    fn life_cycle_follows_the_documented_transitions() {
        let mut store = store();
        let now = SystemTime::now();
        let code = code_in_state(&store, "EFFECTIVE");
        let id = by_code(&code);

        let refused = store
            .apply(TokenMethod::Act(Action::Activate), &id, "clerk", now)
            .expect_err("already effective");
        assert_eq!(refused.code, ErrorCode::InvalidLifeCycleState);
        assert!(refused.message.contains("EFFECTIVE"), "{}", refused.message);
        let refused = store
            .apply(TokenMethod::Act(Action::Delete), &id, "clerk", now)
            .expect_err("effective cannot be deleted");
        assert_eq!(refused.code, ErrorCode::InvalidLifeCycleState);

        let changed = store
            .apply(TokenMethod::Act(Action::Deactivate), &id, "clerk", now)
            .expect("deactivate");
        assert_eq!(changed["life_cycle_state"], "NOT_EFFECTIVE");
        assert_eq!(
            changed["log_information"]["updated_by_user"]["username"],
            "clerk"
        );
        assert_eq!(
            changed["log_information"]["updated_date"],
            format_timestamp(now).as_str()
        );

        let changed = store
            .apply(TokenMethod::Act(Action::Activate), &id, "clerk", now)
            .expect("re-activate");
        assert_eq!(changed["life_cycle_state"], "EFFECTIVE");
        store
            .apply(TokenMethod::Act(Action::Deactivate), &id, "clerk", now)
            .expect("deactivate again");

        let deleted = store
            .apply(TokenMethod::Act(Action::Delete), &id, "clerk", now)
            .expect("delete");
        assert_eq!(deleted["authentication_code"], code.as_str());
        let gone = store
            .apply(TokenMethod::Show, &id, "clerk", now)
            .expect_err("deleted");
        assert_eq!(gone.code, ErrorCode::NotFound);
    }

    #[test]
    fn pending_verification_cannot_change() {
        let mut store = store();
        let id = by_code(&code_in_state(&store, "PENDING_VERIFICATION"));
        for action in [
            TokenMethod::Act(Action::Deactivate),
            TokenMethod::Act(Action::Activate),
            TokenMethod::Act(Action::Delete),
        ] {
            let error = store
                .apply(action, &id, "clerk", SystemTime::now())
                .expect_err("refused");
            assert_eq!(error.code, ErrorCode::InvalidLifeCycleState);
            assert!(
                error.message.contains("PENDING_VERIFICATION"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn identifier_needs_the_matching_pass_code() {
        let mut store = store();
        let entry = store.tokens[5].clone();
        let identifier = entry.data["identifier"]
            .as_str()
            .expect("identifier")
            .to_string();
        let right = AccessTokenIdentifier::Identifier {
            identifier: identifier.clone(),
            pass_code: entry.pass_code.clone(),
        };
        let shown = store
            .apply(TokenMethod::Show, &right, "clerk", SystemTime::now())
            .expect("found");
        assert_eq!(shown, entry.data);
        let wrong = AccessTokenIdentifier::Identifier {
            identifier,
            pass_code: format!("{}9", entry.pass_code),
        };
        let error = store
            .apply(TokenMethod::Show, &wrong, "clerk", SystemTime::now())
            .expect_err("wrong pass code");
        assert_eq!(error.code, ErrorCode::NotFound);
    }

    #[test]
    fn unknown_code_names_it_in_the_message() {
        let mut store = store();
        let error = store
            .apply(
                TokenMethod::Show,
                &by_code("123"),
                "clerk",
                SystemTime::now(),
            )
            .expect_err("no such token");
        assert_eq!(
            error,
            ApiError::new(
                ErrorCode::NotFound,
                "No access token matches authentication code 123."
            )
        );
    }

    #[test]
    fn list_pages_in_token_number_order() {
        let store = store();
        let all = store.list(&list_query(acr("ACR0000000069")));
        assert!(all.len() >= 3, "{}", all.len());
        let numbers: Vec<Option<&str>> = all.iter().map(token_number).collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        assert_eq!(numbers, sorted);

        let page = store.list(&ListQuery {
            number_of_results: 1,
            offset: 1,
            ..list_query(acr("ACR0000000069"))
        });
        assert_eq!(page, vec![all[1].clone()]);
        let past_end = store.list(&ListQuery {
            offset: all.len(),
            ..list_query(acr("ACR0000000069"))
        });
        assert!(past_end.is_empty());
        assert!(store.list(&list_query(acr("ACR9999999999"))).is_empty());
    }

    #[test]
    fn list_by_participant_accepts_both_spellings() {
        let store = store();
        let by_rp = |number: &str| {
            store.list(&list_query(ParticipantFilter::RewardsParticipant(
                NestedIdentifier {
                    field: "number".into(),
                    value: number.into(),
                },
            )))
        };
        // The delete seed example spells it `reward_participant`.
        let seed = by_rp("28");
        assert_eq!(seed.len(), 1);
        assert!(seed[0].get("reward_participant").is_some());
        assert!(by_rp("RP0000000010").len() >= 3);
    }

    #[test]
    fn list_by_accounts_receivable_reads_the_participants_too() {
        let token = |pass_code: &str, data: Value| DemoToken {
            pass_code: pass_code.into(),
            data,
        };
        let store = Store::new(
            vec![
                token(
                    "1",
                    json!({"number": "AT1", "accounts_receivable": {"number": "ACR1"}}),
                ),
                token(
                    "2",
                    json!({"number": "AT2", "rewards_participant": {"accounts_receivable": {"number": "ACR1"}}}),
                ),
                token(
                    "3",
                    json!({"number": "AT3", "accounts_receivable": null,
                        "reward_participant": {"accounts_receivable": {"number": "ACR1"}}}),
                ),
                // Its own account wins over its participant's, as in TokenSummary.
                token(
                    "4",
                    json!({"number": "AT4", "accounts_receivable": {"number": "ACR2"},
                        "rewards_participant": {"accounts_receivable": {"number": "ACR1"}}}),
                ),
            ],
            Duration::from_secs(7200),
        );
        let numbers = |acr_number: &str| {
            store
                .list(&list_query(acr(acr_number)))
                .iter()
                .map(|t| t["number"].as_str().expect("number").to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(numbers("ACR1"), ["AT1", "AT2", "AT3"]);
        assert_eq!(numbers("ACR2"), ["AT4"]);
        for listed in store.list(&list_query(acr("ACR1"))) {
            assert_eq!(
                crate::api::TokenSummary::from_value(&listed)
                    .account_number
                    .as_deref(),
                Some("ACR1")
            );
        }
    }

    #[test]
    fn list_filters_by_classification() {
        let store = store();
        let all = store.list(&list_query(acr("ACR0000000069")));
        let mobile = store.list(&ListQuery {
            classification: Some(NestedIdentifier {
                field: "alternative_code".into(),
                value: "MA".into(),
            }),
            ..list_query(acr("ACR0000000069"))
        });
        assert!(!mobile.is_empty() && mobile.len() < all.len());
        assert!(
            mobile
                .iter()
                .all(|t| t["classification"]["alternative_code"] == "MA")
        );
    }

    #[test]
    fn fields_set_keeps_only_named_fields() {
        let token = json!({"id": "A", "number": "AT1", "life_cycle_state": "EFFECTIVE"});
        let fields = FieldsSet::parse("number,life_cycle_state,no_such_field").expect("fields");
        assert_eq!(
            project(token.clone(), Some(&fields)),
            json!({"number": "AT1", "life_cycle_state": "EFFECTIVE"})
        );
        assert_eq!(project(token.clone(), None), token);
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(format_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00");
        // 2024-02-29T13:45:07Z, a leap day.
        assert_eq!(
            format_timestamp(UNIX_EPOCH + Duration::from_secs(1_709_214_307)),
            "2024-02-29T13:45:07"
        );
        assert_eq!(
            format_timestamp(UNIX_EPOCH + Duration::from_secs(1_767_225_599)),
            "2025-12-31T23:59:59"
        );
    }
}
