//! The binary as a support organisation deploys it: profiles from a config file, the audit
//! log of every action, read-only mode and the transport rules, against the simulator run in
//! this process (so that a test can count the write requests it received).

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokendesk::simulator::{Simulator, SimulatorConfig};

use crate::support::audit_log;
use crate::support::output;
use crate::support::pty;
use crate::support::start;
use audit_log::{has_word, phases, records, session_token};
use output::{assert_failure, assert_success, stderr, stdout};

/// AT0000000671, EFFECTIVE.
const SEED_CODE: &str = "99021047380";
/// AT0000000709, EFFECTIVE.
const EFFECTIVE_CODE: &str = "99027975972";

const USAGE: i32 = tokendesk::exit::USAGE as i32;
const REFUSED: i32 = tokendesk::exit::REFUSED as i32;
const NOT_CONFIRMED: i32 = tokendesk::exit::NOT_CONFIRMED as i32;
const READ_ONLY: i32 = tokendesk::exit::READ_ONLY as i32;
const NOT_AUDITED: i32 = tokendesk::exit::NOT_AUDITED as i32;

/// Long enough to find a polled condition on a loaded machine; reaching it is a failure.
const DEADLINE: Duration = Duration::from_secs(60);

/// A private directory: `XDG_STATE_HOME` and `XDG_CONFIG_HOME` of the runs, removed after.
struct Home(PathBuf);

impl Home {
    fn new() -> Home {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "tokendesk-deploy-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        Home(path)
    }

    fn audit_log(&self) -> PathBuf {
        self.0.join("tokendesk").join("audit.jsonl")
    }

    fn diagnostic_log(&self) -> PathBuf {
        self.0.join("tokendesk").join("tokendesk.log")
    }

    /// Writes `$XDG_CONFIG_HOME/tokendesk/config.toml`.
    fn write_config(&self, text: &str) -> PathBuf {
        let dir = self.0.join("tokendesk");
        std::fs::create_dir_all(&dir).expect("config dir");
        let path = dir.join("config.toml");
        std::fs::write(&path, text).expect("config written");
        path
    }

