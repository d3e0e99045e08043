// rule: response-property-enum-value-added
// Gadget.status gained `recalled`. A match written for the old values has
// the `_` arm #[non_exhaustive] asks for, so it keeps compiling; and a
// client built before the change reads the new value (as `Unknown`).
fn label(status: &api::types::GadgetStatus) -> &'static str {
    match status {
        api::types::GadgetStatus::Active => "in use",
        api::types::GadgetStatus::Retired => "retired",
        _ => "other",
    }
}

fn main() {
    let gadget: api::types::Gadget = serde_json::from_str(r#"{"id": "g1", "name": "lamp", "legacy_code": "x", "status": "recalled"}"#).expect("a gadget with a status");
    assert_eq!(gadget.status.as_ref().map(label), Some("other"));
    assert_eq!(gadget.status.map(|s| s.to_string()).as_deref(), Some("recalled"));
}
