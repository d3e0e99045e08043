//! Query and path parameter styles as a generated Rust client sends them:
//! the edge-cases snapshot's `searchThings` (a `label` path parameter,
//! deepObject `expand` and `created`, `form` with `explode: false`,
//! `pipeDelimited`, `spaceDelimited`, a plain `form` one) and `getCells`
//! (`simple`, `label` and `matrix` path parameters, arrays and an object),
//! read back from the request line a loopback server receives.
//! Each parameter's pairs are the ones the Python suite expects of the same
//! operation (`tests/python/test_query.py`), byte for byte; only the order
//! of parameters differs (progenitor's, by name, styled ones first).

use interactor_tests::loopback;
use snapshot_edge_cases::hooks::Hooks;
use snapshot_edge_cases::{Client, types};

/// The request target of what `send` sends, answered `200 []`.
async fn target_of(send: impl AsyncFnOnce(Client)) -> String {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&format!("{base}/v1"), reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", "[]");
    let (request, ()) = tokio::join!(loopback::answer_once(&listener, &reply), send(client));
    request.target().to_owned()
}

#[tokio::test]
async fn every_style_on_the_wire() {
    let target = target_of(async |client| {
        let created = types::SearchThingsCreated::Object { gt: Some(1), gte: None, lt: None, lte: Some(2) };
        let found = client
            .search_things()
            .scope("s")
            .expand(vec!["data.customer".to_owned(), "data.invoice".to_owned()])
            .created(created)
            .tags(vec!["a".to_owned(), "b".to_owned()])
            .ids(vec![1, 2])
            .words(vec!["x".to_owned(), "y".to_owned()])
            .limit(10)
            .send()
            .await
            .expect("200 []");
        assert!(found.into_inner().is_empty());
    })
    .await;
    // The styled parameters first (progenitor's order: by name), then the
    // ones progenitor writes itself.
    assert_eq!(target, "/v1/search/.s?created[gt]=1&created[lte]=2&expand[0]=data.customer&expand[1]=data.invoice&ids=1|2&tags=a,b&words=x%20y&limit=10");
}

#[tokio::test]
async fn the_scalar_branch_of_any_of_is_a_plain_pair() {
    let target = target_of(async |client| {
        client.search_things().scope("s").created(types::SearchThingsCreated::Integer(1_692_000_000)).send().await.expect("200 []");
    })
    .await;
    assert_eq!(target, "/v1/search/.s?created=1692000000");
}

#[tokio::test]
async fn absent_parameters_send_nothing() {
    let target = target_of(async |client| {
        client.search_things().scope("s").send().await.expect("200 []");
    })
    .await;
    assert_eq!(target, "/v1/search/.s");
}

#[tokio::test]
async fn path_parameters_in_their_styles() {
    let target = target_of(async |client| {
        // An object path parameter is a struct (a newtype of it for
        // progenitor, which the setter takes the struct into).
        let mut at = types::GetCellsAt::new();
        (at.row, at.col) = (Some(1), Some(3));
        client
            .get_cells()
            .ids(vec![1, 2])
            .point(vec!["x".to_owned(), "y z".to_owned()])
            .at(at)
            .flags(vec!["a".to_owned(), "b;c".to_owned()])
            .send()
            .await
            .expect("a success");
    })
    .await;
    assert_eq!(target, "/v1/cells/1,2/.x.y%20z/;at=col,3,row,1;flags=a;flags=b%3Bc");
}

#[tokio::test]
async fn a_path_value_that_would_not_name_a_segment_is_refused_before_sending() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&format!("{base}/v1"), reqwest::Client::new(), Hooks::default());
    let err = client.get_cells().ids(Vec::<i64>::new()).point(vec!["x".to_owned()]).at(types::GetCellsAt::new()).flags(Vec::<String>::new()).send().await.expect_err("an empty `ids`");
    assert!(err.to_string().contains("path parameter `ids`"), "{err}");
    drop(listener);
}