    /// `tokendesk` with no `TOKENDESK_*` variable from outside, this home, and stdin that
    /// is not a terminal.
    fn command(&self) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokendesk"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TOKENDESK_") {
                command.env_remove(name);
            }
        }
        command
            .env("XDG_STATE_HOME", &self.0)
            .env("XDG_CONFIG_HOME", &self.0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    }

    /// A command logged in to `sim` as the demo clerk.
    fn against(&self, sim: &Simulator) -> tokio::process::Command {
        let mut command = self.command();
        command
            .args(["--url", &sim.base_url()])
            .args(["--username", "clerk", "--organisation", "DEMO"])
            .env("TOKENDESK_PASSWORD", "demo");
        command
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn simulator(latency: Duration) -> Simulator {
    start::simulator(SimulatorConfig {
        latency,
        ..SimulatorConfig::default()
    })
    .await
}

async fn run(command: &mut tokio::process::Command, args: &[&str]) -> Output {
    command.args(args).output().await.expect("tokendesk runs")
}

// ---- the audit log ------------------------------------------------------------------------

/// Show, deactivate, a delete the server refuses, and a delete that works: the log holds an
/// intent and an outcome for each action, in order, and no run wrote the password or the
/// session token anywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_session_is_audited_in_order_and_leaks_no_secret() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    let session = session_token(&sim).await;
    assert!(session.len() >= 16, "{session}");
    let mut outputs = Vec::new();
    let mut step = |output: Output| {
        outputs.push(format!("{}{}", stdout(&output), stderr(&output)));
        output
    };
    // The first run logs in with the password; the others start from a session token and
    // renew it with the password when it expires.
    let verbose = |command: &mut tokio::process::Command| {
        command.env("TOKENDESK_LOG", "trace");
    };
    let mut show = home.against(&sim);
    verbose(&mut show);
    assert_success(&step(run(&mut show, &["show", SEED_CODE]).await));
    let with_session = || {
        let mut command = home.against(&sim);
        verbose(&mut command);
        command.env("TOKENDESK_SESSION_TOKEN", &session);
        command
    };
    let text = assert_success(&step(
        run(&mut with_session(), &["deactivate", SEED_CODE, "--yes"]).await,
    ));
    assert_eq!(text, "AT0000000671 is now NOT_EFFECTIVE.\n");
    let refused = step(run(&mut with_session(), &["delete", EFFECTIVE_CODE, "--yes"]).await);
    let sentence = assert_failure(&refused, REFUSED);
    assert!(
        sentence.ends_with("Only NOT_EFFECTIVE tokens can be deleted; this one is EFFECTIVE."),
        "{sentence}"
    );
    sim.expire_sessions();
    let text = assert_success(&step(
        run(&mut with_session(), &["delete", SEED_CODE, "--yes"]).await,
    ));
    assert_eq!(text, "AT0000000671 deleted.\n");
    assert_eq!(
        sim.stats().actions,
        4,
        "three actions, one repeated after re-login"
    );

    let records = records(&home.audit_log());
    assert_eq!(
        phases(&records),
        [
            ("deactivate", "intent", "-"),
            ("deactivate", "outcome", "done"),
            ("delete", "intent", "-"),
            ("delete", "outcome", "refused"),
            ("delete", "intent", "-"),
            ("delete", "outcome", "done"),
        ]
    );
    for pair in records.chunks(2) {
        assert_eq!(pair[0]["request"], pair[1]["request"]);
        assert!(pair[0]["request"].as_str().is_some_and(|r| !r.is_empty()));
    }
    assert_ne!(records[0]["request"], records[2]["request"]);
    for record in &records {
        assert_eq!(record["event"], "action");
        assert_eq!(record["operator"], "clerk");
        assert_eq!(record["organisation"], "DEMO");
        assert_eq!(record["host"], sim.addr().to_string());
        assert_eq!(record["profile"], Value::Null);
        assert_eq!(record["label"], Value::Null);
        let time = record["time"].as_str().expect("time");
        assert!(
            humantime::parse_rfc3339(time).is_ok() && time.len() == 24,
            "{time}"
        );
    }
    // The intent names the token as it was asked for; the outcome also as it was answered.
    assert_eq!(records[0]["token"]["authentication_code"], SEED_CODE);
    assert_eq!(records[0]["token"]["number"], Value::Null);
    assert_eq!(records[1]["token"]["number"], "AT0000000671");
    assert_eq!(records[1]["state"], "NOT_EFFECTIVE");
    assert!(
        records[3]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("INVALID_LIFE_CYCLE_STATE")),
        "{}",
        records[3]
    );
    assert_eq!(records[5]["state"], "DELETED");

    let audit_text = std::fs::read_to_string(home.audit_log()).expect("audit log");
    let diagnostic = std::fs::read_to_string(home.diagnostic_log()).expect("diagnostic log");
    assert!(diagnostic.contains("logging in again"), "the re-login ran");
    for (name, text) in [
        ("the audit log", &audit_text),
        ("the diagnostic log", &diagnostic),
    ]
    .into_iter()
    .chain(outputs.iter().map(|o| ("the terminal output", o)))
    {
        assert!(!text.contains(&session), "the session token is in {name}");
        assert!(
            !has_word(text, "demo"),
            "the password is in {name}:\n{text}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.audit_log())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    // ...and `tokendesk audit` reads it back.
    let table = assert_success(&run(&mut home.command(), &["audit"]).await);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three actions:\n{table}");
    assert!(lines[0].starts_with("TIME (UTC)"), "{table}");
    assert!(lines[1].contains("deactivate") && lines[1].ends_with("done: NOT_EFFECTIVE"));
    // Refused, and read again: named by the number the re-read found.
    assert!(lines[2].contains("AT0000000709") && lines[2].contains("refused: "));
    assert!(lines[3].contains("AT0000000671") && lines[3].ends_with("done: DELETED"));
    let only = assert_success(&run(&mut home.command(), &["audit", "--token", SEED_CODE]).await);
    assert_eq!(only.lines().count(), 3, "{only}");
    // The refused delete was asked for by code: found by its code, and by its number.
    let json: Value = serde_json::from_str(&assert_success(
        &run(
            &mut home.command(),
            &["audit", "--token", EFFECTIVE_CODE, "--json"],
        )
        .await,
    ))
    .expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2), "{json}");
    assert_eq!(json[1]["outcome"], "refused", "{json}");
    assert_eq!(json[1]["token"]["number"], "AT0000000709", "{json}");
    let by_number =
        assert_success(&run(&mut home.command(), &["audit", "--token", "AT0000000709"]).await);
    assert_eq!(by_number.lines().count(), 2, "{by_number}");
    let future =
        assert_success(&run(&mut home.command(), &["audit", "--since", "2999-01-01"]).await);
    assert!(future.starts_with("Nothing recorded in "), "{future}");
    let bad = run(&mut home.command(), &["audit", "--since", "last week"]).await;
    assert!(assert_failure(&bad, USAGE).contains("--since"));
}

