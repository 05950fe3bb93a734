//! tokendesk's entry point: parse the command line, then run a subcommand or the console.

use std::process::ExitCode;

use tokendesk::cli::args::Command;
use tokendesk::cli::say::write_out;
use tokendesk::cli::{commands, completion, local_commands, manual};
use tokendesk::setup::{connect, logging, secrets};
use tokendesk::{console, exit};

fn main() -> ExitCode {
    // Before anything else, and while this is the only thread: no core file, and the
    // secrets out of the environment.
    secrets::keep_out_of_cores();
    let env_secrets = secrets::EnvSecrets::take();
    let mut cli = tokendesk::cli::args::parse();
    cli.connection.env_secrets = env_secrets;
    // A log that cannot be opened does not stop the work; it is only mentioned.
    let log_problem = logging::init(cli.connection.log_file.as_deref()).err();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tokendesk: cannot start: {e}.");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Some(Command::Simulate(args)) => commands::simulate(args).await,
            Some(Command::Profiles { example: true }) => write_out(local_commands::EXAMPLE_CONFIG),
            Some(Command::Profiles { example: false }) => {
                commands::print_local(local_commands::profiles(&cli.connection))
            }
            Some(Command::Audit(args)) => {
                commands::print_local(local_commands::audit(&cli.connection, &args).await)
            }
            Some(Command::Recent { json }) => {
                commands::print_local(local_commands::recent(&cli.connection, json))
            }
            Some(Command::Man) => write_out(&manual::page()),
            Some(Command::Completions { shell }) => write_out(&completion::script(shell)),
            Some(Command::Token(command)) => {
                // A reason the profile does not accept is said before any password prompt,
                // log-in or read.
                let settings = connect::settings(&cli.connection)?;
                let reason = commands::checked_reason(&command, &settings.reason)?;
                let connection = connect::connect_with(&cli.connection, settings).await?;
                commands::run(command, reason, connection).await
            }
            None => {
                // A wrong config file is said first, then a missing terminal, before any
                // password prompt or login.
                let settings = connect::settings(&cli.connection)?;
                console::check_terminal()?;
                let connection = connect::connect_with(&cli.connection, settings).await?;
                console::run(connection, log_problem).await
            }
        }
    });
    // The runtime may hold the demo simulator's tasks; do not wait for them.
    runtime.shutdown_background();
    exit::report(result)
}
