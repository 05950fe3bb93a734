//! The one rule for the files tokendesk keeps for the clerk (the audit log, the batches'
//! journals, the diagnostic log, and any state file to come) and for the local files it
//! reads (the config file, a private CA).
//!
//! A file it writes is opened without following a symbolic link (`O_NOFOLLOW`) and must be
//! a regular file owned by the user running tokendesk; its directory must not be writable
//! by anyone else unless it is sticky (as `/tmp` is: there only a file's owner may replace
//! it, and the file is ours). Otherwise a shared audit directory is how a log is poisoned
//! or another file clobbered: a link named like the log makes the audit lines land in the
//! file it points to, and a FIFO or a device takes them nowhere, or blocks.
//!
//! A file it reads must be a regular file no larger than a limit: `/dev/zero` would grow
//! memory without end, and a FIFO would block. Links are followed there: a config file or
//! a CA bundle often is one, and reading through a link writes nothing anywhere.
//!
//! Nothing is opened before its kind is known (opening a FIFO for writing blocks, and
//! opening a device can act on it), and what was opened is checked again, so a file
//! swapped in between is refused too.

use std::fmt;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::text::sanitize;

/// Why a file was refused or could not be used. Its `Display` is a phrase that ends a
/// sentence naming the file: "Cannot write to the audit log L (it is a symbolic link ...)".
#[derive(Debug)]
pub enum FileRefusal {
    /// The file is a symbolic link.
    Link,
    /// A FIFO, a device, a directory or a socket: `kind` says which.
    NotRegular { kind: &'static str },
    /// A regular file of another user.
    NotOwned { owner: u32 },
    /// The directory lets other users replace the file.
    OpenDirectory { dir: PathBuf },
    /// More bytes than `limit`.
    TooLarge { limit: u64 },
    /// The operating system's own error (no permission, disk full, ...).
    Io(io::Error),
}

impl From<io::Error> for FileRefusal {
    fn from(error: io::Error) -> FileRefusal {
        FileRefusal::Io(error)
    }
}

impl fmt::Display for FileRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileRefusal::Link => {
                write!(f, "it is a symbolic link, which tokendesk does not follow")
            }
            FileRefusal::NotRegular { kind } => write!(f, "it is {kind}, not a regular file"),
            FileRefusal::NotOwned { owner } => {
                write!(f, "it belongs to another user (uid {owner}), not to you")
            }
            FileRefusal::OpenDirectory { dir } => write!(
                f,
                "its directory {} is writable by other users and not sticky, so they could replace it",
                sanitize(&dir.display().to_string())
            ),
            FileRefusal::TooLarge { limit } => {
                write!(f, "it is larger than {}", size(*limit))
            }
            FileRefusal::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for FileRefusal {}

/// "1 MB", "4 KB", "100 bytes".
fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = KB * KB;
    match bytes {
        0 => "0 bytes".to_owned(),
        b if b % MB == 0 => format!("{} MB", b / MB),
        b if b % KB == 0 => format!("{} KB", b / KB),
        b => format!("{b} bytes"),
    }
}

/// The directory `path` is to be written in, created `0700` when missing, and refused unless
/// only its owner may change it (or it is sticky).
fn safe_directory_of(path: &Path) -> Result<&Path, FileRefusal> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    check_directory(dir)?;
    Ok(dir)
}

/// Opens `path` to append to it (and to read it, for a journal that reads what earlier
/// runs wrote), creating it `0600`, and its directory `0700`, when missing. Refused unless
/// it is a regular file of this user, reached without a link, in a directory only its
/// owner may change (or a sticky one).
pub fn open_append(path: &Path) -> Result<File, FileRefusal> {
    safe_directory_of(path)?;
    // Known before it is opened: opening a FIFO to write blocks, opening a device acts on it.
    // A file that cannot be looked at (it is not there yet) is left to the open.
    if let Ok(found) = std::fs::symlink_metadata(path) {
        check_own_regular(&found)?;
    }
    let file = open_no_link(path)?;
    // What was opened may not be what was looked at.
    check_own_regular(&file.metadata()?)?;
    Ok(file)
}

/// Replaces `path` with `bytes` whole, so that a reader (another console) sees either the
/// old file or the new one, never half of each: the bytes go to a new `0600` file beside it,
/// made without following a link, flushed to disk, then renamed over it. The same rule as
/// [`open_append`]: the directory is created `0700` and must be safe, and what is replaced
/// must be a regular file of this user (a rename would replace a link itself, but a link
/// there means someone meant something else by it).
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), FileRefusal> {
    use std::io::Write;
    let dir = safe_directory_of(path)?;
    if let Ok(found) = std::fs::symlink_metadata(path) {
        check_own_regular(&found)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.new", std::process::id()));
    let mut options = OpenOptions::new();
    // `create_new`: never a file (or link) that is already there.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = renamed {
        let _ = std::fs::remove_file(&temporary);
        return Err(FileRefusal::Io(error));
    }
    Ok(())
}

