// rule: response-required-property-removed
// Gadget lost `legacy_code`.
fn code(gadget: &api::types::Gadget) -> &str {
    &gadget.legacy_code
}

fn main() {
    let _ = code;
}
