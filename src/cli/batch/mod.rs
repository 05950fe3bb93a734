//! Batches from the command line: `deactivate|activate|delete --from FILE` (or `--acr`,
//! `--rp`). The tokens are confirmed as a count, then each is read and, when its state
//! allows, acted on through the audit log, a few at once over one session; a journal next
//! to the audit log lets the same command, run again, finish what a killed run left.

pub mod input;
mod journal;
mod report;
mod work;

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Instant, SystemTime};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::{Action, Client, ListOwner};
use crate::audit;
use crate::cli::args::ActionArgs;
use crate::cli::say::write_out;
use crate::exit::note;
use crate::exit::{self, Failure};
use crate::fate::confirmation::{self, Answer};
use crate::setup::connect::Connection;
use crate::text::capitalised;
use crate::text::sanitize;

use crate::fate::{self, Fate, LeftOut, Outcome, Tally};

use input::{Source, Target};
use journal::{Fresh, Journal, Start};
use work::{Pause, Shared};

/// Runs `action` on the batch `args` names, and ends with the batch's exit status.
pub async fn run(
    client: Client,
    connection: &Connection,
    action: Action,
    args: &ActionArgs,
) -> Result<(), Failure> {
    // Read-only says so before anything else, a confirmation prompt included.
    client.check_write(action)?;
    let (source, text, targets) = targets(&client, args, connection.list_ceiling).await?;
    if targets.is_empty() {
        // Nothing to confirm, journal or send.
        note(&format!(
            "No access tokens to {}: the input names none.",
            action.verb()
        ));
        return Ok(());
    }
    let batch = audit::new_batch_id();
    let journal_path = journal_path(connection, action, &source, &text)?;
    let journal = Journal::open(&journal_path, &batch).map_err(|e| {
        Failure::new(
            exit::NOT_AUDITED,
            format!(
                "Cannot open the batch's journal {}: {e}; nothing was sent.",
                sanitize(&journal_path.display().to_string())
            ),
        )
    })?;
    let mut journal = journal;
    let start = journal::start(journal.last_run(), SystemTime::now(), args.resume);
    if let Some(said) = start_note(&start, args.resume) {
        note(&said);
    }
    let settled = match &start {
        Start::Resume(run) => targets
            .iter()
            .filter(|t| journal.settled_in(&run.id, &t.key))
            .count(),
        Start::Fresh(_) => 0,
    };
    // What the confirmation counts: the tokens the action will be sent for, and those
    // left out before anything is sent (and why), as the rows will say.
    let mut left_out = Vec::new();
    for target in &targets {
        if let Start::Resume(run) = &start
            && journal.settled_in(&run.id, &target.key)
        {
            continue;
        }
        let why = match (&target.identifier, &target.state) {
            (None, _) => Some(LeftOut::NoCode),
            (Some(_), Some(state))
                if journal.unanswered(&target.key).is_empty()
                    && !journal.sent_before(&target.key) =>
            {
                LeftOut::by_state(action, state)
            }
            _ => None,
        };
        if let Some(why) = why {
            fate::tally::count_left_out(&mut left_out, &why);
        }
    }
    let left_out_count: usize = left_out.iter().map(|(_, count)| count).sum();
    let pending = targets.len() - settled - left_out_count;
    // With nothing to send there is nothing to confirm: the rows say why.
    if !args.yes && pending > 0 {
        let plan = Plan {
            count: pending,
            settled,
            left_out: &left_out,
            source: &source,
        };
        confirm(action, &plan, connection)?;
    }
    journal.begin(&start).map_err(|e| {
        Failure::new(
            exit::NOT_AUDITED,
            format!(
                "Cannot write the batch's journal {}: {e}; nothing was sent.",
                sanitize(&journal_path.display().to_string())
            ),
        )
    })?;
    let waiting = targets
        .iter()
        .filter(|t| !journal.unanswered(&t.key).is_empty())
        .count();
    if waiting > 0 {
        note(&format!(
            "{waiting} {} sent by a run that was cut short had no answer: each is given up to {} s from when it was sent to finish, then read again.",
            if waiting == 1 { "request" } else { "requests" },
            connection.config.request_timeout.as_secs()
        ));
    }
    let shared = Arc::new(Shared {
        client,
        audit: connection.audit.for_batch(&batch),
        journal,
        action,
        pause: Pause::new(),
        halted: AtomicBool::new(false),
        settle: connection.config.request_timeout,
    });
    let started = Instant::now();
    let bar = progress_bar(targets.len());
    let stdout_on_terminal = io::stdout().is_terminal();
    let mut rows = futures_util::stream::iter(targets)
        .map(|target| {
            let shared = shared.clone();
            tokio::spawn(async move { work::process(&shared, target).await })
        })
        .buffer_unordered(usize::from(args.concurrency));
    let mut tally = Tally::default();
    let mut trusted = Vec::new();
    let mut output = Ok(());
    while let Some(row) = rows.next().await {
        let row = match row {
            Ok(row) => row,
            // A token's task panicked: a bug, said as one; the others go on.
            Err(error) => {
                let sentence = format!("A token's work failed: {error}.");
                tally.add(&Outcome::new(Fate::Unknown, sentence.clone()));
                bar.suspend(|| note(&sentence));
                continue;
            }
        };
        tally.add(&row.outcome);
        if row.outcome.from_journal {
            trusted.push(row.number.clone().unwrap_or_else(|| row.key.clone()));
        }
        bar.inc(1);
        let line = if args.output.json {
            row.json_line()
        } else {
            row.text_line()
        };
        if output.is_ok() {
            // Only lines bound for the bar's own terminal need it out of their way: a
            // suspended bar is cleared and drawn again, once per token.
            output = if stdout_on_terminal {
                bar.suspend(|| write_out(&line))
            } else {
                write_out(&line)
            };
        }
    }
    bar.finish_and_clear();
    // Every token has its row: this run is never resumed.
    let unfinished = shared
        .journal
        .finished()
        .err()
        .map(|e| format!(" (The journal could not record that the run finished: {e}.)"))
        .unwrap_or_default();
    output?;
    let halted = shared.halted.load(std::sync::atomic::Ordering::SeqCst);
    let summary = format!(
        "{}{} Batch {batch} on {}, {:.1} s; journal {}.{unfinished}",
        tally.summary(action),
        trusted_sentence(&start, &trusted),
        place(connection),
        started.elapsed().as_secs_f64(),
        sanitize(&shared.journal.path().display().to_string())
    );
    if halted {
        return Err(Failure::new(
            exit::NOT_AUDITED,
            format!("{summary} The audit log could not be written, so the rest was not sent."),
        ));
    }
    match report::exit_status(tally.verdict()) {
        0 => {
            note(&summary);
            Ok(())
        }
        status => Err(Failure::new(status, summary)),
    }
}

