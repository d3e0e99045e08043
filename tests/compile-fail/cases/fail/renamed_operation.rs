// rule: operation-id-renamed
// listGadgets became listAllGadgets: same request, new method name.
#[allow(dead_code)]
async fn list(client: &api::Client) {
    let _ = client.list_gadgets().send().await;
}

fn main() {}
