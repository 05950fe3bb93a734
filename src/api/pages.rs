//! An owner's whole list of tokens, page after page of `access_tokens/list`
//! (`number_of_results` and `offset`), for the command line's `list` and its batches.

use super::client::Client;
use super::error::ApiError;
use super::json::Document;
use super::wire::{FieldsSet, ListOwner, ListQuery};

/// Tokens a page: large enough that a 10,000-token account is 50 requests, well under the
/// 1,000 a CRM.COM page may hold, so an answer stays a few megabytes.
pub const WHOLE_LIST_PAGE: u32 = 200;

/// The most tokens a whole list is paged through unless the profile's `list_ceiling` says
/// otherwise: a server that keeps sending full pages of new tokens must not take the host
/// down with it.
pub const DEFAULT_LIST_CEILING: u64 = 100_000;

/// What paging through a list fetched, and the failure that stopped it early, if any.
#[derive(Debug)]
pub struct WholeList {
    pub tokens: Vec<Document>,
    pub pages: u32,
    /// The page that failed: the tokens before it are in `tokens`.
    pub failure: Option<ApiError>,
}

impl Client {
    /// Every token of `owner` from `offset` on: pages of `WHOLE_LIST_PAGE` until one comes
    /// back short. A server that ignores `offset` (before R13) would send the first page
    /// forever; a page identical to the one before stops the paging with a failure.
    pub async fn list_all(
        &self,
        owner: &ListOwner,
        offset: u32,
        fields: Option<&FieldsSet>,
    ) -> WholeList {
        let mut query = ListQuery {
            owner: owner.clone(),
            number_of_results: WHOLE_LIST_PAGE,
            offset,
        };
        let mut whole = WholeList {
            tokens: Vec::new(),
            pages: 0,
            failure: None,
        };
        let mut previous_first: Option<Document> = None;
        loop {
            let page = match self.list(&query, fields).await {
                Ok(page) => page,
                Err(error) => {
                    whole.failure = Some(error);
                    return whole;
                }
            };
            whole.pages += 1;
            if !page.is_empty() && page.first() == previous_first.as_ref() {
                whole.failure = Some(ApiError::UnexpectedData(format!(
                    "the page from offset {} repeats the one before it (offset needs CRM.COM R13 or later)",
                    query.offset
                )));
                return whole;
            }
            let full = page.len() >= WHOLE_LIST_PAGE as usize;
            previous_first = page.first().cloned();
            whole.tokens.extend(page);
            if !full {
                return whole;
            }
            query = query.next_page();
        }
    }
}
