//! An owner's whole list of tokens, page after page of `access_tokens/list`
//! (`number_of_results` and `offset`), for the command line's `list` and its batches. The
//! pages come one at a time, so that a caller holds one page, never the whole list: a
//! server that keeps sending full pages of new tokens is stopped at a ceiling instead.

use super::client::Client;
use super::error::ApiError;
use super::json::Document;
use super::wire::{FieldsSet, ListOwner, ListQuery};

/// Tokens a page: large enough that a 10,000-token account is 50 requests, well under the
/// 1,000 a CRM.COM page may hold, so an answer stays a few hundred kilobytes.
pub const WHOLE_LIST_PAGE: u32 = 200;

/// The most tokens a whole list is paged through unless the profile's `list_ceiling` says
/// otherwise: a server that keeps sending full pages of new tokens must not take the host
/// down with it.
pub const DEFAULT_LIST_CEILING: u64 = 100_000;

/// Paging through an owner's list: [`ListPages::next`] fetches one page at a time, and
/// stops after `most` tokens, having asked for one more to know whether the list goes on.
pub struct ListPages<'a> {
    client: &'a Client,
    query: ListQuery,
    fields: Option<&'a FieldsSet>,
    most: u64,
    fetched: u64,
    pages: u32,
    /// The first token of the page before: a server that ignores `offset` (before R13)
    /// sends the same page again and again.
    previous_first: Option<Document>,
    ended: bool,
    /// The list holds more than `most` tokens; those after it were not fetched.
    cut: bool,
}

impl Client {
    /// The pages of `owner`'s tokens from `offset` on, at most `most` tokens in all.
    pub fn pages<'a>(
        &'a self,
        owner: &ListOwner,
        offset: u32,
        most: u64,
        fields: Option<&'a FieldsSet>,
    ) -> ListPages<'a> {
        ListPages {
            client: self,
            query: ListQuery {
                owner: owner.clone(),
                number_of_results: WHOLE_LIST_PAGE,
                offset,
            },
            fields,
            most,
            fetched: 0,
            pages: 0,
            previous_first: None,
            ended: false,
            cut: false,
        }
    }
}

impl ListPages<'_> {
    /// The next page's tokens; `Ok(None)` once the list has ended (a page came back short)
    /// or `most` tokens were fetched. A page that fails, or repeats the one before it,
    /// ends the list with its error.
    pub async fn next(&mut self) -> Result<Option<Vec<Document>>, ApiError> {
        if self.ended {
            return Ok(None);
        }
        let room = self.most - self.fetched;
        // One more than there is room for: whether the list goes on past `most` is known
        // without a request of its own.
        let asked = u64::from(WHOLE_LIST_PAGE).min(room.saturating_add(1));
        self.query.number_of_results = u32::try_from(asked).unwrap_or(WHOLE_LIST_PAGE);
        let mut page = match self.client.list(&self.query, self.fields).await {
            Ok(page) => page,
            Err(error) => {
                self.ended = true;
                return Err(error);
            }
        };
        self.pages += 1;
        if !page.is_empty() && page.first() == self.previous_first.as_ref() {
            self.ended = true;
            return Err(ApiError::UnexpectedData(format!(
                "the page from offset {} repeats the one before it (offset needs CRM.COM R13 or later)",
                self.query.offset
            )));
        }
        // The next page starts after what this one held: a server that sends more than
        // it was asked for is not asked for the same tokens again.
        let sent = page.len();
        if sent as u64 > room {
            page.truncate(usize::try_from(room).unwrap_or(usize::MAX));
            self.cut = true;
            self.ended = true;
        } else if (sent as u64) < asked {
            self.ended = true;
        }
        self.fetched += page.len() as u64;
        self.previous_first = page.first().cloned();
        self.query.offset = self
            .query
            .offset
            .saturating_add(u32::try_from(sent).unwrap_or(u32::MAX));
        Ok(Some(page))
    }

    /// Tokens fetched so far.
    pub fn fetched(&self) -> u64 {
        self.fetched
    }

    /// Requests answered so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// The list holds more than the `most` tokens it was allowed: the rest was not fetched.
    pub fn cut(&self) -> bool {
        self.cut
    }
}
