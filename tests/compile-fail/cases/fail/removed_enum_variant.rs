// rule: request-property-enum-value-removed
// GadgetColor lost `blue`.
fn main() {
    let color = api::types::GadgetColor::Blue;
    let _ = color;
}
