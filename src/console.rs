//! The console's event loop: the only place where the terminal, the API task, signals and
//! the clock meet the app. It turns each of them into a `Msg`, hands it to `App::update`,
//! carries out the returned effects, and draws once per batch of messages. Nothing repaints
//! while nothing happens; the spinner's tick runs only while a request is in flight.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use tokio::time::{MissedTickBehavior, interval};

use crate::api::task::{self, ApiEvent};
use crate::api::{Client, LifeCycleState, TokenSummary};
use crate::app::{App, Effect, Msg, Purpose, Tone};
use crate::commands::{Failure, exit};
use crate::connect::Connection;
use crate::simulator::DemoToken;
use crate::ui::terminal;

/// How often the spinner moves while a request is in flight.
const TICK: Duration = Duration::from_millis(100);

pub async fn run(connection: Connection, log_problem: Option<String>) -> Result<(), Failure> {
    let client = Client::new(connection.config.clone())?;
    // Log in before the screen opens, so refused credentials are a plain sentence on the
    // shell, not a console that cannot do anything.
    if connection.config.credentials.is_some() && connection.config.session_token.is_none() {
        if std::io::stderr().is_terminal() && !connection.environment.demo {
            eprintln!(
                "Logging in to {} as {}…",
                connection.environment.host, connection.environment.user
            );
        }
        client.login().await?;
    }
    let (api, api_events) = task::spawn(client);
    let environment = connection.environment.clone();
    let suggestions = connection
        .simulator
        .as_ref()
        .map(|_| demo_suggestions(&crate::simulator::demo_tokens()))
        .unwrap_or_default();
    let mut session = terminal::Session::enter().map_err(|e| terminal_failure("open", &e))?;
    let (width, height) = session.size();
    let mut app = App::new(environment, width, height);
    app.suggestions = suggestions;
    if let Some(problem) = log_problem {
        app.notify(Tone::Warning, format!("No diagnostic log: {problem}."));
    }
    let result = event_loop(&mut session, &mut app, &api, api_events).await;
    drop(session);
    // Keep the simulator alive until the screen is gone.
    drop(connection);
    result
}

async fn event_loop(
    session: &mut terminal::Session,
    app: &mut App,
    api: &task::ApiHandle,
    mut api_events: tokio::sync::mpsc::UnboundedReceiver<ApiEvent>,
) -> Result<(), Failure> {
    let mut terminal_events = session.events();
    let mut signals = Signals::new().map_err(|e| Failure {
        message: format!("Cannot watch for signals: {e}."),
        status: exit::USAGE,
    })?;
    let mut ticker = interval(TICK);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut busy_since: Option<(task::RequestId, Instant)> = None;
    if let Err(e) = session.draw(app) {
        return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
    }
    loop {
        let busy = app.pending.as_ref().map(|p| p.id);
        busy_since = match (busy, busy_since) {
            (Some(id), Some((since_id, since))) if id == since_id => Some((id, since)),
            (Some(id), _) => {
                ticker.reset();
                Some((id, Instant::now()))
            }
            (None, _) => None,
        };
        let first = tokio::select! {
            biased;
            signal = signals.next() => match signal {
                Signal::Stop => Ok(Some(Msg::Terminate)),
                Signal::HangUp => Err("SIGHUP".to_owned()),
            },
            Some(event) = api_events.recv() => Ok(Some(Msg::Api(event))),
            event = terminal_events.recv() => terminal::read(event),
            _ = ticker.tick(), if busy_since.is_some() => {
                Ok(busy_since.map(|(_, since)| Msg::Tick(since.elapsed())))
            }
        };
        let mut batch: Vec<Msg> = match first {
            Ok(msg) => msg.into_iter().collect(),
            Err(why) => return Err(hung_up(app, api, &mut api_events, &why).await),
        };
        // Drain what is already waiting, then draw once for all of it.
        loop {
            let ready = tokio::select! {
                biased;
                Some(event) = api_events.recv() => Ok(Some(Msg::Api(event))),
                event = terminal_events.recv() => terminal::read(event),
                () = std::future::ready(()) => break,
            };
            match ready {
                Ok(msg) => batch.extend(msg),
                Err(why) => return Err(hung_up(app, api, &mut api_events, &why).await),
            }
        }
        let resized = settle_size(session, app, &mut batch);
        if batch.is_empty() && !resized {
            continue;
        }
        let mut changed = resized;
        for msg in batch {
            let in_flight = app.pending.as_ref().map(|p| p.purpose.clone());
            let effects = app.update(msg);
            changed |= app.changed();
            for effect in effects {
                match effect {
                    Effect::Api(command) => {
                        if !api.send(command) {
                            return Err(Failure {
                                message: "The connection task has stopped.".into(),
                                status: exit::UNREACHABLE,
                            });
                        }
                    }
                    Effect::Quit => {
                        if let Some(purpose) = in_flight.filter(Purpose::is_action) {
                            tracing::warn!(
                                "quit while \"{}\" was in flight: its outcome is unknown",
                                purpose.describe()
                            );
                        }
                        return Ok(());
                    }
                }
            }
        }
        if changed && let Err(e) = session.draw(app) {
            return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
        }
    }
}

