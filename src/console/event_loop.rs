//! The console's event loop: the only place where the terminal, the API task, signals and
//! the clock meet the app. It turns each of them into a `Msg`, hands it to `App::update`,
//! carries out the returned effects, and draws once per batch of messages. Each batch starts
//! with `Msg::Clock`, the app's only clock. Nothing repaints while nothing happens: the loop
//! wakes on its own only when the app asks (`App::wake_at`).

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::audit::read::HistoryRow;
use crate::audit::{AuditLog, AuditToken, Event};
use crate::console::api_task::{self, ApiEvent};
use crate::console::app::recall::Recent;
use crate::console::app::search::suggestions;
use crate::console::app::{App, Effect, Msg, Purpose, Tone};
use crate::console::ui::terminal;
use crate::exit::{self, Failure};
use crate::recent;
use crate::setup::connect::{self, Connection};
use crate::text::sanitize;

/// The console needs a terminal it can draw on and read keys from. Checked before anything
/// else (a password prompt, a login), so a script or a dumb terminal gets one sentence.
pub fn check_terminal() -> Result<(), Failure> {
    let dumb = std::env::var("TERM").is_ok_and(|term| term == "dumb");
    let why = if dumb {
        "The console cannot draw on a dumb terminal (TERM=dumb)"
    } else if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        "The console needs a terminal for its input and output"
    } else {
        return Ok(());
    };
    Err(Failure::new(
        exit::USAGE,
        format!(
            "{why}. Use the command line instead: tokendesk show CODE, tokendesk list --acr NUMBER, tokendesk deactivate CODE (tokendesk --help lists them all)."
        ),
    ))
}

pub async fn run(mut connection: Connection, log_problem: Option<String>) -> Result<(), Failure> {
    let log_in_first =
        connection.config.credentials.is_some() && connection.config.session_token.is_none();
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
    // Watched before the terminal is taken: a SIGHUP or SIGTERM before the loop runs would
    // otherwise kill the process with raw mode and mouse reporting still on.
    let signals = Signals::new().map_err(|e| Failure {
        message: format!("Cannot watch for signals: {e}."),
        status: exit::USAGE,
    })?;
    // The first frame comes before the client (and its TLS roots) and the log-in, which
    // runs on the API task behind the status "Logging in to HOST…": a clerk can start
    // typing. Refused credentials end the console with the same sentence and status as
    // before, printed once the terminal is restored.
    let mut session = terminal::Session::enter().map_err(|e| terminal_failure("open", &e))?;
    let (width, height) = session.size();
    let mut app = App::new(environment, width, height);
    app.suggestions = suggestions;
    app.mask = connection.mask.clone();
    app.display = connection.display;
    app.keymap = connection.keymap.clone();
    app.copy = connection.copy;
    app.mouse = connection.mouse;
    if app.mouse
        && let Err(e) = session.set_mouse(true)
    {
        return Err(terminal_failure("open", &e));
    }
    app.console_id = crate::audit::new_batch_id();
    app.recent = recent_at_start(connection.recent.as_deref(), &app.recent_server());
    app.list_ceiling = connection.list_ceiling;
    app.reach = connection.reach.clone();
    app.idle.after = connection.idle_lock;
    app.reason = connection.reason.clone();
    // Without a password there is nobody the lock can check.
    app.idle.can_check = connection.config.credentials.is_some();
    if let Some(problem) = log_problem {
        app.notify(Tone::Warning, format!("No diagnostic log: {problem}."));
    }
    let log_in = if log_in_first {
        app.log_in()
    } else {
        Vec::new()
    };
    if let Err(e) = session.draw(&app) {
        // Nothing is in flight yet: the terminal is gone, and nobody reads a sentence.
        tracing::warn!(why = %e, "the terminal is gone");
        return Err(Failure::new(exit::TERMINAL_LOST, ""));
    }
    // Every line this console writes names its session, opened and closed in the log; a
    // syslog that fails is said on the status bar (standard error is under the screen).
    let (finish, finished) = tokio::sync::mpsc::unbounded_channel();
    let notices = finish.clone();
    connection.audit = connection
        .audit
        .for_session()
        .telling_syslog_problems(std::sync::Arc::new(move |text| {
            let _ = notices.send(Msg::AuditNotice(text));
        }));
    // Queued ahead of every other line of the console; a stalled log holds up nothing.
    tokio::spawn(connect::written_within(
        connection.audit.record_soon(Event::ConsoleOpened),
        "the console's opening",
    ));
    let client = connection.client()?;
    let (api, api_events) = api_task::spawn(client, connection.audit.clone());
    for effect in log_in {
        if let Effect::Api(command) = effect {
            api.send(command);
        }
    }
    let mut writes = tokio::task::JoinSet::new();
    let places = Places {
        audit: &connection.audit,
        recent: connection.recent.as_deref(),
        writes: &mut writes,
    };
    let channels = Channels {
        signals,
        api_events,
        finish,
        finished,
    };
    let result = event_loop(&mut session, &mut app, &api, channels, places).await;
    // A token opened just before quitting is still kept: its write is waited for.
    while writes.join_next().await.is_some() {}
    drop(session);
    // An action still in flight (the clerk quit) gets its outcome line before we go.
    api.close().await;
    connect::written_within(
        connection.audit.record_soon(Event::ConsoleClosed),
        "the console's closing",
    )
    .await;
    // Keep the simulator alive until the screen is gone and the last line written.
    drop(connection);
    result
}

