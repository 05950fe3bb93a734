//! Secrets kept out of what other users of a jump host can read: no option takes a session
//! token (it would show in `ps`); `TOKENDESK_SESSION_TOKEN` and `TOKENDESK_PASSWORD` are
//! wiped from the running process's environment once read; the process makes no core file
//! and is not dumpable (its `/proc/PID` belongs to root, its core size limit is 0).

use crate::support::audit_log;
#[allow(dead_code)]
use crate::support::pty;
use crate::support::start;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

use tokendesk::simulator::{Simulator, SimulatorConfig};

/// The demo's AT0000000671.
const CODE: &str = "99021047380";

fn tokendesk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokendesk"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_STATE_HOME", std::env::temp_dir())
        .env("XDG_CONFIG_HOME", std::env::temp_dir())
        .current_dir(std::env::temp_dir());
    command
}

async fn simulator() -> Simulator {
    start::simulator(SimulatorConfig::default()).await
}

#[test]
fn the_process_makes_no_core_and_is_not_dumpable() {
    let mut command = tokendesk();
    command
        .args(["simulate", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped());
    // /proc/PID/environ of a dumpable process belongs to its user, of a non-dumpable one to
    // root: run as another user than root, to tell the two apart.
    // SAFETY: `geteuid` only reads this process's effective user.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        use std::os::unix::process::CommandExt;
        command.uid(65534).gid(65534);
    }
    let mut child = command.spawn().expect("tokendesk starts");
    let mut ready = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut ready)
        .expect("the ready line");
    assert!(ready.contains("simulator at"), "{ready}");
    let proc = format!("/proc/{}", child.id());
    let status = std::fs::read_to_string(format!("{proc}/status")).expect("status");
    let limits = std::fs::read_to_string(format!("{proc}/limits")).expect("limits");
    let owner = std::fs::metadata(format!("{proc}/environ"))
        .expect("/proc/PID/environ")
        .uid();
    let _ = child.kill();
    let _ = child.wait();
    if root {
        assert!(
            status.lines().any(|l| l.starts_with("Uid:\t65534")),
            "{status}"
        );
    }
    assert_eq!(owner, 0, "not dumpable: /proc/PID/environ belongs to root");
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("the core limit");
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>()[4..6],
        ["0", "0"],
        "{core}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_token_from_the_environment_is_gone_from_the_running_consoles_environment() {
    let sim = simulator().await;
    let session = audit_log::session_token(&sim).await;
    let home = tempfile::tempdir().expect("temp dir");
    let url = sim.base_url();
    let mut console = pty::Terminal::start(
        80,
        24,
        home.path(),
        &["--url", &url],
        &[
            ("TOKENDESK_SESSION_TOKEN", &session),
            ("TOKENDESK_PASSWORD", "hunter2-of-the-clerk"),
            ("TOKENDESK_USERNAME", "clerk"),
            ("TOKENDESK_ORGANISATION", "DEMO"),
        ],
    );
    console.wait_for_text("Find an access token");
    console.send(&format!("{CODE}\r"));
    console.wait_for_text("Authentication code 99021047380");
    let proc = format!("/proc/{}", console.pid());
    let cmdline = std::fs::read(format!("{proc}/cmdline")).expect("cmdline");
    // Root may read a non-dumpable process's environment; anyone else is refused.
    let environ = std::fs::read(format!("{proc}/environ")).unwrap_or_default();
    console.send("q");
    assert!(console.wait_for_exit().success());
    for (what, bytes) in [("cmdline", &cmdline), ("environ", &environ)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(&session), "the session token in {what}");
        assert!(!text.contains("hunter2"), "the password in {what}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_token_comes_from_a_file_or_standard_input_never_an_option() {
    let sim = simulator().await;
    let session = audit_log::session_token(&sim).await;
    let url = sim.base_url();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("session");
    std::fs::write(&file, format!("{session}\n")).expect("written");
    let from_file = tokendesk()
        .args(["--url", &url, "--session-token-file"])
        .arg(&file)
        .args(["show", CODE])
        .output()
        .expect("tokendesk runs");
    assert!(
        from_file.status.success(),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    let mut piped = tokendesk()
        .args(["--url", &url, "--session-token-file", "-", "show", CODE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tokendesk starts");
    piped
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{session}\n").as_bytes())
        .expect("written");
    let piped = piped.wait_with_output().expect("tokendesk ends");
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert!(String::from_utf8_lossy(&piped.stdout).contains("AT0000000671"));
    // The option that put the token in `ps` is gone.
    let refused = tokendesk()
        .args(["--url", &url, "--session-token", &session, "show", CODE])
        .output()
        .expect("tokendesk runs");
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(sim.stats().logins, 1, "only the test's own log-in");
}
