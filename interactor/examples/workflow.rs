//! A workflow from definition to completion: create an approval workflow,
//! publish its version, start an instance that halts for approval, then
//! resume it with the approval (seed 002's human-in-the-loop flow).
//!
//! ```sh
//! cargo run -p interactor --example workflow
//! ```
//!
//! The fake server does not run workflows, so this example is compiled by
//! `cargo test`/`cargo clippy --all-targets` but not run by the tests.

use interactor::Client;
use interactor::api::types;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let namespace = std::env::var("INTERACTOR_NAMESPACE").unwrap_or_else(|_| "user_123".into());

    // A definition is checked against the spec's schema as it is decoded.
    let name = "expense_approval";
    let definition: types::WorkflowDefinition = serde_json::from_value(json!({
        "name": name,
        "initial_state": "request",
        "states": {
            "request": {
                "type": "action",
                "logic": {"type": "script", "code": "return { amount: input.amount, status: 'pending' }"},
                "transitions": [{"target": "await_approval"}]
            },
            "await_approval": {
                "type": "halting",
                "presentation": {
                    "type": "form",
                    "title": "Approval required",
                    "fields": [{"name": "approved", "type": "boolean", "label": "Approve?"}]
                },
                "transitions": [
                    {"target": "approved", "condition": {"field": "approved", "equals": true}},
                    {"target": "rejected"}
                ]
            },
            "approved": {"type": "terminal"},
            "rejected": {"type": "terminal"}
        }
    }))?;
    let version = client
        .workflows()
        .create()
        .body(definition)
        .send()
        .await?
        .into_inner()
        .data;
    println!("created {name} version {}", version.version_id);

    let published = client
        .workflow_versions()
        .publish()
        .workflow_name(name)
        .version_id(&version.version_id)
        .send()
        .await?
        .into_inner()
        .data;
    println!("published: {:?}", published.status);

    let start: types::CreateWorkflowInstanceRequest = serde_json::from_value(json!({
        "namespace": namespace,
        "input": {"amount": 5000}
    }))?;
    let instance = client
        .workflow_instances()
        .create()
        .workflow_name(name)
        .body(start)
        .send()
        .await?
        .into_inner()
        .data;
    println!("instance {} is {:?}", instance.id, instance.status);

    if instance.status == types::WorkflowInstanceStatus::Halted {
        let input: types::ResumeWorkflowInstanceRequest =
            serde_json::from_value(json!({"input": {"approved": true}}))?;
        // Resume carries an idempotency key (added by the overlay), so a
        // retried resume cannot approve twice.
        let resumed = client
            .workflow_instances()
            .resume()
            .instance_id(&instance.id)
            .body(input)
            .send()
            .await?
            .into_inner()
            .data;
        println!("resumed: {:?}", resumed.status);
    }
    Ok(())
}