/// What the event loop hears besides the terminal: the signals, the API task's events, and
/// the answers of the work it hands off its own thread (a reveal's audit line, the recent
/// tokens' file, a token's history, the syslog's notices), each already a message.
struct Channels {
    signals: Signals,
    api_events: tokio::sync::mpsc::UnboundedReceiver<ApiEvent>,
    finish: tokio::sync::mpsc::UnboundedSender<Msg>,
    finished: tokio::sync::mpsc::UnboundedReceiver<Msg>,
}

async fn event_loop(
    session: &mut terminal::Session,
    app: &mut App,
    api: &api_task::ApiHandle,
    channels: Channels,
    places: Places<'_>,
) -> Result<(), Failure> {
    let audit = places.audit;
    let Channels {
        mut signals,
        mut api_events,
        finish,
        mut finished,
    } = channels;
    let mut terminal_events = session.events();
    // The app's clock starts now; it learns the time only from `Msg::Clock`.
    let start = Instant::now();
    if let Err(e) = session.draw(app) {
        return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
    }
    // After the first frame, never before it: over SSH the answer takes a round trip, and
    // some terminals never give one. It comes as `Msg::Background`.
    if terminal::asks_background(app.display)
        && let Err(e) = session.ask_background()
    {
        return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
    }
    loop {
        // The app says when it next needs the clock (the spinner, a confirmation starting
        // to take keys); otherwise the loop sleeps until something happens.
        let wake = app.wake_at().map(|at| start + at);
        let first = tokio::select! {
            biased;
            signal = signals.next() => match signal {
                Signal::Stop => Ok(Some(Msg::Terminate)),
                Signal::HangUp => Err("SIGHUP".to_owned()),
            },
            Some(event) = api_events.recv() => Ok(Some(Msg::Api(event))),
            Some(msg) = finished.recv() => Ok(Some(msg)),
            event = terminal_events.recv() => terminal::read(event),
            () = sleep_until(wake), if wake.is_some() => Ok(None),
        };
        // Every batch starts with the clock, so the app knows which messages came together.
        let mut batch = vec![Msg::Clock(start.elapsed())];
        match first {
            Ok(msg) => batch.extend(msg),
            Err(why) => return Err(hung_up(app, api, &mut api_events, &why).await),
        }
        // Drain what is already waiting, then draw once for all of it.
        loop {
            let ready = tokio::select! {
                biased;
                Some(event) = api_events.recv() => Ok(Some(Msg::Api(event))),
                Some(msg) = finished.recv() => Ok(Some(msg)),
                event = terminal_events.recv() => terminal::read(event),
                () = std::future::ready(()) => break,
            };
            match ready {
                Ok(msg) => batch.extend(msg),
                Err(why) => return Err(hung_up(app, api, &mut api_events, &why).await),
            }
        }
        let mut changed = settle_size(session, app, &mut batch);
        let mut batch = VecDeque::from(batch);
        while let Some(msg) = batch.pop_front() {
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
                    // Recorded before the app reveals anything, on the audit writer's
                    // thread: its answer comes back as a message.
                    Effect::AuditReveal(token) => {
                        let (audit, finish) = (audit.clone(), finish.clone());
                        tokio::spawn(async move {
                            let answer = record_reveal(&audit, token).await;
                            let _ = finish.send(Msg::RevealAudited(answer));
                        });
                    }
                    Effect::Remember(sighting) => {
                        let Some(path) = places.recent.map(Path::to_path_buf) else {
                            continue;
                        };
                        let token = sighting.at(std::time::SystemTime::now());
                        let finish = finish.clone();
                        places.writes.spawn_blocking(move || {
                            let answer = recent::remember(&path, token).map_err(|why| {
                                tracing::warn!("recent tokens not kept: {why}");
                                recent_problem(&path, &why)
                            });
                            let _ = finish.send(Msg::Remembered(answer));
                        });
                        // Those done are let go of, so a long shift holds none of them.
                        while places.writes.try_join_next().is_some() {}
                    }
                    // The idle lock's lines: queued here, in the order the app asked for
                    // them; nothing waits for them, and one that cannot be written is said
                    // in the diagnostic log.
                    Effect::Audit(event) => {
                        let written = audit.record_soon(event);
                        tokio::spawn(async move {
                            if let Err(error) = written.await {
                                tracing::warn!(?event, "not audited: {error}");
                            }
                        });
                    }
                    Effect::ReadHistory(names) => {
                        let (path, finish) = (audit.path().map(Path::to_path_buf), finish.clone());
                        tokio::task::spawn_blocking(move || {
                            let rows = read_history(path.as_deref(), &names);
                            let _ = finish.send(Msg::HistoryRead(rows));
                        });
                    }
                    Effect::Copy { label, text } => {
                        tracing::info!(%label, bytes = text.len(), "copied with OSC 52");
                        if let Err(e) = session.copy(&text) {
                            return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
                        }
                    }
                    Effect::MouseReporting(on) => {
                        tracing::info!(on, "mouse reporting switched");
                        if let Err(e) = session.set_mouse(on) {
                            return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
                        }
                    }
                    Effect::Suspend => {
                        tracing::info!("suspended (Ctrl-Z)");
                        if let Err(e) = session.suspend() {
                            return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
                        }
                        tracing::info!("resumed");
                        changed = true;
                    }
                    Effect::Quit => {
                        if let Some(purpose) = in_flight.filter(Purpose::is_action) {
                            tracing::warn!(
                                "quit while \"{}\" was in flight: its outcome is unknown",
                                purpose.describe()
                            );
                        }
                        // Ending with outcomes not known is said, each token with the
                        // command that checks it, and ends as the command line does for
                        // an unknown outcome.
                        if !app.ended_unknown.is_empty() {
                            return Err(Failure::new(
                                exit::UNREACHABLE,
                                crate::console::app::ending_sentence(&app.ended_unknown),
                            ));
                        }
                        return Ok(());
                    }
                    Effect::LogInFailed(error) => return Err(Failure::from(error)),
                }
            }
        }
        if changed && let Err(e) = session.draw(app) {
            return Err(hung_up(app, api, &mut api_events, &e.to_string()).await);
        }
    }
}

