//! Properties and enum values `+1` and `-1` (GitHub's reactions), and enum
//! values told apart by punctuation only (Jira's `created`, `-created`,
//! `+created`; `=`, `!=`, `>=`), as a generated Rust client sends and reads
//! them: the rust-engine snapshot's `getReactions`, answered by a loopback
//! server. typify names `+1` and `-1` `plus1` and `minus1`, so the
//! normalizer keeps them typed; the other values get variants named after
//! their spelled-out punctuation (`MinusCreated`, `NotEq`) and keep their
//! wire text (`normalize::names`, `rust::wire_values`). Before, `-1` was
//! moved into an untyped additional-properties map and these enums were
//! plain strings.

use interactor_tests::loopback;
use snapshot_rust_engine::hooks::Hooks;
use snapshot_rust_engine::{Client, types};

const BODY: &str = r#"{"total_count":3,"+1":2,"-1":1,"content":"-1","operator":"!="}"#;

#[tokio::test]
async fn plus_one_and_minus_one_are_typed_fields_and_variants() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply("200 OK", BODY);
    let (request, rollup) = tokio::join!(
        loopback::answer_once(&listener, &reply),
        client.get_reactions().order(types::GetReactionsOrder::MinusCreated).send()
    );
    assert_eq!(request.target(), "/reactions?order=-created");
    let rollup = rollup.expect("200").into_inner();
    assert_eq!((rollup.total_count, rollup.plus1, rollup.minus1), (3, 2, 1));
    assert_eq!(rollup.content, Some(types::ReactionRollupContent::Minus1));
    assert_eq!(types::ReactionRollupContent::Plus1.to_string(), "+1");
    assert_eq!(rollup.operator, Some(types::ReactionRollupOperator::NotEq));
    let spelled = [types::ReactionRollupOperator::Eq, types::ReactionRollupOperator::GtEq, types::ReactionRollupOperator::NotIn];
    assert_eq!(spelled.map(|o| o.to_string()), ["=", ">=", "not in"]);
    assert_eq!("+created".parse::<types::GetReactionsOrder>().ok(), Some(types::GetReactionsOrder::PlusCreated));
    // And back to the wire names.
    let again = serde_json::to_value(&rollup).expect("serializes");
    assert_eq!(again, serde_json::from_str::<serde_json::Value>(BODY).expect("JSON"));
}
