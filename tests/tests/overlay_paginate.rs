//! Pagination streams (`interactor::Client::paginate*`) against the fake
//! server: cursor style over workflow history, page style over assistants
//! with an exact item count.

use std::num::NonZeroU64;

use futures_util::TryStreamExt;
use interactor::api::types;
use interactor::{Client, ErrorKind};
use interactor_tests::FakeServer;

fn client(server: &FakeServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, FakeServer::CLIENT_SECRET)
        .build()
        .expect("client")
}

/// Every history event id of `instance`, through the cursor stream, `limit`
/// per page.
async fn history(
    client: &Client,
    instance: &str,
    limit: u64,
) -> Result<Vec<String>, interactor::Error> {
    let events: Vec<types::WorkflowHistoryEvent> = client
        .paginate_cursor("listWorkflowInstanceHistory", |cursor| {
            let mut request = client
                .workflow_history()
                .list_instance()
                .instance_id(instance)
                .limit(NonZeroU64::new(limit).expect("limit > 0"));
            if let Some(cursor) = cursor {
                request = request.cursor(cursor);
            }
            request.send()
        })
        .try_collect()
        .await?;
    Ok(events.into_iter().map(|e| e.id).collect())
}

#[tokio::test]
async fn cursor_pagination_reads_the_whole_history_once_in_order() {
    let server = FakeServer::start().await;
    let client = client(&server);
    server.add_workflow_history("inst_a", 1_234);
    server.add_workflow_history("inst_empty", 0);
    server.add_workflow_history("inst_exact", 200);

    let ids = history(&client, "inst_a", 100).await.expect("history");
    let expect: Vec<String> = (0..1_234).map(|n| format!("evt_{n:06}")).collect();
    assert_eq!(ids, expect);
    let pages: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.route() == "/workflows/instances/inst_a/history")
        .collect();
    assert_eq!(pages.len(), 13, "ceil(1234 / 100) pages");
    assert!(
        pages[0]
            .query
            .as_deref()
            .is_some_and(|q| !q.contains("cursor"))
    );
    assert!(
        pages[1]
            .query
            .as_deref()
            .is_some_and(|q| q.contains("cursor=cur_100"))
    );

    assert_eq!(
        history(&client, "inst_empty", 10).await.expect("empty"),
        Vec::<String>::new()
    );
    // A last page that is exactly full: no extra request for an empty page.
    server.clear_requests();
    assert_eq!(
        history(&client, "inst_exact", 100)
            .await
            .expect("exact")
            .len(),
        200
    );
    let exact = server
        .requests()
        .iter()
        .filter(|r| r.route() == "/workflows/instances/inst_exact/history")
        .count();
    assert_eq!(exact, 2);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let err = history(&client, "inst_missing", 10).await.expect_err("404");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Api, Some(404)));
    // Not a cursor-style operation: refused before any request.
    let err = client
        .paginate_cursor("listAssistants", |_| client.assistants().list().send())
        .try_collect::<Vec<types::Assistant>>()
        .await
        .expect_err("page style");
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.message().contains("listAssistants"), "{err}");
}

#[tokio::test]
async fn page_pagination_yields_exactly_every_item() {
    let server = FakeServer::start().await;
    let client = client(&server);
    // 47 items at 10 per page: four full pages and one of 7.
    let mut created = Vec::new();
    for n in 0..47 {
        let request: types::CreateAssistantRequest = types::CreateAssistantRequest::builder()
            .name(format!("a{n:02}"))
            .model("gpt-4")
            .system_prompt("terse")
            .try_into()
            .expect("request");
        let made = client
            .assistants()
            .create()
            .x_namespace("pages")
            .body(request)
            .send()
            .await
            .expect("create");
        created.push(made.into_inner().data.id);
    }
    server.clear_requests();
    let all: Vec<types::Assistant> = client
        .paginate_pages("listAssistants", |page| {
            client
                .assistants()
                .list()
                .x_namespace("pages")
                .page(NonZeroU64::new(page).expect("pages start at 1"))
                .per_page(NonZeroU64::new(10).expect("10"))
                .send()
        })
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(all.len(), 47);
    let mut got: Vec<String> = all.into_iter().map(|a| a.id).collect();
    got.sort();
    created.sort();
    assert_eq!(got, created, "every assistant exactly once");
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.route() == "/assistants")
        .filter_map(|r| r.query.clone())
        .collect();
    assert_eq!(pages.len(), 5, "{pages:?}");
    assert!(pages[4].contains("page=5"), "{pages:?}");
}