/// The files the loop writes for the app.
struct Places<'a> {
    audit: &'a AuditLog,
    /// The recent tokens' file; `None` when they are not kept.
    recent: Option<&'a Path>,
    /// The writes of that file under way, waited for before the console ends.
    writes: &'a mut tokio::task::JoinSet<()>,
}

/// The recent tokens of `server` as the file holds them at start; off when there is no
/// file to keep.
fn recent_at_start(path: Option<&Path>, server: &str) -> Recent {
    let Some(path) = path else {
        return Recent::new(false, Vec::new());
    };
    match recent::load(path) {
        Ok(tokens) => Recent::new(true, recent::on_server(tokens, server)),
        Err(why) => {
            tracing::warn!("recent tokens not read: {why}");
            let mut recent = Recent::new(true, Vec::new());
            recent.problem = Some(recent_problem(path, &why));
            recent
        }
    }
}

fn recent_problem(path: &Path, why: &crate::safe_file::FileRefusal) -> String {
    let path = crate::text::sanitize(&path.display().to_string()).into_owned();
    format!("The recent tokens cannot be kept in {path}: {why}.")
}

/// What the audit log at `path` says of the token `names` names, newest first, or why it
/// cannot be read. Blocking: run off the loop.
fn read_history(path: Option<&Path>, names: &[String]) -> Result<Vec<HistoryRow>, String> {
    let Some(path) = path else {
        return Err("There is no audit log to read: no home directory and no --audit-log.".into());
    };
    crate::audit::read::read(path)
        .map(|file| crate::audit::read::history(&file, names))
        .map_err(|e| {
            format!(
                "Cannot read the audit log {}: {e}.",
                sanitize(&path.display().to_string())
            )
        })
}

/// Writes the reveal's audit line; the app reveals only on `Ok`.
async fn record_reveal(audit: &AuditLog, token: AuditToken) -> Result<AuditToken, String> {
    match audit.reveal(&token).await {
        Ok(()) => Ok(token),
        Err(error) => {
            tracing::warn!("reveal refused: {error}");
            Err(error.to_string())
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
/// action in flight, the check of one, or a batch's requests in flight (the batch sends
/// nothing new) are waited for (each request is bounded by the request time-out), so that
/// the diagnostic log says how they ended; then the console ends with the lost-terminal
/// status and prints nothing.
async fn hung_up(
    app: &mut App,
    api: &api_task::ApiHandle,
    api_events: &mut tokio::sync::mpsc::UnboundedReceiver<ApiEvent>,
    why: &str,
) -> Failure {
    tracing::warn!(%why, "the terminal is gone");
    // A batch sends nothing new; what it has in flight finishes as an action does.
    for effect in app.update(Msg::TerminalLost) {
        if let Effect::Api(command) = effect {
            api.send(command);
        }
    }
    let mut waited = false;
    loop {
        let waiting_for = match app.pending.as_ref().filter(|p| p.purpose.is_action()) {
            Some(pending) => pending.purpose.describe(),
            None if app.batch_running() => "the batch's requests in flight".to_owned(),
            None => break,
        };
        if !waited {
            tracing::info!("waiting for \"{waiting_for}\" to finish before leaving");
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
