//! List operations as a [`Stream`](futures_util::Stream) over all items.
//!
//! The caller's closure sends one page request; the helpers find the
//! items and the has-more flag (or next cursor) with the JSON pointers of
//! the spec's `x-pagination` (from the generated operations table), and
//! ask for the next page until there is none:
//!
//! ```no_run
//! # async fn f(client: interactor::Client) {
//! use futures_util::TryStreamExt;
//! let all: Vec<interactor::api::types::Assistant> = client
//!     .paginate(|page| client.assistants().list().x_namespace("ns").page(page).per_page(50).send())
//!     .try_collect()
//!     .await
//!     .unwrap();
//! # }
//! ```

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::BoxStream;
use interactor_api::operations::{self, Pagination};
use interactor_api::types::ErrorResponse;
use progenitor_client::ResponseValue;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Client, Error};

/// The page-style pointers every page list of the spec uses.
const PAGE_ITEMS: &str = "/data";
const PAGE_HAS_MORE: &str = "/meta/has_more";

type PageResult<R> = Result<ResponseValue<R>, progenitor_client::Error<ErrorResponse>>;

/// Where the next page starts.
enum Next {
    Page(u64),
    Cursor(Option<String>),
    Done,
}

impl Client {
    /// All items of a page-style list (`page`/`per_page`, `/data`,
    /// `/meta/has_more`); `fetch(page)` sends page `page` (from 1).
    pub fn paginate<'a, F, Fut, R, I>(&self, fetch: F) -> BoxStream<'a, Result<I, Error>>
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = PageResult<R>> + Send + 'a,
        R: Serialize + Send + 'a,
        I: DeserializeOwned + Send + 'a,
    {
        page_stream(fetch, PAGE_ITEMS, PAGE_HAS_MORE)
    }

    /// All items of the page-style list `operation_id` (the spec's
    /// operationId or the method name), with the pointers
    /// of its `x-pagination`. Fails at once if the operation is not a
    /// page-style list.
    pub fn paginate_pages<'a, F, Fut, R, I>(
        &self,
        operation_id: &str,
        fetch: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = PageResult<R>> + Send + 'a,
        R: Serialize + Send + 'a,
        I: DeserializeOwned + Send + 'a,
    {
        match find(operation_id).and_then(|o| o.pagination) {
            Some(Pagination::Page {
                items, has_more, ..
            }) => page_stream(fetch, items, has_more),
            _ => failed(format!("{operation_id} is not a page-style list operation")),
        }
    }

    /// All items of the cursor-style list `operation_id` (the spec's
    /// operationId or the method name); `fetch(cursor)`
    /// sends one page (`None` for the first).
    pub fn paginate_cursor<'a, F, Fut, R, I>(
        &self,
        operation_id: &str,
        mut fetch: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        F: FnMut(Option<String>) -> Fut + Send + 'a,
        Fut: Future<Output = PageResult<R>> + Send + 'a,
        R: Serialize + Send + 'a,
        I: DeserializeOwned + Send + 'a,
    {
        let Some(Pagination::Cursor {
            items, next_cursor, ..
        }) = find(operation_id).and_then(|o| o.pagination)
        else {
            return failed(format!(
                "{operation_id} is not a cursor-style list operation"
            ));
        };
        items_stream(Next::Cursor(None), move |next| {
            let cursor = match next {
                Next::Cursor(c) => c,
                _ => None,
            };
            let page = fetch(cursor);
            async move {
                let body = body(page.await?)?;
                let next = match body.pointer(next_cursor).and_then(|v| v.as_str()) {
                    Some(c) if !c.is_empty() => Next::Cursor(Some(c.to_string())),
                    _ => Next::Done,
                };
                Ok((take_items(&body, items)?, next))
            }
        })
    }
}

/// The operation called `id`: the spec's operationId (`listAssistants`) or
/// the generated method name (`list_assistants`).
fn find(id: &str) -> Option<&'static operations::Operation> {
    operations::find(id).or_else(|| operations::OPERATIONS.iter().find(|o| o.spec_id == id))
}

fn page_stream<'a, F, Fut, R, I>(
    mut fetch: F,
    items: &'static str,
    has_more: &'static str,
) -> BoxStream<'a, Result<I, Error>>
where
    F: FnMut(u64) -> Fut + Send + 'a,
    Fut: Future<Output = PageResult<R>> + Send + 'a,
    R: Serialize + Send + 'a,
    I: DeserializeOwned + Send + 'a,
{
    items_stream(Next::Page(1), move |next| {
        let page = match next {
            Next::Page(p) => p,
            _ => 1,
        };
        let sent = fetch(page);
        async move {
            let body = body(sent.await?)?;
            let list: Vec<I> = take_items(&body, items)?;
            let more = body.pointer(has_more).and_then(|v| v.as_bool()) == Some(true);
            let next = if more && !list.is_empty() {
                Next::Page(page + 1)
            } else {
                Next::Done
            };
            Ok((list, next))
        }
    })
}

/// Drives `step` from `start` until it says [`Next::Done`], yielding the
/// items of each page; an error is yielded and ends the stream.
fn items_stream<'a, S, SFut, I>(start: Next, step: S) -> BoxStream<'a, Result<I, Error>>
where
    S: FnMut(Next) -> SFut + Send + 'a,
    SFut: Future<Output = Result<(Vec<I>, Next), Error>> + Send + 'a,
    I: Send + 'a,
{
    let state = (VecDeque::new(), Some(start), step);
    Box::pin(futures_util::stream::unfold(
        state,
        |(mut buffer, mut next, mut step)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (buffer, next, step)));
                }
                match next.take() {
                    None | Some(Next::Done) => return None,
                    Some(n) => match step(n).await {
                        Ok((items, after)) => {
                            buffer.extend(items);
                            next = Some(after);
                        }
                        Err(e) => return Some((Err(e), (buffer, None, step))),
                    },
                }
            }
        },
    ))
}

fn body<R: Serialize>(page: ResponseValue<R>) -> Result<serde_json::Value, Error> {
    serde_json::to_value(page.into_inner())
        .map_err(|e| Error::decode(format!("cannot re-encode a page: {e}")))
}

fn take_items<I: DeserializeOwned>(
    body: &serde_json::Value,
    pointer: &str,
) -> Result<Vec<I>, Error> {
    match body.pointer(pointer) {
        Some(items) => serde_json::from_value(items.clone())
            .map_err(|e| Error::decode(format!("page items at {pointer}: {e}"))),
        None => Err(Error::decode(format!("page has no items at {pointer}"))),
    }
}

fn failed<'a, I: Send + 'a>(message: String) -> BoxStream<'a, Result<I, Error>> {
    Box::pin(futures_util::stream::once(async move {
        Err(Error::invalid_request(message))
    }))
}