/// Killed while the simulator holds the deactivation: the intent line is on disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_mid_action_leaves_its_intent_on_disk() {
    let sim = simulator(Duration::from_secs(3)).await;
    let home = Home::new();
    let mut child = home
        .against(&sim)
        .args(["deactivate", SEED_CODE, "--yes"])
        .spawn()
        .expect("tokendesk starts");
    let start = Instant::now();
    // The write has reached the simulator, which holds it for the latency.
    while sim.stats().actions == 0 {
        assert!(start.elapsed() < DEADLINE, "the deactivation never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.start_kill().expect("SIGKILL");
    let status = child.wait().await.expect("waited");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }
    let records = records(&home.audit_log());
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["phase"], "intent");
    assert_eq!(records[0]["action"], "deactivate");
    assert_eq!(records[0]["token"]["authentication_code"], SEED_CODE);
    let table = assert_success(&run(&mut home.command(), &["audit"]).await);
    assert!(table.contains("NO OUTCOME"), "{table}");
}

/// The answer to an action lost on the way: the outcome is `unknown`, with what re-reading
/// the token found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_recorded_with_what_the_reread_found() {
    // request 1 is the log-in, request 2 the deactivation: carried out, then cut off
    let sim = Simulator::start(
        SimulatorConfig {
            fail_every: std::num::NonZeroU32::new(2),
            fault: tokendesk::simulator::Fault::Disconnect,
            ..SimulatorConfig::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("simulator starts");
    let home = Home::new();
    let output = run(&mut home.against(&sim), &["deactivate", SEED_CODE, "--yes"]).await;
    // The re-read proves it was done: a success, said with how it was found out.
    assert_eq!(
        stdout(&output),
        "AT0000000671 is now NOT_EFFECTIVE.\n",
        "{}",
        stderr(&output)
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("is not known; re-reading it"), "{err}");
    assert!(
        err.contains("AT0000000671: Deactivated. Checked after a lost answer"),
        "{err}"
    );
    let records = records(&home.audit_log());
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1]["outcome"], "unknown");
    assert_eq!(records[1]["reread"], "NOT_EFFECTIVE");
    assert!(
        records[1]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("The connection broke")),
        "{}",
        records[1]
    );
    assert_eq!(
        records[1]["token"]["number"], "AT0000000671",
        "from the re-read"
    );
}

/// An audit log that cannot be written: the action is refused and nothing reaches the server.
/// A full disk is played by a file size limit of 0 bytes (`RLIMIT_FSIZE`, with `SIGXFSZ`
/// ignored so that the write fails instead of killing the process): the file opens, and the
/// write of the intent fails, as on a full disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_audit_log_refuses_the_action() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    for (log, full, why) in [
        (home.0.join("full.jsonl"), true, "File too large"),
        (
            home.0.clone(),
            false,
            "it is a directory, not a regular file",
        ),
    ] {
        let mut command = home.against(&sim);
        if full {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let none = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: libc::RLIM_INFINITY,
                    };
                    libc::setrlimit(libc::RLIMIT_FSIZE, &none);
                    Ok(())
                });
            }
        }
        let output = run(
            &mut command,
            &[
                "--audit-log",
                &log.display().to_string(),
                "deactivate",
                SEED_CODE,
                "--yes",
            ],
        )
        .await;
        let sentence = assert_failure(&output, NOT_AUDITED);
        assert!(
            sentence.starts_with(&format!("Cannot write to the audit log {}", log.display())),
            "{sentence}"
        );
        assert!(sentence.contains(why), "{sentence}");
        assert!(sentence.contains("nothing was sent"), "{sentence}");
    }
    assert_eq!(sim.stats().actions, 0);
    let token = assert_success(
        &run(
            &mut home.against(&sim),
            &["show", SEED_CODE, "--json", "--fields", "life_cycle_state"],
        )
        .await,
    );
    assert!(token.contains("\"EFFECTIVE\""), "{token}");
}

