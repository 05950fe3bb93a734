//! The non-interactive subcommands: the same client as the console, for scripts. Output is
//! text for people or `--json` for programs; failures are one sentence on standard error
//! and an exit status that says what kind of failure it was.

use std::io::{self, IsTerminal};

use serde_json::Value;

use crate::api::{
    AccessTokenIdentifier, Action, ApiError, Client, Document, FieldsSet, ListOwner, NumberKind,
    TokenSummary,
};
use crate::audit::{self, AuditToken};
use crate::cli::args::{ActionArgs, OutputArgs, OwnerArgs, SimulateArgs, TokenArgs, TokenCommand};
use crate::cli::batch;
use crate::cli::listing::{self, Format, ListRequest};
use crate::cli::local_commands::Printout;
use crate::cli::say::write_out;
use crate::exit::note;
use crate::exit::{self, Failure};
use crate::fate::confirmation::{self, Answer};
use crate::fate::reason::{Reason, ReasonPolicy, ReasonProblem};
use crate::fate::{Course, Fate, Next, Outcome, Request};
use crate::mask::Mask;
use crate::setup::connect::{Connection, SetupError};
use crate::simulator::{self, Simulator, SimulatorConfig};
use crate::text::capitalised;
use crate::text::json_for_terminal;
use crate::tree::TokenTree;

/// Prints what a local subcommand (`profiles`, `audit`) found; its warning goes first,
/// on standard error.
pub fn print_local(printout: Result<Printout, SetupError>) -> Result<(), Failure> {
    let printout = printout?;
    if let Some(warning) = &printout.warning {
        eprintln!("tokendesk: {warning}");
    }
    write_out(&printout.stdout)?;
    match printout.status {
        0 => Ok(()),
        // The sentence is the output, already printed.
        status => Err(Failure::new(status, "")),
    }
}

/// The reason an action's `--reason` gives, held to the profile's rule (`policy`) before
/// anything is read or sent: a reason required and missing, or not matching, is a usage
/// error (exit 2). `None` for `show` and `list`, which take none.
pub fn checked_reason(
    command: &TokenCommand,
    policy: &ReasonPolicy,
) -> Result<Option<Reason>, Failure> {
    let args = match command {
        TokenCommand::Deactivate(args)
        | TokenCommand::Activate(args)
        | TokenCommand::Delete(args) => args,
        TokenCommand::Show { .. } | TokenCommand::List { .. } => return Ok(None),
    };
    policy.check(args.reason.as_deref()).map_err(|problem| {
        let how = match problem {
            ReasonProblem::Missing { .. } => " Give it with --reason TEXT.",
            ReasonProblem::NoMatch { .. } | ReasonProblem::TooLong { .. } => "",
        };
        Failure::new(exit::USAGE, format!("{problem}{how} Nothing was sent."))
    })
}

/// Runs a subcommand against a connection; an action's audit lines give `reason`
/// ([`checked_reason`]).
pub async fn run(
    command: TokenCommand,
    reason: Option<Reason>,
    mut connection: Connection,
) -> Result<(), Failure> {
    connection.audit = connection
        .audit
        .with_reason(reason.as_ref().map(Reason::as_str));
    let client = connection.client()?;
    match command {
        TokenCommand::Show { token, output } => {
            let identifier = identifier(&token);
            let token = client
                .show(&identifier, fields(&output).as_ref())
                .await
                .map_err(|error| failure_for(&identifier, error))?;
            print_token(&connection, &token, &output).await
        }
        TokenCommand::List {
            owner,
            limit,
            offset,
            jsonl,
            output,
        } => {
            let owner = list_owner(&owner)?;
            let fields = fields(&output);
            let format = match (output.json, jsonl) {
                (true, _) => Format::Json,
                (false, true) => Format::JsonLines,
                (false, false) => Format::Text,
            };
            let request = ListRequest {
                owner: &owner,
                offset,
                limit,
                fields: fields.as_ref(),
                format,
                reveal: output.reveal,
            };
            listing::run(&client, &connection, &request).await
        }
        TokenCommand::Deactivate(args) => act(client, &connection, Action::Deactivate, args).await,
        TokenCommand::Activate(args) => act(client, &connection, Action::Activate, args).await,
        TokenCommand::Delete(args) => act(client, &connection, Action::Delete, args).await,
    }
}