/// Reads `path` whole if it is a regular file of this user of at most `limit` bytes, reached
/// without a link: a file tokendesk wrote for itself ([`replace`]). `Ok(None)` when there is
/// none.
pub fn read_own(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, FileRefusal> {
    match std::fs::symlink_metadata(path) {
        Ok(found) => check_own_regular(&found)?,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(FileRefusal::Io(error)),
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => FileRefusal::Link,
        _ => FileRefusal::Io(e),
    })?;
    // What was opened may not be what was looked at.
    check_own_regular(&file.metadata()?)?;
    read_at_most(file, limit).map(Some)
}

/// Opens `path` to read and append, creating it `0600`, never through a link, and without
/// blocking (a FIFO opened to read and write never waits; `O_NONBLOCK` keeps a device from
/// waiting): the last guard when something was swapped in after the look.
fn open_no_link(path: &Path) -> Result<File, FileRefusal> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path).map_err(|e| match e.raw_os_error() {
        // O_NOFOLLOW's answer for a link.
        #[cfg(unix)]
        Some(libc::ELOOP) => FileRefusal::Link,
        _ => FileRefusal::Io(e),
    })
}

/// Reads `path` whole, if it is a regular file of at most `limit` bytes (a link to one is
/// followed).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, FileRefusal> {
    read_at_most(open_regular(path)?, limit)
}

/// All of an open file, refused when it is over `limit` bytes: by its size, before
/// reading, and again by what was read, since a file growing while it is read must stop
/// at the limit all the same.
fn read_at_most(file: File, limit: u64) -> Result<Vec<u8>, FileRefusal> {
    let length = file.metadata()?.len();
    if length > limit {
        return Err(FileRefusal::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileRefusal::TooLarge { limit });
    }
    Ok(bytes)
}

/// Opens `path` to read it, if it is a regular file (a link to one is followed). A FIFO is
/// opened without waiting for a writer, and refused.
pub fn open_regular(path: &Path) -> Result<File, FileRefusal> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let found = file.metadata()?;
    if !found.is_file() {
        return Err(FileRefusal::NotRegular { kind: kind(&found) });
    }
    Ok(file)
}

/// A regular file of the user running tokendesk.
fn check_own_regular(found: &std::fs::Metadata) -> Result<(), FileRefusal> {
    if found.file_type().is_symlink() {
        return Err(FileRefusal::Link);
    }
    if !found.is_file() {
        return Err(FileRefusal::NotRegular { kind: kind(found) });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if found.uid() != me {
            return Err(FileRefusal::NotOwned { owner: found.uid() });
        }
    }
    Ok(())
}

