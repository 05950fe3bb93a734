//! The console's event loop: the only place where the terminal, the API task, signals and
//! the clock meet the app. It turns each of them into a `Msg`, hands it to `App::update`,
//! carries out the returned effects, and draws once per batch of messages. Each batch starts
//! with `Msg::Clock`, the app's only clock. Nothing repaints while nothing happens: the loop
//! wakes on its own only when the app asks (`App::wake_at`).

use std::io::IsTerminal;
use std::time::Instant;

use futures_util::StreamExt;

use crate::api::task::{self, ApiEvent};
use crate::app::{App, Effect, Msg, Tone, suggestions};
use crate::connect::Connection;
use crate::exit::{self, Failure};
use crate::ui::terminal;

pub async fn run(mut connection: Connection, log_problem: Option<String>) -> Result<(), Failure> {
    let log_in_first =
        connection.config.credentials.is_some() && connection.config.session_token.is_none();
    let client = connection.client()?;
    // Log in before the screen opens, so refused credentials are a plain sentence on the
    // shell, not a console that cannot do anything.
    if log_in_first {
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
        .map(|_| {
            let tokens: Vec<_> = crate::simulator::demo_tokens()
                .into_iter()
                .map(|t| t.data)
                .collect();
            suggestions::for_demo(&tokens)
        })
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
    // The app's clock starts now; it learns the time only from `Msg::Clock`.
    let start = Instant::now();
    session
        .draw(app)
        .map_err(|e| terminal_failure("draw on", &e))?;
    loop {
        // The app says when it next needs the clock (the spinner, a confirmation starting
        // to take keys); otherwise the loop sleeps until something happens.
        let wake = app.wake_at().map(|at| start + at);
        let first = tokio::select! {
            biased;
            msg = signals.next() => Some(msg),
            Some(event) = api_events.recv() => Some(Msg::Api(event)),
            event = terminal_events.next() => match event {
                Some(Ok(event)) => terminal::to_msg(event),
                Some(Err(e)) => return Err(Failure {
                    message: format!("The terminal stopped answering: {e}."),
                    status: exit::UNREACHABLE,
                }),
                None => Some(Msg::Terminate),
            },
            () = sleep_until(wake), if wake.is_some() => None,
        };
        // Every batch starts with the clock, so the app knows which messages came together.
        let mut batch = vec![Msg::Clock(start.elapsed())];
        batch.extend(first);
        // Drain what is already waiting, then draw once for all of it. The drain polls the
        // streams from this task (never with a throw-away waker: crossterm's EventStream
        // keeps only the last waker it was given).
        loop {
            let ready = tokio::select! {
                biased;
                Some(event) = api_events.recv() => Some(Msg::Api(event)),
                event = terminal_events.next() => match event {
                    Some(Ok(event)) => terminal::to_msg(event),
                    Some(Err(_)) | None => Some(Msg::Terminate),
                },
                () = std::future::ready(()) => break,
            };
            batch.extend(ready);
        }
        let mut changed = false;
        for msg in batch {
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
                    Effect::Quit => return Ok(()),
                }
            }
        }
        if changed {
            session
                .draw(app)
                .map_err(|e| terminal_failure("draw on", &e))?;
        }
    }
}

/// Sleeps until `wake`; never returns without one (the `select!` guard skips it then).
async fn sleep_until(wake: Option<Instant>) {
    match wake {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

fn terminal_failure(verb: &str, error: &std::io::Error) -> Failure {
    Failure {
        message: format!("Cannot {verb} the terminal: {error}."),
        status: exit::UNREACHABLE,
    }
}

/// SIGTERM, SIGHUP (the SSH link dropped) and SIGINT from outside: each ends the console
/// cleanly, through the same path as `q`.
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

    async fn next(&mut self) -> Msg {
        #[cfg(unix)]
        {
            let [term, hup, int] = &mut self.streams;
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        Msg::Terminate
    }
}
