// rule: request-property-type-changed
// `weight` went from integer to string.
fn set_weight(request: &mut api::types::CreateGadgetRequest) {
    request.weight = Some(3);
}

fn main() {
    let _ = set_weight;
}
