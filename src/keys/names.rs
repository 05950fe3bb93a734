//! Key names as the config file's `[keys]` table and the help write them (`D`, `Down`,
//! `Ctrl-n`, `PgDn`).

use super::{Key, KeyCode};

/// Keys with names rather than a character, as the help writes them, with other spellings.
const NAMED: [(&str, KeyCode); 21] = [
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("backspace", KeyCode::Backspace),
    ("del", KeyCode::Delete),
    ("delete", KeyCode::Delete),
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
];

/// The key `text` names: one printable character (`D`, `?`), a named key (`Down`, `PgDn`,
/// `Space`, case does not matter), either after `Ctrl-` and or `Alt-` (`Ctrl-n`).
pub fn key(text: &str) -> Option<Key> {
    let mut rest = text.trim();
    let (mut ctrl, mut alt) = (false, false);
    loop {
        let lower = rest.to_ascii_lowercase();
        if lower.starts_with("ctrl-") && rest.len() > 5 {
            ctrl = true;
            rest = &rest[5..];
        } else if lower.starts_with("alt-") && rest.len() > 4 {
            alt = true;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        // Ctrl with a letter arrives as the small letter, whatever Shift says.
        (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        (Some(c), None) if !c.is_control() => KeyCode::Char(c),
        _ => {
            let lower = rest.to_ascii_lowercase();
            NAMED.iter().find(|(n, _)| *n == lower)?.1
        }
    };
    Some(Key { code, ctrl, alt })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_as_the_help_writes_them() {
        assert_eq!(key("D"), Some(Key::char('D')));
        assert_eq!(key("Ctrl-n"), Some(Key::ctrl('n')));
        assert_eq!(key("ctrl-N"), Some(Key::ctrl('n')));
        assert_eq!(key("Down"), Some(Key::plain(KeyCode::Down)));
        assert_eq!(key("PgDn"), Some(Key::plain(KeyCode::PageDown)));
        assert_eq!(key("Space"), Some(Key::char(' ')));
        assert_eq!(
            key("Alt-b"),
            Some(Key {
                code: KeyCode::Char('b'),
                ctrl: false,
                alt: true
            })
        );
        assert_eq!(key("Dwn"), None);
        assert_eq!(key(""), None);
        assert_eq!(key("Ctrl-"), None);
    }

    #[test]
    fn every_key_the_help_shows_reads_back() {
        for binding in super::super::KeyMap::default().bindings() {
            for k in &binding.keys {
                assert_eq!(key(&k.to_string()), Some(*k), "{k}");
            }
        }
    }
}
