// rule: api-removed-without-deprecation
// DELETE /gadgets/{gadget_id} (deleteGadget) is gone.
#[allow(dead_code)]
async fn delete(client: &api::Client) {
    let _ = client.delete_gadget().gadget_id("g1").send().await;
}

fn main() {}
