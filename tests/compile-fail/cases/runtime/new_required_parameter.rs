// rule: new-required-request-parameter
// getGadget gained the required query parameter `region`. progenitor's
// operation builders take parameters by setter, so this compiles against
// both clients: the break shows at run time, when `send()` refuses the
// request before sending it (tests/runtime.rs proves that). It is the one
// ERR category of the diff that the Rust types cannot express.
#[allow(dead_code)]
async fn get(client: &api::Client) {
    let _ = client.get_gadget().gadget_id("g1").send().await;
}

fn main() {}