/// An audit log that is not a regular file of the clerk's own, in a directory nobody else
/// can change: a symbolic link (its target must stay untouched), a FIFO (which would block),
/// a device, another user's file, and a file in a directory anyone can write to. Each
/// refuses the action (exit 7, nothing sent) and the reveal, with a sentence that says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_log_that_is_not_a_file_of_ones_own_refuses_every_action() {
    use std::os::unix::fs::PermissionsExt;
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    let elsewhere = home.0.join("someone-elses.txt");
    std::fs::write(&elsewhere, "precious\n").expect("written");
    let link = home.0.join("link.jsonl");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("a link");
    let fifo = home.0.join("fifo.jsonl");
    let fifo_name = std::ffi::CString::new(fifo.display().to_string()).expect("a path");
    // SAFETY: mkfifo reads the NUL-terminated path only.
    assert_eq!(
        unsafe { libc::mkfifo(fifo_name.as_ptr(), 0o600) },
        0,
        "a FIFO"
    );
    let shared = home.0.join("shared");
    std::fs::create_dir(&shared).expect("a directory");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let theirs = home.0.join("theirs.jsonl");
    std::fs::write(&theirs, "").expect("written");
    // SAFETY: geteuid cannot fail.
    let someone_else = if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&theirs, Some(65534), None).expect("root gives it away");
        theirs.clone()
    } else {
        // Not root: a file that is surely someone else's.
        PathBuf::from("/etc/passwd")
    };
    let cases = [
        (
            link.clone(),
            "(it is a symbolic link, which tokendesk does not follow)",
        ),
        (
            fifo.clone(),
            "(it is a FIFO (named pipe), not a regular file)",
        ),
        (
            PathBuf::from("/dev/null"),
            "(it is a character device, not a regular file)",
        ),
        (someone_else.clone(), "(it belongs to another user (uid "),
        (
            shared.join("audit.jsonl"),
            "is writable by other users and not sticky, so they could replace it)",
        ),
    ];
    for (log, why) in &cases {
        let shown = log.display().to_string();
        for args in [
            &["deactivate", SEED_CODE, "--yes"][..],
            &["show", SEED_CODE, "--reveal"][..],
        ] {
            let mut command = home.against(&sim);
            command.args(["--audit-log", &shown]);
            let output = tokio::time::timeout(DEADLINE, run(&mut command, args))
                .await
                .expect("no write blocks");
            let sentence = assert_failure(&output, NOT_AUDITED);
            assert!(
                sentence.starts_with(&format!("Cannot write to the audit log {shown} (")),
                "{sentence}"
            );
            assert!(sentence.contains(why), "{sentence}");
            assert!(
                sentence.contains("nothing was sent") || sentence.contains("nothing was revealed"),
                "{sentence}"
            );
        }
    }
    assert_eq!(sim.stats().actions, 0);
    // `tokendesk audit` reads only a regular file: the FIFO would block it.
    let mut reading = home.command();
    reading.args(["--audit-log", &fifo.display().to_string()]);
    let output = tokio::time::timeout(DEADLINE, run(&mut reading, &["audit"]))
        .await
        .expect("no read blocks");
    assert_eq!(
        assert_failure(&output, USAGE),
        format!(
            "Cannot read the audit log {}: it is a FIFO (named pipe), not a regular file.",
            fifo.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).expect("still there"),
        "precious\n",
        "the link's target is untouched"
    );
    assert!(
        !shared.join("audit.jsonl").exists(),
        "nothing created there"
    );
    // A sticky directory that anyone may write to (as /tmp) is fine for a file of one's own.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let mut command = home.against(&sim);
    command.args([
        "--audit-log",
        &shared.join("audit.jsonl").display().to_string(),
    ]);
    let output = run(&mut command, &["deactivate", SEED_CODE, "--yes"]).await;
    assert_success(&output);
    assert_eq!(records(&shared.join("audit.jsonl")).len(), 2);
}

