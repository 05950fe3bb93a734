//! The one adapter from keys to changes of a one-line input, shared by the search line and
//! the typed confirmation: the editing keys come from the key map's `Edit` context, and a
//! printable character without Ctrl or Alt is typed.

use tui_input::{Input, InputRequest};

use crate::keys::{Command, Context, Edit, Key, KeyCode, KeyMap};

/// What `key` does to a one-line input, if anything.
pub fn input_request(keys: &KeyMap, key: Key) -> Option<InputRequest> {
    use InputRequest as R;
    if let Some(Command::Edit(edit)) = keys.command(&[Context::Edit], key) {
        return Some(match edit {
            Edit::Start => R::GoToStart,
            Edit::End => R::GoToEnd,
            Edit::ClearLine => R::DeleteLine,
            Edit::DeleteWord => R::DeletePrevWord,
            Edit::DeleteToEnd => R::DeleteTillEnd,
            Edit::WordLeft => R::GoToPrevWord,
            Edit::WordRight => R::GoToNextWord,
            Edit::DeleteBack => R::DeletePrevChar,
            Edit::DeleteForward => R::DeleteNextChar,
            Edit::Left => R::GoToPrevChar,
            Edit::Right => R::GoToNextChar,
        });
    }
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => Some(R::InsertChar(c)),
        _ => None,
    }
}

/// Inserts `text` at the cursor in one step. tui-input inserts one character at a time,
/// each rebuilding the line, so a long paste fed to it costs the square of its length.
pub fn insert_text(input: &mut Input, text: &str) {
    let cursor = input.cursor();
    let value = input.value();
    let at = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(at, _)| at);
    let mut line = String::with_capacity(value.len() + text.len());
    line.push_str(&value[..at]);
    line.push_str(text);
    line.push_str(&value[at..]);
    *input = Input::new(line).with_cursor(cursor + text.chars().count());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_inserted_at_the_cursor_counted_in_characters() {
        let mut input = Input::new("añb".into()).with_cursor(2);
        insert_text(&mut input, "éé");
        assert_eq!(input.value(), "añééb");
        assert_eq!(input.cursor(), 4);
        let mut empty = Input::default();
        insert_text(&mut empty, "x");
        assert_eq!((empty.value(), empty.cursor()), ("x", 1));
    }

    #[test]
    fn editing_keys_come_from_the_table_and_characters_are_typed() {
        let mut keys = KeyMap::default();
        assert_eq!(
            input_request(&keys, Key::ctrl('u')),
            Some(InputRequest::DeleteLine)
        );
        assert_eq!(
            input_request(&keys, Key::char('x')),
            Some(InputRequest::InsertChar('x'))
        );
        assert_eq!(input_request(&keys, Key::ctrl('x')), None);
        keys.rebind(
            Context::Edit,
            Command::Edit(Edit::ClearLine),
            vec![Key::ctrl('l')],
        )
        .expect("clear line is bound");
        assert_eq!(
            input_request(&keys, Key::ctrl('l')),
            Some(InputRequest::DeleteLine)
        );
        assert_eq!(input_request(&keys, Key::ctrl('u')), None);
    }
}
