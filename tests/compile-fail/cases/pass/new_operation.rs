// rule: endpoint-added
// archiveGadget was added; calls of the existing operations are unchanged.
#[allow(dead_code)]
async fn create(client: &api::Client) {
    let mut body = api::types::UpdateGadgetRequest::new("lamp".to_owned());
    body.name.push('!');
    let _ = client.update_gadget().gadget_id("g1").body(body).send().await;
}

fn main() {}
