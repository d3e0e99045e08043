// rule: new-required-request-property
// CreateGadgetRequest gained the required `owner`: `new` takes it.
fn main() {
    let request = api::types::CreateGadgetRequest::new("lamp".to_owned());
    let _ = request;
}