/// Local files are read only when they are regular files of a sane size: a CA certificate
/// or a config file given as `/dev/zero` would grow memory without end, and a FIFO would
/// block before anything is said. Each is refused at once with a sentence (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_certificate_or_config_file_that_is_no_regular_file_is_refused_at_once() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    let fifo = home.0.join("fifo.pem");
    let fifo_name = std::ffi::CString::new(fifo.display().to_string()).expect("a path");
    // SAFETY: mkfifo reads the NUL-terminated path only.
    assert_eq!(
        unsafe { libc::mkfifo(fifo_name.as_ptr(), 0o600) },
        0,
        "a FIFO"
    );
    let huge = home.0.join("huge.pem");
    let file = std::fs::File::create(&huge).expect("created");
    file.set_len(5 * 1024 * 1024).expect("a sparse 5 MB file");
    let cases = [
        (
            "/dev/zero".to_owned(),
            "it is a character device, not a regular file",
        ),
        (
            fifo.display().to_string(),
            "it is a FIFO (named pipe), not a regular file",
        ),
        (huge.display().to_string(), "it is larger than 4 MB"),
    ];
    for (path, why) in &cases {
        let mut command = home.against(&sim);
        command.args(["--ca-cert", path]);
        let output = tokio::time::timeout(DEADLINE, run(&mut command, &["show", SEED_CODE]))
            .await
            .expect("nothing blocks");
        let sentence = assert_failure(&output, USAGE);
        assert_eq!(
            sentence,
            format!("Cannot read the CA certificate {path}: {why}.")
        );
    }
    // The same from a profile's ca_cert.
    home.write_config(&format!(
        "[profiles.p]\nurl = \"{}\"\nusername = \"clerk\"\norganisation = \"DEMO\"\nca_cert = \"/dev/zero\"\n",
        sim.base_url()
    ));
    let mut profile = home.command();
    profile.env("TOKENDESK_PASSWORD", "demo");
    let output = run(&mut profile, &["--profile", "p", "show", SEED_CODE]).await;
    assert_eq!(
        assert_failure(&output, USAGE),
        "Cannot read the CA certificate /dev/zero: it is a character device, not a regular file."
    );
    // A config file that is a FIFO, a device or too large.
    let big_config = home.0.join("big.toml");
    std::fs::write(&big_config, "#".repeat(1024 * 1024 + 1)).expect("written");
    for (path, why) in [
        (
            "/dev/zero".to_owned(),
            "it is a character device, not a regular file",
        ),
        (
            fifo.display().to_string(),
            "it is a FIFO (named pipe), not a regular file",
        ),
        (big_config.display().to_string(), "it is larger than 1 MB"),
    ] {
        let mut command = home.against(&sim);
        command.args(["--config", &path]);
        let output = tokio::time::timeout(DEADLINE, run(&mut command, &["show", SEED_CODE]))
            .await
            .expect("nothing blocks");
        assert_eq!(
            assert_failure(&output, USAGE),
            format!("{path}: cannot read the config file: {why}.")
        );
    }
    assert_eq!(sim.stats().requests, 0, "refused before anything was sent");
}

/// A password command that hangs (a `pass show` waiting on a pinentry over SSH): after two
/// seconds standard error says what is being waited for, and at the profile's
/// `password_command_timeout` it is stopped with a sentence that quotes what it said.
/// Nothing reaches the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_password_command_is_explained_then_stopped_at_the_profiles_limit() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.p]\nurl = \"{}\"\nusername = \"clerk\"\norganisation = \"DEMO\"\npassword_command = \"echo 'gpg: waiting for pinentry' >&2; sleep 30\"\npassword_command_timeout = 3\n",
        sim.base_url()
    ));
    let output = tokio::time::timeout(
        DEADLINE,
        run(&mut home.command(), &["--profile", "p", "show", SEED_CODE]),
    )
    .await
    .expect("stopped");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(USAGE), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "tokendesk: Waiting for the password command (echo 'gpg: waiting for pinentry' >&2; sleep 30) to print the password; it is stopped after 3 s.",
            "tokendesk: The password command (echo 'gpg: waiting for pinentry' >&2; sleep 30) did not finish within 3 s, so it was stopped; nothing was sent. If it waits for a passphrase that cannot be typed here, unlock it first or set TOKENDESK_PASSWORD; password_command_timeout (or --password-command-timeout) gives it longer. It said: \"gpg: waiting for pinentry\"",
        ],
        "{err}"
    );
    // The option wins over the profile; a command that fails says why in its own words.
    let output = run(
        &mut home.command(),
        &[
            "--profile",
            "p",
            "--password-command",
            "echo 'pass: crm/jdoe is not in the password store.' >&2; exit 1",
            "--password-command-timeout",
            "20",
            "show",
            SEED_CODE,
        ],
    )
    .await;
    assert_eq!(
        assert_failure(&output, USAGE),
        "The password command (echo 'pass: crm/jdoe is not in the password store.' >&2; ex…) failed (exit status: 1); nothing was sent. It said: \"pass: crm/jdoe is not in the password store.\""
    );
    let output = run(
        &mut home.command(),
        &[
            "--profile",
            "p",
            "--password-command-timeout",
            "0",
            "show",
            SEED_CODE,
        ],
    )
    .await;
    assert_eq!(
        assert_failure(&output, USAGE),
        "--password-command-timeout must be a positive number of seconds."
    );
    assert_eq!(sim.stats().requests, 0);
}