/// Makes the app's size the terminal's real size, and says whether the terminal was
/// resized. crossterm reads the size when it handles a SIGWINCH, so after a storm of
/// resizes its last `Resize` event can carry a size the terminal no longer has, and a
/// console that believes itself too small ignores every key. One size query per batch
/// costs nothing.
fn settle_size(session: &terminal::Session, app: &App, batch: &mut Vec<Msg>) -> bool {
    let before = batch.len();
    batch.retain(|msg| !matches!(msg, Msg::Resize { .. }));
    let mut resized = batch.len() != before;
    let (width, height) = session.size();
    if (width, height) != (app.width, app.height) {
        batch.insert(0, Msg::Resize { width, height });
        resized = true;
    }
    resized
}

/// The terminal is gone (the SSH link dropped): nothing can be drawn or asked any more. An
/// action in flight, or the check of one, is waited for (each request is bounded by the
/// request time-out), so that the diagnostic log says how it ended; then the console ends
/// with the lost-terminal status and prints nothing.
async fn hung_up(
    app: &mut App,
    api: &task::ApiHandle,
    api_events: &mut tokio::sync::mpsc::UnboundedReceiver<ApiEvent>,
    why: &str,
) -> Failure {
    tracing::warn!(%why, "the terminal is gone");
    let mut waited = false;
    while let Some(pending) = app.pending.as_ref().filter(|p| p.purpose.is_action()) {
        if !waited {
            tracing::info!(
                "waiting for \"{}\" to finish before leaving",
                pending.purpose.describe()
            );
            waited = true;
        }
        let Some(event) = api_events.recv().await else {
            tracing::warn!("the connection task stopped: the outcome is unknown");
            break;
        };
        for effect in app.update(Msg::Api(event)) {
            if let Effect::Api(command) = effect {
                api.send(command);
            }
        }
    }
    if waited && let Some(notice) = &app.notice {
        tracing::info!("after the terminal was lost: {}", notice.text);
    }
    Failure {
        message: String::new(),
        status: exit::TERMINAL_LOST,
    }
}

fn terminal_failure(verb: &str, error: &std::io::Error) -> Failure {
    Failure {
        message: format!("Cannot {verb} the terminal: {error}."),
        status: exit::UNREACHABLE,
    }
}

/// What a signal asks of the console.
enum Signal {
    /// SIGTERM or SIGINT from outside: end as `q` does.
    Stop,
    /// SIGHUP: the terminal is gone.
    HangUp,
}

/// SIGTERM and SIGINT from outside end the console cleanly, through the same path as `q`;
/// SIGHUP (the SSH link dropped) ends it as a lost terminal.
struct Signals {
    #[cfg(unix)]
    streams: [tokio::signal::unix::Signal; 3],
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                streams: [
                    signal(SignalKind::terminate())?,
                    signal(SignalKind::hangup())?,
                    signal(SignalKind::interrupt())?,
                ],
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let [term, hup, int] = &mut self.streams;
            tokio::select! {
                _ = term.recv() => Signal::Stop,
                _ = hup.recv() => Signal::HangUp,
                _ = int.recv() => Signal::Stop,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Stop
        }
    }
}

/// A few search lines that show the demo's range: an EFFECTIVE token to deactivate, a
/// NOT_EFFECTIVE one to re-activate or delete, and an account with several tokens.
pub fn demo_suggestions(tokens: &[DemoToken]) -> Vec<(String, String)> {
    let summaries: Vec<TokenSummary> = tokens
        .iter()
        .map(|t| TokenSummary::from_value(&t.data))
        .collect();
    let mut suggestions = Vec::new();
    let by_state = |state: LifeCycleState| {
        summaries
            .iter()
            .find(|s| s.state == state && s.authentication_code.is_some())
    };
    if let Some(s) = by_state(LifeCycleState::Effective) {
        suggestions.push((
            s.authentication_code.clone().unwrap_or_default(),
            format!("{} EFFECTIVE: try d to deactivate", s.display_name()),
        ));
    }
    if let Some(s) = by_state(LifeCycleState::NotEffective) {
        suggestions.push((
            s.authentication_code.clone().unwrap_or_default(),
            format!(
                "{} NOT_EFFECTIVE: a to re-activate, X to delete",
                s.display_name()
            ),
        ));
    }
    if let Some((account, count)) =
        most_common(summaries.iter().map(|s| s.account_number.as_deref()))
    {
        suggestions.push((
            format!("acr:{account}"),
            format!("the {count} tokens of one account"),
        ));
    }
    if let Some((participant, count)) =
        most_common(summaries.iter().map(|s| s.participant_number.as_deref()))
    {
        suggestions.push((
            format!("rp:{participant}"),
            format!("the {count} tokens of one rewards participant"),
        ));
    }
    suggestions
}

/// The value that occurs most often, with its count; the first such on a tie.
fn most_common<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Option<(&'a str, usize)> {
    let mut sorted: Vec<&str> = values.flatten().collect();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .fold(None, |best: Option<(&str, usize)>, candidate| match best {
            Some(b) if b.1 >= candidate.1 => Some(b),
            _ => Some(candidate),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_suggestions_cover_each_kind_of_search() {
        let suggestions = demo_suggestions(&crate::simulator::demo_tokens());
        let queries: Vec<&str> = suggestions.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(queries.len(), 4, "{queries:?}");
        assert!(queries[0].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(queries[2].starts_with("acr:"));
        assert!(queries[3].starts_with("rp:"));
    }

    #[test]
    fn most_common_counts_and_prefers_the_first_on_a_tie() {
        let values = [Some("b"), Some("a"), None, Some("b"), Some("a"), Some("c")];
        assert_eq!(most_common(values.into_iter()), Some(("a", 2)));
        assert_eq!(most_common([None, None].into_iter()), None);
    }
}
