use std::time::{Duration, SystemTime};

use super::*;

fn sighting(n: usize) -> RecentToken {
    Sighting {
        number: format!("AT{n:010}"),
        code: format!("code{n}"),
        state: "EFFECTIVE".into(),
    }
    .at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000 + n as u64))
}

#[test]
fn fifty_are_kept_newest_first_and_reopening_moves_a_token_to_the_top() {
    let mut list = Vec::new();
    for n in 0..60 {
        record(&mut list, sighting(n));
    }
    assert_eq!(list.len(), KEPT);
    assert_eq!(list[0].code, "code59");
    assert_eq!(list[KEPT - 1].code, "code10", "the oldest went");
    let mut again = sighting(30);
    again.state = "NOT_EFFECTIVE".into();
    record(&mut list, again);
    assert_eq!(list.len(), KEPT, "no duplicate");
    assert_eq!(list[0].code, "code30");
    assert_eq!(list[0].state, "NOT_EFFECTIVE", "the state when last seen");
    assert_eq!(list.iter().filter(|t| t.code == "code30").count(), 1);
}

#[test]
fn the_time_is_utc_and_reads_as_a_date_and_minute() {
    let token = sighting(0);
    assert_eq!(token.seen, "2026-05-28T20:26:40Z");
    assert_eq!(token.when(), "2026-05-28 20:26 UTC");
    let odd = RecentToken {
        seen: "yesterday".into(),
        ..token
    };
    assert_eq!(odd.when(), "yesterday");
}

#[test]
fn a_file_is_written_private_read_back_and_another_consoles_entries_stay() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("state").join(FILE_NAME);
    assert_eq!(load(&path).expect("no file is an empty list"), Vec::new());
    remember(&path, sighting(1)).expect("written");
    // Another console wrote in between: its entry is read, not overwritten.
    let list = remember(&path, sighting(2)).expect("written");
    assert_eq!(
        list.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
        ["code2", "code1"]
    );
    assert_eq!(load(&path).expect("read"), list);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("there").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().expect("a directory")), 0o700);
    }
    let left: Vec<_> = std::fs::read_dir(path.parent().expect("a directory"))
        .expect("listed")
        .collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");
}

#[test]
fn a_bad_or_hostile_file_is_read_leniently() {
    assert!(parse(b"").is_empty());
    assert!(parse(b"not json").is_empty());
    assert!(parse(b"{\"tokens\": 7}").is_empty());
    assert!(parse(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[").is_empty());
    let hostile = br#"{"tokens":[
        {"number":"AT1\u001b[2J","code":"c1\u009b31m","state":"EFFECTIVE","seen":"x"},
        {"number":"AT2","state":"EFFECTIVE"},
        {"number":"AT3","code":12,"state":"EFFECTIVE"},
        "a string",
        {"number":"AT4","code":"c1","state":"OLD"},
        {"number":"AT5","code":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","state":null}
    ]}"#;
    let list = parse(hostile);
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(!list[0].number.contains('\u{1b}') && !list[0].code.contains('\u{9b}'));
    assert_eq!(list[0].number, "AT1", "the escape sequence is gone whole");
    assert_eq!(list[1].code.chars().count(), 64, "cut");
    assert_eq!(list[1].state, "");
    let many: Vec<String> = (0..80).map(|n| format!("{{\"code\":\"c{n}\"}}")).collect();
    assert_eq!(
        parse(format!("[{}]", many.join(",")).as_bytes()).len(),
        KEPT
    );
}

#[test]
fn a_huge_file_is_not_read_and_is_started_again_when_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, vec![b' '; MOST_BYTES as usize + 1]).expect("written");
    assert!(matches!(load(&path), Err(FileRefusal::TooLarge { .. })));
    let list = remember(&path, sighting(1)).expect("started again");
    assert_eq!(list.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_link_is_neither_read_nor_written_through() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let target = dir.path().join("elsewhere");
    std::fs::write(&target, encode(&[sighting(1)])).expect("written");
    let path = dir.path().join(FILE_NAME);
    std::os::unix::fs::symlink(&target, &path).expect("a link");
    assert!(matches!(load(&path), Err(FileRefusal::Link)));
    assert!(matches!(
        remember(&path, sighting(2)),
        Err(FileRefusal::Link)
    ));
    assert_eq!(
        std::fs::read(&target).expect("read"),
        encode(&[sighting(1)]),
        "the file the link names is untouched"
    );
}