/// What the clerk is told, before anything is sent, of how this run starts: only what
/// differs from a first run.
fn start_note(start: &Start, resume_asked: bool) -> Option<String> {
    let when = |time: SystemTime| humantime::format_rfc3339_seconds(time).to_string();
    match start {
        Start::Resume(run) => Some(format!(
            "Resuming the run of this batch started at {} and cut short at {}: the tokens it did are not read again.",
            when(run.started),
            when(run.last_step)
        )),
        Start::Fresh(Fresh::FirstRun) => None,
        Start::Fresh(Fresh::Finished(run)) => Some(format!(
            "{}The last run of this batch finished at {}; every token is read again.",
            if resume_asked {
                "Nothing to resume. "
            } else {
                ""
            },
            when(run.last_step)
        )),
        Start::Fresh(Fresh::TooOld(run)) => Some(format!(
            "The run of this batch cut short at {} is older than {} minutes, so every token is read again (--resume would leave what it did alone).",
            when(run.last_step),
            journal::RESUME_WINDOW.as_secs() / 60
        )),
    }
}

/// Which tokens a resume took as done on its journal's word, unread.
fn trusted_sentence(start: &Start, trusted: &[String]) -> String {
    let Start::Resume(run) = start else {
        return String::new();
    };
    if trusted.is_empty() {
        return String::new();
    }
    const NAMED: usize = 10;
    let mut names: Vec<String> = trusted
        .iter()
        .take(NAMED)
        .map(|name| sanitize(&crate::text::bounded(name)).into_owned())
        .collect();
    if trusted.len() > NAMED {
        names.push(format!("and {} more", trusted.len() - NAMED));
    }
    format!(
        " Taken as done from the journal of the run started at {}, not read again: {}.",
        humantime::format_rfc3339_seconds(run.started),
        names.join(", ")
    )
}

/// The input's tokens, and what names the input (for the journal). An owner's list is read
/// page by page, each token kept as what the batch needs of it (its key, code and
/// number), and at most `ceiling` of them.
async fn targets(
    client: &Client,
    args: &ActionArgs,
    ceiling: u64,
) -> Result<(Source, String, Vec<Target>), Failure> {
    let target = &args.target;
    if let Some(path) = &target.from {
        let (source, text) = input::read(path).map_err(|e| Failure::new(exit::USAGE, e))?;
        let targets = input::keys(&text)
            .into_iter()
            .map(input::from_line)
            .collect();
        return Ok((source, text, targets));
    }
    let owner = match (&target.acr, &target.rp) {
        (Some(acr), _) => ListOwner::AccountsReceivable(acr.clone()),
        (None, Some(rp)) => ListOwner::RewardsParticipant(rp.clone()),
        (None, None) => {
            return Err(Failure::new(
                exit::USAGE,
                "Name the tokens: a code, --from FILE, --acr or --rp.",
            ));
        }
    };
    let mut pages = client.pages(&owner, 0, ceiling, None);
    let mut targets = Vec::new();
    let mut once = input::ListedOnce::default();
    loop {
        match pages.next().await {
            Ok(Some(page)) => targets.extend(page.iter().filter_map(|t| once.take(&t.value))),
            Ok(None) => break,
            Err(error) => {
                let mut failure = Failure::from(error);
                failure.message = format!(
                    "{} The list of {} could not be read whole; nothing was sent.",
                    failure.message,
                    sanitize(&owner.to_string())
                );
                return Err(failure);
            }
        }
    }
    if pages.cut() {
        return Err(Failure::new(
            exit::LIMITED,
            format!(
                "{} holds more than {ceiling} access tokens, the ceiling a list may have (list_ceiling in the profile raises it); nothing was sent.",
                sanitize(&owner.to_string())
            ),
        ));
    }
    let repeated = once.repeated;
    if repeated > 0 {
        note(&format!(
            "The list named {repeated} access {} twice (it changed while it was read); each is acted on once.",
            if repeated == 1 { "token" } else { "tokens" }
        ));
    }
    Ok((Source::Owner(owner), String::new(), targets))
}

