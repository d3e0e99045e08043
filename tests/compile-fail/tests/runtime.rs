//! The one ERR category the Rust types cannot express: a new required
//! parameter (`cases/runtime/`). A call written for the old client
//! compiles against the new one; `send()` then refuses it, naming the
//! parameter, before any request leaves (nothing listens at the base URL,
//! and none is needed).

#[tokio::test]
async fn a_new_required_parameter_is_refused_before_sending() {
    let client = api::Client::new("http://127.0.0.1:9", Default::default());
    let err = client.get_gadget().gadget_id("g1").send().await.expect_err("region is required");
    match err {
        api::Error::InvalidRequest(message) => assert!(message.contains("region"), "{message}"),
        other => panic!("expected InvalidRequest naming region, got {other:?}"),
    }
}
