// rule: response-required-property-removed
// The workflow API's new generation (spec/history/1.0.0 → spec/openapi.yaml):
// a workflow's `id`, `states` and `initial_state` are gone from responses,
// and with them the `Workflow` type 1.0.0 returned from createWorkflow.
#[allow(dead_code)]
async fn created_id(client: &interactor_api::Client) -> Option<String> {
    let response = client.create_workflow().send().await.ok()?;
    Some(response.into_inner().data.id)
}

fn main() {}