// ---- read-only ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_every_write_subcommand_with_status_6() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    let not_effective = "99021863939"; // AT0000000723
    for (action, code) in [
        ("deactivate", SEED_CODE),
        ("activate", not_effective),
        ("delete", not_effective),
    ] {
        for confirm in [&["--yes"][..], &[][..]] {
            let mut command = home.against(&sim);
            command
                .arg("--read-only")
                .args([action, code])
                .args(confirm);
            let sentence = assert_failure(&command.output().await.expect("runs"), READ_ONLY);
            assert!(
                sentence.starts_with("Read-only: nothing was sent"),
                "{sentence}"
            );
        }
    }
    // The same from a profile, and from the environment.
    home.write_config(&format!(
        "[profiles.watch]\nurl = \"{}\"\nusername = \"clerk\"\norganisation = \"DEMO\"\nread_only = true\n",
        sim.base_url()
    ));
    let mut profile = home.command();
    profile.env("TOKENDESK_PASSWORD", "demo");
    let output = run(
        &mut profile,
        &["--profile", "watch", "delete", not_effective, "--yes"],
    )
    .await;
    assert_failure(&output, READ_ONLY);
    let mut variable = home.against(&sim);
    variable.env("TOKENDESK_READ_ONLY", "true");
    assert_failure(
        &run(&mut variable, &["deactivate", SEED_CODE, "--yes"]).await,
        READ_ONLY,
    );
    assert_eq!(sim.stats().actions, 0);
    assert!(
        records(&home.audit_log()).is_empty(),
        "nothing sent, nothing recorded"
    );
    // Reading works.
    let mut read = home.against(&sim);
    read.arg("--read-only");
    assert!(assert_success(&run(&mut read, &["show", SEED_CODE]).await).contains("AT0000000671"));
}

// ---- profiles -----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_connect_and_flags_override_them() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    home.write_config(&format!(
        r#"default_profile = "sim"

[profiles.sim]
url = "{url}"
username = "clerk"
organisation = "DEMO"
password_command = "echo demo"
label = "SIM-EU"

[profiles.broken]
url = "http://127.0.0.1:9/crmapi/rest/v2"
username = "clerk"
organisation = "WRONG"
password_command = "echo wrong"
label = "PROD-EU"
read_only = true
"#,
        url = sim.base_url()
    ));
    let listing = assert_success(&run(&mut home.command(), &["profiles"]).await);
    let lines: Vec<&str> = listing.lines().collect();
    assert!(lines[0].starts_with("Profiles in "), "{listing}");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "LABEL", "URL", "USER", "READ-ONLY"]
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        [
            "broken",
            "PROD-EU",
            "http://127.0.0.1:9/crmapi/rest/v2",
            "clerk",
            "yes"
        ]
    );
    assert_eq!(
        lines[3].split_whitespace().collect::<Vec<_>>(),
        ["sim", "(default)", "SIM-EU", &sim.base_url(), "clerk", "no"]
    );

    // The default profile alone is enough to work, and its label is in the audit log.
    let show = ["show", SEED_CODE, "--json", "--fields", "number"];
    assert!(assert_success(&run(&mut home.command(), &show).await).contains("AT0000000671"));
    assert_success(&run(&mut home.command(), &["deactivate", SEED_CODE, "--yes"]).await);
    let records = records(&home.audit_log());
    assert_eq!(records[0]["profile"], "sim");
    assert_eq!(records[0]["label"], "SIM-EU");

    // A broken profile, mended field by field from the command line and the environment.
    let broken = || {
        let mut command = home.command();
        command.args(["--profile", "broken"]);
        command
    };
    let output = run(&mut broken(), &show).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let mut mended = broken();
    mended
        .args(["--url", &sim.base_url(), "--organisation", "DEMO"])
        .env("TOKENDESK_PASSWORD_COMMAND", "echo demo");
    assert!(assert_success(&run(&mut mended, &show).await).contains("AT0000000671"));
    let mut by_variables = home.command();
    by_variables
        .env("TOKENDESK_PROFILE", "broken")
        .env("TOKENDESK_URL", sim.base_url())
        .env("TOKENDESK_ORGANISATION", "DEMO")
        .env("TOKENDESK_PASSWORD", "demo");
    assert!(assert_success(&run(&mut by_variables, &show).await).contains("AT0000000671"));
    // ...but the command line cannot switch its read-only off.
    let mut still_read_only = broken();
    still_read_only
        .args(["--url", &sim.base_url(), "--organisation", "DEMO"])
        .env("TOKENDESK_PASSWORD", "demo");
    assert_failure(
        &run(&mut still_read_only, &["activate", SEED_CODE, "--yes"]).await,
        READ_ONLY,
    );

    // An unknown profile names the ones there are, and nothing starts.
    let sentence = assert_failure(
        &run(
            &mut home.command(),
            &["--profile", "staging", "show", SEED_CODE],
        )
        .await,
        USAGE,
    );
    assert!(
        sentence.ends_with("there is no profile \"staging\"; the profiles are: broken, sim."),
        "{sentence}"
    );
}