/// `batches/` beside the audit log.
fn journal_path(
    connection: &Connection,
    action: Action,
    source: &Source,
    text: &str,
) -> Result<std::path::PathBuf, Failure> {
    let audit_log = connection.audit.path().ok_or_else(|| {
        Failure::new(
            exit::NOT_AUDITED,
            "There is no home directory to keep the audit log and the batch's journal in; give --audit-log FILE. Nothing was sent.",
        )
    })?;
    let dir = audit_log
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("batches");
    let name = input::journal_name(
        &connection.environment.host,
        audit::action_name(action),
        source,
        text,
    );
    Ok(dir.join(name))
}

/// What a batch's confirmation counts.
struct Plan<'a> {
    /// The tokens the action will be sent for (each read first).
    count: usize,
    /// Done by the interrupted run this one resumes, left alone.
    settled: usize,
    /// Left out before anything is sent, grouped by why.
    left_out: &'a [(LeftOut, usize)],
    source: &'a Source,
}

/// Asks on the terminal, naming the count of tokens to be sent, those left out and why,
/// and the server; a delete wants the count typed.
fn confirm(action: Action, plan: &Plan<'_>, connection: &Connection) -> Result<(), Failure> {
    let &Plan {
        count,
        settled,
        left_out,
        source,
    } = plan;
    let refuse = |why: String| Failure::new(exit::NOT_CONFIRMED, why);
    // Standard input carrying the list cannot answer too: the answer comes from the
    // terminal itself, as sudo and ssh ask, when the clerk is at one.
    let mut answers: Box<dyn io::BufRead> = match source {
        Source::Stdin if io::stderr().is_terminal() => match std::fs::File::open("/dev/tty") {
            Ok(tty) => Box::new(io::BufReader::new(tty)),
            Err(_) => return Err(refuse(without_confirmation(action))),
        },
        Source::Stdin => return Err(refuse(without_confirmation(action))),
        _ if io::stdin().is_terminal() => Box::new(io::stdin().lock()),
        _ => return Err(refuse(without_confirmation(action))),
    };
    let from = match source {
        Source::File(path) => format!(" from {}", sanitize(&path.display().to_string())),
        Source::Stdin => String::new(),
        Source::Owner(owner) => format!(" of {}", sanitize(&owner.to_string())),
    };
    let earlier = if settled > 0 {
        format!(" ({settled} done by the interrupted run this resumes are left alone)")
    } else {
        String::new()
    };
    let left: usize = left_out.iter().map(|(_, count)| count).sum();
    let left = match left {
        0 => String::new(),
        1 => format!(
            " 1 is left out: {}.",
            fate::tally::left_out_words(left_out, action)
        ),
        n => format!(
            " {n} are left out: {}.",
            fate::tally::left_out_words(left_out, action)
        ),
    };
    let head = format!(
        "{} {count} access {}{from} on {}{earlier}?{left}",
        capitalised(action.verb()),
        if count == 1 { "token" } else { "tokens" },
        place(connection)
    );
    let answer = confirmation::batch_answer(action, count);
    let question = match &answer {
        Answer::Type(typed) => format!(
            "{head} This cannot be undone.\nType the {} ({}) to confirm: ",
            typed.what, typed.text
        ),
        _ => format!("{head} [y/N] "),
    };
    if crate::cli::say::confirmed_from(&question, &answer, &mut answers).map_err(refuse)? {
        Ok(())
    } else {
        Err(refuse(format!(
            "Not confirmed; no token was {}.",
            action.past_tense()
        )))
    }
}

fn without_confirmation(action: Action) -> String {
    format!(
        "Refusing to {} a batch without confirmation: add --yes to run it from a script.",
        action.verb()
    )
}

fn place(connection: &Connection) -> String {
    let environment = &connection.environment;
    confirmation::server_name(
        &environment.host,
        environment.demo,
        Some(environment.label.place(&environment.host)),
    )
}

/// A bar on standard error when it is a terminal; nothing at all otherwise.
fn progress_bar(total: usize) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} tokens  {elapsed} (about {eta} left)")
    {
        bar.set_style(style);
    }
    bar
}
