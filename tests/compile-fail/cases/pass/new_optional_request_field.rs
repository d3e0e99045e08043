// rule: new-optional-request-property
// UpdateGadgetRequest gained the optional `note`: requests built with `new`
// (required fields only) and field assignment keep compiling; structs are
// #[non_exhaustive], so no struct literal can miss the new field.
fn main() {
    let request = api::types::UpdateGadgetRequest::new("lamp".to_owned());
    assert_eq!(request.name, "lamp");
}