/// Each kind of wrong config file stops tokendesk (console or subcommand) with the file,
/// line and column and what is wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_config_files_are_refused_with_where_and_why() {
    let home = Home::new();
    let cases: &[(&str, &str)] = &[
        (
            "not TOML",
            "[profiles.prod\nurl = \"https://crm.example.com\"\n",
        ),
        (
            "a duplicate key",
            "[profiles.prod]\nurl = \"https://a.example.com\"\nurl = \"https://b.example.com\"\n",
        ),
        (
            "an unknown top-level key",
            "default_profile = \"prod\"\nprofile = \"prod\"\n[profiles.prod]\n",
        ),
        (
            "an unknown profile key",
            "[profiles.prod]\nurl = \"https://crm.example.com\"\nuser = \"jdoe\"\n",
        ),
        ("a wrong type", "[profiles.prod]\nread_only = \"yes\"\n"),
        (
            "a profile that is not a table",
            "[profiles]\nprod = \"https://crm.example.com\"\n",
        ),
        ("mask not a list", "mask = \"tax_number\"\n"),
        ("an empty mask entry", "mask = [\"tax_number\", \"\"]\n"),
        (
            "a password",
            "[profiles.prod]\nurl = \"https://crm.example.com\"\npassword = \"hunter2\"\n",
        ),
        ("a password at the top", "password = \"hunter2\"\n"),
        (
            "[keys]: an unknown command",
            "[keys]\nquit = \"Q\"\ndeactivat = \"D\"\n",
        ),
        (
            "[keys]: an unknown key name",
            "[keys]\ndown = [\"j\", \"Dwn\"]\n",
        ),
        (
            "[keys]: a key bound twice where both are read",
            "[keys]\ndeactivate = \"D\"\nraw = \"D\"\n",
        ),
        (
            "[keys]: a screen key hiding a global one",
            "[keys]\ndeactivate = \"q\"\n",
        ),
        (
            "[keys]: a letter for a key of the search line",
            "[keys]\nsubmit = \"s\"\n",
        ),
        (
            "an unknown colour",
            "[profiles.prod]\nlabel = \"PROD-EU\"\ncolour = \"pink\"\n",
        ),
        ("an empty label", "[profiles.prod]\nlabel = \" \"\n"),
        (
            "a URL that is not one",
            "[profiles.prod]\nurl = \"crm.example.com\"\n",
        ),
        (
            "allow_http in a file",
            "[profiles.prod]\nurl = \"http://crm.example.com\"\nallow_http = true\n",
        ),
        (
            "an unknown default profile",
            "default_profile = \"prd\"\n\n[profiles.prod]\n[profiles.test]\n",
        ),
    ];
    let mut report = String::new();
    for (what, text) in cases {
        let path = home.write_config(text);
        let shown = path.display().to_string();
        let output = run(&mut home.command(), &["show", SEED_CODE]).await;
        let sentence = assert_failure(&output, USAGE);
        assert!(sentence.starts_with(&format!("{shown}:")), "{sentence}");
        assert!(!sentence.contains("hunter2"), "{sentence}");
        // the console does not start either
        let console = run(&mut home.command(), &[]).await;
        assert_eq!(assert_failure(&console, USAGE), sentence);
        report.push_str(&format!(
            "{what}:\n  {}\n",
            sentence.replace(&shown, "[CONFIG]")
        ));
    }
    // A file named with --config must exist; a profile must exist.
    let missing = home.0.join("nowhere.toml");
    let output = run(
        &mut home.command(),
        &["--config", &missing.display().to_string(), "profiles"],
    )
    .await;
    let sentence = assert_failure(&output, USAGE);
    report.push_str(&format!(
        "a missing --config file:\n  {}\n",
        sentence.replace(&missing.display().to_string(), "[MISSING]")
    ));
    let path = home.write_config("[profiles.prod]\n[profiles.test]\n");
    let output = run(
        &mut home.command(),
        &["--profile", "staging", "show", SEED_CODE],
    )
    .await;
    report.push_str(&format!(
        "an unknown --profile:\n  {}\n",
        assert_failure(&output, USAGE).replace(&path.display().to_string(), "[CONFIG]")
    ));
    insta::assert_snapshot!(report);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_config_lists_its_profiles() {
    let home = Home::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/config.example.toml");
    let listing =
        assert_success(&run(&mut home.command(), &["--config", example, "profiles"]).await);
    assert!(listing.contains("test (default)"), "{listing}");
    assert!(listing.contains("PROD-EU"), "{listing}");
}