/// One token, or a batch (`--from`, `--acr`, `--rp`).
async fn act(
    client: Client,
    connection: &Connection,
    action: Action,
    args: ActionArgs,
) -> Result<(), Failure> {
    match args.target.one() {
        Some(token) => act_on_one(&client, connection, action, &token, &args).await,
        None => batch::run(client, connection, action, &args).await,
    }
}

async fn act_on_one(
    client: &Client,
    connection: &Connection,
    action: Action,
    token_args: &TokenArgs,
    args: &ActionArgs,
) -> Result<(), Failure> {
    // Read-only says so before anything else, a confirmation prompt included.
    client.check_write(action)?;
    let identifier = identifier(token_args);
    let mut course = if args.yes {
        let mut course = Course::confirmed(action, identifier.clone(), TokenSummary::default());
        course.proceed();
        course
    } else {
        if !io::stdin().is_terminal() {
            return Err(Failure::new(
                exit::NOT_CONFIRMED,
                format!(
                    "Refusing to {} without confirmation: add --yes to run it from a script.",
                    action.verb()
                ),
            ));
        }
        // Read the token first, so the clerk confirms what it is and the state rule is
        // checked before anything is sent.
        let mut course =
            Course::read_first(action, Some(identifier.clone()), TokenSummary::default());
        course.proceed();
        let current = client.show(&identifier, None).await;
        match (course.answered(&current), current) {
            (Next::Send(Request::Act), _) => {}
            (_, Err(error)) => return Err(failure_for(&identifier, error)),
            // Left out: its state does not allow the action.
            (next, Ok(_)) => {
                let sentence = match next {
                    Next::End(outcome) => outcome.sentence,
                    _ => String::new(),
                };
                return Err(Failure::new(exit::REFUSED, sentence));
            }
        }
        confirm(action, course.known(), connection)?;
        course
    };
    let token =
        AuditToken::from_summary(course.known()).or(&AuditToken::from_identifier(&identifier));
    let fields = fields(&args.output);
    // The token as last seen: the answer's, or a re-read's.
    let mut seen: Option<Document>;
    let mut checked = false;
    let outcome = 'act: loop {
        let audited = audit::audited::act(
            client,
            &connection.audit,
            action,
            &identifier,
            &token,
            fields.as_ref(),
        )
        .await?;
        if let Some(unrecorded) = &audited.unrecorded {
            note(&unrecorded.to_string());
        }
        if let Err(lost) = &audited.result
            && lost.outcome_unknown()
        {
            // Sent, and the answer does not say what happened: say so; the course reads
            // it again (the audited action's own re-read first).
            note(&format!(
                "{lost} Whether the token with {identifier} was {} is not known; re-reading it to find out.",
                action.past_tense()
            ));
        }
        checked |= audited.reread.is_some();
        seen = match (&audited.result, &audited.reread) {
            (Ok(token), _) | (_, Some(Ok(token))) => Some(token.clone()),
            _ => None,
        };
        let mut next = course.acted(&audited.result, audited.reread.as_ref());
        loop {
            next = match next {
                Next::Send(Request::Reread) => {
                    checked = true;
                    let reread = client.show(&identifier, None).await;
                    if let Ok(token) = &reread {
                        seen = Some(token.clone());
                    }
                    course.answered(&reread)
                }
                Next::Pause(wait) => {
                    tokio::time::sleep(wait).await;
                    match course.proceed() {
                        Next::Send(Request::Act) => continue 'act,
                        other => other,
                    }
                }
                // Failed, or refused without a re-read (not found): said by the error itself,
                // with its exit status.
                Next::End(outcome) | Next::Halt(outcome)
                    if outcome.fate != Fate::Done && !checked =>
                {
                    match audited.result {
                        Err(error) => return Err(failure_for(&identifier, error)),
                        Ok(_) => break 'act outcome,
                    }
                }
                Next::End(outcome) | Next::Halt(outcome) => break 'act outcome,
                Next::Send(_) | Next::Wait => {
                    break 'act Outcome::not_sent("no request was due for it.");
                }
            };
        }
    };
    let summary = seen
        .as_ref()
        .map(|t| TokenSummary::from_value(&t.value))
        .unwrap_or_default();
    let name = summary
        .number
        .as_deref()
        .or(course.known().number.as_deref())
        .map(|number| crate::text::bounded(&crate::text::sanitize(number)).into_owned())
        .unwrap_or_else(|| format!("The token with {identifier}"));
    match outcome.fate {
        Fate::Done if checked => note(&outcome.said_of(&name)),
        Fate::Done => {}
        Fate::Unknown | Fate::Failed => {
            return Err(Failure::new(
                exit::UNREACHABLE,
                format!("{} `tokendesk show` tells.", outcome.said_of(&name)),
            ));
        }
        Fate::Refused | Fate::LeftOut => {
            return Err(Failure::new(exit::REFUSED, outcome.said_of(&name)));
        }
    }
    let token = seen.filter(|_| !course.deleted());
    if args.output.json {
        let value = token.as_ref().map_or(&Value::Null, |t| &t.value);
        let shown = connection
            .revealed(
                args.output.reveal,
                std::slice::from_ref(value),
                |v, mask| mask.map_or_else(|| v.clone(), |mask| mask.json(v)),
            )
            .await?;
        return print_json(shown.first().unwrap_or(&Value::Null));
    }
    let line = match action {
        Action::Delete => format!("{name} deleted."),
        _ => format!("{name} is now {}.", summary.state),
    };
    write_out(&format!("{line}\n"))
}