/// Nobody but its owner may add or remove files in `dir`, unless it is sticky.
fn check_directory(dir: &Path) -> Result<(), FileRefusal> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        let others_write = mode & 0o022 != 0;
        let sticky = mode & 0o1000 != 0;
        if others_write && !sticky {
            return Err(FileRefusal::OpenDirectory {
                dir: dir.to_path_buf(),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// What a file that is not a regular file is, as a clerk reads it.
fn kind(found: &std::fs::Metadata) -> &'static str {
    let kind = found.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "neither a file nor a directory"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o7777
    }

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    fn fifo(path: &Path) {
        let name = std::ffi::CString::new(path.display().to_string()).expect("a path");
        // SAFETY: mkfifo reads the NUL-terminated path only.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "a FIFO");
    }

    #[test]
    fn a_new_file_is_private_in_a_private_directory_and_appended_to() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state").join("audit.jsonl");
        open_append(&path)
            .expect("created")
            .write_all(b"one\n")
            .expect("written");
        open_append(&path)
            .expect("opened again")
            .write_all(b"two\n")
            .expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\ntwo\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().expect("dir")), 0o700);
        let mut text = String::new();
        open_append(&path)
            .expect("opened")
            .read_to_string(&mut text)
            .expect("readable from the start");
        assert_eq!(text, "one\ntwo\n");
    }

    #[test]
    fn a_link_a_fifo_a_device_or_a_directory_is_refused_unopened() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "kept\n").expect("written");
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).expect("a link");
        assert!(matches!(open_append(&link), Err(FileRefusal::Link)));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "kept\n");
        // A link to nowhere would be created through: refused as well.
        let dangling = dir.path().join("dangling.jsonl");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).expect("a link");
        assert!(matches!(open_append(&dangling), Err(FileRefusal::Link)));
        assert!(!dir.path().join("nowhere").exists());
        let pipe = dir.path().join("fifo.jsonl");
        fifo(&pipe);
        let refused = open_append(&pipe).expect_err("a FIFO");
        assert_eq!(
            refused.to_string(),
            "it is a FIFO (named pipe), not a regular file"
        );
        let device = open_append(Path::new("/dev/null")).expect_err("a device");
        assert_eq!(
            device.to_string(),
            "it is a character device, not a regular file"
        );
        let directory = open_append(dir.path()).expect_err("a directory");
        assert_eq!(
            directory.to_string(),
            "it is a directory, not a regular file"
        );
    }

    #[test]
    fn a_file_of_another_user_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        // SAFETY: geteuid cannot fail.
        let path = if unsafe { libc::geteuid() } == 0 {
            let path = dir.path().join("theirs.jsonl");
            std::fs::write(&path, "").expect("written");
            std::os::unix::fs::chown(&path, Some(65534), None).expect("root gives it away");
            path
        } else {
            PathBuf::from("/etc/passwd")
        };
        let refused = open_append(&path).expect_err("not ours");
        assert!(
            matches!(refused, FileRefusal::NotOwned { .. }),
            "{refused:?}"
        );
        assert!(
            refused
                .to_string()
                .starts_with("it belongs to another user (uid "),
            "{refused}"
        );
    }

    #[test]
    fn a_directory_others_may_write_to_is_refused_unless_sticky() {
        let dir = tempfile::tempdir().expect("temp dir");
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).expect("made");
        let path = shared.join("audit.jsonl");
        for open in [0o777, 0o770, 0o757, 0o720, 0o702] {
            chmod(&shared, open);
            let refused = open_append(&path).expect_err("others may write");
            assert!(
                matches!(&refused, FileRefusal::OpenDirectory { dir } if *dir == shared),
                "{open:o}: {refused:?}"
            );
            assert!(!path.exists(), "{open:o}: nothing created");
        }
        for closed in [0o700, 0o755, 0o1777, 0o1770, 0o1702] {
            chmod(&shared, closed);
            assert!(open_append(&path).is_ok(), "{closed:o}");
        }
        chmod(&shared, 0o777);
        assert!(
            open_append(&path)
                .expect_err("open")
                .to_string()
                .ends_with("is writable by other users and not sticky, so they could replace it")
        );
    }

    #[test]
    fn a_file_read_must_be_regular_and_small_and_a_link_to_one_is_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, b"12345678").expect("written");
        assert_eq!(read_bounded(&path, 8).expect("at the limit"), b"12345678");
        let large = read_bounded(&path, 7).expect_err("over the limit");
        assert_eq!(large.to_string(), "it is larger than 7 bytes");
        let link = dir.path().join("link.pem");
        std::os::unix::fs::symlink(&path, &link).expect("a link");
        assert_eq!(read_bounded(&link, 8).expect("followed"), b"12345678");
        let zero = read_bounded(Path::new("/dev/zero"), 1024).expect_err("a device");
        assert_eq!(
            zero.to_string(),
            "it is a character device, not a regular file"
        );
        let pipe = dir.path().join("fifo.pem");
        fifo(&pipe);
        assert!(matches!(
            read_bounded(&pipe, 1024),
            Err(FileRefusal::NotRegular { .. })
        ));
        assert!(matches!(
            open_regular(dir.path()),
            Err(FileRefusal::NotRegular {
                kind: "a directory"
            })
        ));
        let missing = read_bounded(&dir.path().join("none"), 8).expect_err("missing");
        assert!(matches!(&missing, FileRefusal::Io(e) if e.kind() == io::ErrorKind::NotFound));
    }

    #[test]
    fn sizes_read_as_a_person_says_them() {
        assert_eq!(size(4 * 1024 * 1024), "4 MB");
        assert_eq!(size(1024 * 1024), "1 MB");
        assert_eq!(size(2048), "2 KB");
        assert_eq!(size(1024 * 1024 + 1024), "1025 KB");
        assert_eq!(size(1024 * 1024 + 2048), "1026 KB");
        assert_eq!(size(1000), "1000 bytes");
        assert_eq!(size(1025), "1025 bytes");
        assert_eq!(size(0), "0 bytes");
    }

    #[test]
    fn the_open_itself_follows_no_link_and_waits_for_no_reader() {
        // Were a link or a FIFO swapped in after the look, the open alone refuses it.
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "kept\n").expect("written");
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).expect("a link");
        assert!(matches!(open_no_link(&link), Err(FileRefusal::Link)));
        let pipe = dir.path().join("fifo.jsonl");
        fifo(&pipe);
        // Read and write: a FIFO opens at once, with no reader to wait for, and the look at
        // what was opened refuses it.
        let opened = open_no_link(&pipe).expect("opened without waiting");
        assert!(matches!(
            check_own_regular(&opened.metadata().expect("fstat")),
            Err(FileRefusal::NotRegular { .. })
        ));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "kept\n");
    }
}
