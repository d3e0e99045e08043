// rule: response-optional-property-added
// Gadget gained the optional `created_at`: reading fields and matching with
// `..` (required by #[non_exhaustive]) keep compiling.
fn describe(gadget: &api::types::Gadget) -> String {
    let api::types::Gadget { id, name, .. } = gadget;
    format!("{id}: {name}")
}

fn main() {
    let gadget: api::types::Gadget = serde_json::from_str(r#"{"id": "g1", "name": "lamp", "legacy_code": "x"}"#).expect("a gadget");
    assert_eq!(describe(&gadget), "g1: lamp");
}