/// Asks on the terminal; delete wants the token number typed, the others `y`.
fn confirm(action: Action, token: &TokenSummary, connection: &Connection) -> Result<(), Failure> {
    let name = token.display_name();
    let account = token.account_label().unwrap_or_else(|| "none".into());
    let code = token.authentication_code.as_deref().unwrap_or("no code");
    let environment = &connection.environment;
    let place = confirmation::server_name(
        &environment.host,
        environment.demo,
        Some(environment.label.place(&environment.host)),
    );
    let answer = confirmation::answer(action, token);
    let question = match &answer {
        Answer::Type(typed) => format!(
            "Delete {name} (code {code}, account {account}) on {place}? This cannot be undone.\nType the {} to confirm: ",
            typed.what
        ),
        Answer::Yes => format!(
            "{} {name} (code {code}, account {account}) on {place}? [y/N] ",
            capitalised(action.verb())
        ),
        Answer::Impossible => {
            return Err(Failure::new(
                exit::NOT_CONFIRMED,
                format!(
                    "{name} has neither a number nor an authentication code to type to confirm; it was not {}.",
                    action.past_tense()
                ),
            ));
        }
    };
    let confirmed = crate::cli::say::confirmed(&question, &answer)
        .map_err(|sentence| Failure::new(exit::NOT_CONFIRMED, sentence))?;
    if confirmed {
        Ok(())
    } else {
        Err(Failure::new(
            exit::NOT_CONFIRMED,
            format!("Not confirmed; {name} was not {}.", action.past_tense()),
        ))
    }
}

fn identifier(args: &TokenArgs) -> AccessTokenIdentifier {
    match (&args.code, &args.identifier, &args.pass_code) {
        (_, Some(identifier), Some(pass_code)) => AccessTokenIdentifier::Identifier {
            identifier: identifier.clone(),
            pass_code: pass_code.clone(),
        },
        // clap guarantees a code when there is no identifier
        (code, _, _) => AccessTokenIdentifier::AuthenticationCode(code.clone().unwrap_or_default()),
    }
}

/// `error` as the command line says it; a code that found nothing and looks like a number
/// (ACR0000000069) also says what the number is and what to type instead, as the console does.
fn failure_for(identifier: &AccessTokenIdentifier, error: ApiError) -> Failure {
    let hint = match identifier {
        AccessTokenIdentifier::AuthenticationCode(code) if error.is_not_found() => {
            NumberKind::of(code).map(|kind| crate::cli::batch::input::not_a_code(kind, code))
        }
        _ => None,
    };
    let mut failure = Failure::from(error);
    if let Some(hint) = hint {
        failure.message = format!("{} {hint}", failure.message);
    }
    failure
}

fn list_owner(args: &OwnerArgs) -> Result<ListOwner, Failure> {
    match (&args.acr, &args.rp) {
        (Some(acr), None) => Ok(ListOwner::AccountsReceivable(acr.clone())),
        (None, Some(rp)) => Ok(ListOwner::RewardsParticipant(rp.clone())),
        _ => Err(Failure::new(
            exit::USAGE,
            "Give exactly one of --acr and --rp.",
        )),
    }
}

fn fields(output: &OutputArgs) -> Option<FieldsSet> {
    output.fields.as_deref().and_then(FieldsSet::parse)
}

