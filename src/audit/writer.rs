//! The audit writer: one thread of its own does every audit line's file I/O (open, lock,
//! write, `fsync`), in the order the lines were handed to it, and answers each over a
//! channel. A slow or blocked file (a full NFS server, a log another process holds locked)
//! then holds up only the lines waiting for it: never the console's keys, signals or
//! drawing, and never a tokio worker the API task needs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::syslog::Syslog;
use crate::safe_file::FileRefusal;

/// One record to append to the file at `path` (and `start` first when the file has no
/// chain yet), and where to say how it went.
struct Job {
    path: PathBuf,
    record: Vec<u8>,
    start: Vec<u8>,
    syslog: Option<Syslog>,
    done: oneshot::Sender<Result<Vec<u8>, FileRefusal>>,
}

/// How the writer answers a line: the bytes written, or why not.
pub type Answer = oneshot::Receiver<Result<Vec<u8>, FileRefusal>>;

/// Hands `record` to the writer thread now, behind every line handed to it before; the
/// answer comes on the receiver once it is on the disk.
pub fn queue(
    path: &Path,
    record: Vec<u8>,
    start: Vec<u8>,
    syslog: Option<Syslog>,
) -> Result<Answer, FileRefusal> {
    let (done, answer) = oneshot::channel();
    let job = Job {
        path: path.to_owned(),
        record,
        start,
        syslog,
        done,
    };
    writer()
        .as_ref()
        .map_err(|e| io::Error::other(format!("the audit writer could not start: {e}")))?
        .send(job)
        .map_err(|_| io::Error::other("the audit writer has stopped"))?;
    Ok(answer)
}

/// The writer thread's queue, started on first use.
fn writer() -> &'static Result<mpsc::Sender<Job>, String> {
    static WRITER: OnceLock<Result<mpsc::Sender<Job>, String>> = OnceLock::new();
    WRITER.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("audit writer".into())
            .spawn(move || {
                for job in queue {
                    let written = super::append_synced(&job.path, &job.record, &job.start);
                    // The file decides: only what is on its disk is copied, after it is.
                    if let (Some(syslog), Ok(bytes)) = (&job.syslog, &written) {
                        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                            syslog.copy(line);
                        }
                    }
                    // Nobody waiting any more (the console closed) is no reason to stop.
                    let _ = job.done.send(written);
                }
            })
            .map(|_| jobs)
            .map_err(|e| e.to_string())
    })
}