/// A jump host has no checkout: the example comes from the binary, and a clerk without a
/// config file is told how to get it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_example_prints_a_config_to_start_from_and_no_config_points_at_it() {
    let home = Home::new();
    let none = assert_success(&run(&mut home.command(), &["profiles"]).await);
    assert!(
        none.starts_with("No config file") && none.contains("tokendesk profiles --example"),
        "{none}"
    );
    assert!(!none.contains("assets/"), "{none}");
    let example = assert_success(&run(&mut home.command(), &["profiles", "--example"]).await);
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/config.example.toml"
    ))
    .expect("the example is in the checkout");
    assert_eq!(example, shipped);
    // Saved where tokendesk looks, it is a config file tokendesk reads.
    home.write_config(&example);
    let listing = assert_success(&run(&mut home.command(), &["profiles"]).await);
    assert!(listing.contains("test (default)"), "{listing}");
}

// ---- transport ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_machine_is_refused_unless_asked_for_on_the_command_line() {
    let home = Home::new();
    let remote = [
        "--url",
        "http://crm.invalid/crmapi/rest/v2",
        "--username",
        "clerk",
        "--organisation",
        "DEMO",
    ];
    let mut command = home.command();
    command.env("TOKENDESK_PASSWORD", "demo");
    let sentence = assert_failure(
        &run(&mut command, &[&remote[..], &["show", SEED_CODE]].concat()).await,
        USAGE,
    );
    assert_eq!(
        sentence,
        "Refusing plain http:// to crm.invalid: the password and the session token would cross the network unencrypted. Use https://, or add --allow-http on the command line if this network is trusted."
    );
    // Not from the environment either.
    let mut variable = home.command();
    variable
        .env("TOKENDESK_PASSWORD", "demo")
        .env("TOKENDESK_ALLOW_HTTP", "1");
    assert_failure(
        &run(&mut variable, &[&remote[..], &["show", SEED_CODE]].concat()).await,
        USAGE,
    );
    // With --allow-http it goes on to connect (and .invalid never resolves).
    let mut allowed = home.command();
    allowed.env("TOKENDESK_PASSWORD", "demo");
    let output = run(
        &mut allowed,
        &[&remote[..], &["--allow-http", "show", SEED_CODE]].concat(),
    )
    .await;
    let sentence = assert_failure(&output, 3);
    assert!(
        sentence.starts_with("Cannot reach crm.invalid"),
        "{sentence}"
    );
}

// ---- the label in the command line's prompt -----------------------------------------------

/// On a terminal, the confirmation names the profile's label beside the host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_prompt_names_the_label() {
    let sim = simulator(Duration::ZERO).await;
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.prod]\nurl = \"{}\"\nusername = \"clerk\"\norganisation = \"DEMO\"\nlabel = \"PROD-EU\"\n",
        sim.base_url()
    ));
    let place = format!("on PROD-EU ({})?", sim.addr());
    let home = home.0.clone();
    // The pty harness polls, blocking: off the runtime the simulator answers on.
    let status = tokio::task::spawn_blocking(move || {
        let mut console = pty::Terminal::start(
            200,
            24,
            &home,
            &["--profile", "prod", "deactivate", SEED_CODE],
            &[("TOKENDESK_PASSWORD", "demo")],
        );
        console.wait_for_text("[y/N]");
        let prompt = console.text();
        assert!(prompt.contains(&place), "{prompt}");
        console.send("n\r");
        console.wait_for_exit()
    })
    .await
    .expect("joined");
    assert_eq!(status.exit_code(), NOT_CONFIRMED as u32);
    assert_eq!(sim.stats().actions, 0);
}