async fn print_token(
    connection: &Connection,
    token: &Document,
    output: &OutputArgs,
) -> Result<(), Failure> {
    let shown = connection
        .revealed(
            output.reveal,
            std::slice::from_ref(&token.value),
            |value, mask| {
                if output.json {
                    json_for_terminal(&mask.map_or_else(|| value.clone(), |mask| mask.json(value)))
                } else {
                    token_text(token, mask.unwrap_or(&connection.mask), mask.is_none())
                }
            },
        )
        .await?;
    write_out(&shown.concat())
}

/// The token as an indented outline of its non-empty fields, every branch open; a key the
/// server sent twice is marked as in the console. Personal data is masked by `mask`
/// unless `revealed`.
pub fn token_text(token: &Document, mask: &Mask, revealed: bool) -> String {
    let mut tree = TokenTree::from_document_masked(token, mask);
    tree.expand_all();
    tree.reveal(revealed);
    let mut out = String::new();
    for &id in tree.visible() {
        let node = tree.node(id);
        let indent = "  ".repeat(usize::from(node.depth));
        // A server's label or value is cut to about a kilobyte: `--json` has it whole.
        let label = crate::text::bounded(&node.label);
        if node.is_branch() {
            out.push_str(&format!("{indent}{label}\n"));
        } else {
            let value = tree.value(id);
            out.push_str(&format!(
                "{indent}{label}: {}\n",
                crate::text::bounded(value)
            ));
        }
    }
    out
}

fn print_json(data: &Value) -> Result<(), Failure> {
    write_out(&json_for_terminal(data))
}

/// `tokendesk simulate`: the simulator on its own until Ctrl-C or SIGTERM.
pub async fn simulate(args: SimulateArgs) -> Result<(), Failure> {
    let mut tokens = match &args.data {
        Some(path) => simulator::load_tokens(path).map_err(|e| Failure::new(exit::USAGE, e))?,
        None => simulator::demo_tokens(),
    };
    for (index, bulk) in (0u8..).zip(&args.bulk_account) {
        tokens.extend(simulator::bulk_account(&bulk.number, bulk.count, index));
    }
    let config = SimulatorConfig {
        session_ttl: std::time::Duration::from_secs(args.session_ttl.max(1)),
        latency: std::time::Duration::from_millis(args.latency),
        apply_delay: std::time::Duration::from_millis(args.apply_delay),
        fail_every: args.fail_every,
        fail_actions_only: args.fail_actions_only,
        fault: args.fault.into(),
        http_error_status: args.http_errors,
        tokens,
    };
    let token_count = config.tokens.len();
    // Registered before the ready line goes out: a supervisor may signal as soon as it reads it.
    let stop = stop_signal();
    let simulator = Simulator::start(config, args.listen).await.map_err(|e| {
        Failure::new(
            exit::UNREACHABLE,
            format!("Cannot listen on {}: {e}.", args.listen),
        )
    })?;
    write_out(&format!(
        "CRM.COM simulator at {} with {token_count} access tokens; log in as {} / {} in organisation {}. Ctrl-C stops it.\n",
        simulator.base_url(),
        simulator::DEMO_USERNAME,
        simulator::DEMO_PASSWORD,
        simulator::DEMO_ORGANISATION
    ))?;
    stop.await;
    simulator.shutdown().await;
    Ok(())
}

/// Listens for Ctrl-C and SIGTERM from the moment it is called (not from the first poll) and
/// returns the wait for either.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_output_holds_no_bidi_mark_and_no_line_separator() {
        let hostile = "Po\u{061C}li\u{200F}na\u{2028}Kes\u{2029}tora\u{2067}";
        let token = json!({
            "number": hostile,
            "life_cycle_state": "EFFECTIVE",
            "": hostile,
            "accounts_receivable": {"number": "ACR1", "name": hostile},
        });
        let document = Document::from(token.clone());
        for text in [
            token_text(&document, &Mask::default(), false),
            crate::cli::listing::cells(&token, Some(&Mask::default())).join("  "),
        ] {
            assert!(
                !text.chars().any(|c| matches!(
                    c,
                    '\u{061C}' | '\u{200E}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                )),
                "{text:?}"
            );
            assert!(text.contains("Polina Kes tora"), "{text}");
        }
        assert!(
            token_text(&document, &Mask::default(), false).contains("(empty key): Polina Kes tora")
        );
    }
}
