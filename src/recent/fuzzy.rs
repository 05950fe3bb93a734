//! Filtering the recent tokens as the clerk types, fuzzily, with nucleo's matcher (the one
//! of Helix and atuin): `0671` finds `AT0000000671`, `eff 99` an EFFECTIVE token whose code
//! holds 9, 9.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::RecentToken;

/// The positions in `list` of the tokens `typed` matches, the best match first and, among
/// equals, the newest first. Everything, newest first, when nothing is typed.
pub fn matching(list: &[RecentToken], typed: &str) -> Vec<usize> {
    let pattern = Pattern::parse(typed, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let haystacks: Vec<(usize, String)> = list
        .iter()
        .enumerate()
        .map(|(at, token)| (at, token.haystack()))
        .collect();
    pattern
        .match_list(haystacks.iter().map(Haystack), &mut matcher)
        .into_iter()
        .map(|(Haystack((at, _)), _)| *at)
        .collect()
}

/// A token's text, keeping where it came from.
struct Haystack<'a>(&'a (usize, String));

impl AsRef<str> for Haystack<'_> {
    fn as_ref(&self) -> &str {
        &self.0.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(number: &str, code: &str, state: &str) -> RecentToken {
        RecentToken {
            number: number.into(),
            code: code.into(),
            state: state.into(),
            seen: String::new(),
            server: None,
        }
    }

    #[test]
    fn typing_narrows_fuzzily_and_nothing_typed_keeps_the_order() {
        let list = [
            token("AT0000000671", "99021047380", "EFFECTIVE"),
            token("AT0000000672", "testpassnew1", "NOT_EFFECTIVE"),
            token("AT0000000680", "55500011", "EFFECTIVE"),
        ];
        assert_eq!(matching(&list, ""), vec![0, 1, 2]);
        assert_eq!(matching(&list, "672")[0], 1, "the closest match first");
        assert_eq!(matching(&list, "555"), vec![2]);
        assert_eq!(
            matching(&list, "tstpss"),
            vec![1],
            "letters in order, gaps allowed"
        );
        assert_eq!(matching(&list, "TESTPASS"), vec![1], "any case");
        assert!(matching(&list, "zzz").is_empty());
        assert_eq!(matching(&list, "not eff"), vec![1], "words all match");
    }
}
