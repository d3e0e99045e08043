//! Per-tag cargo features of the Rust crate: which items each feature
//! gates. (That every combination compiles is checked by `cargo xtask ci`,
//! which builds the generated crates with no feature and with each one.)

use codegen::Config;

const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/PetPage" } } } }
  /stores:
    get:
      operationId: listStores
      tags: [Stores, Pets]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Store" } } } }
  /health:
    get:
      operationId: health
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Health" } } } }
webhooks:
  pet.adopted:
    post:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Adoption" } } } }
      responses: { "200": { description: ok } }
components:
  schemas:
    Adoption: { type: object, properties: { shelter: { $ref: "#/components/schemas/Shelter" }, address: { $ref: "#/components/schemas/Address" } } }
    Shelter: { type: object, properties: { name: { type: string } } }
    PetPage:
      type: object
      properties:
        items: { type: array, items: { $ref: "#/components/schemas/Pet" } }
    Pet:
      type: object
      properties:
        name: { type: string, maxLength: 40 }
        address: { $ref: "#/components/schemas/Address" }
    Store:
      type: object
      properties:
        address: { $ref: "#/components/schemas/Address" }
        kind: { $ref: "#/components/schemas/StoreKind" }
    Address: { type: object, properties: { city: { type: string } } }
    Health: { type: object, properties: { ok: { type: boolean } } }
    Unused: { type: object, properties: { x: { type: string }, store: { $ref: "#/components/schemas/StoreKind" } } }
    StoreKind: { type: string, enum: [big, small] }
"##;

fn generate() -> (String, String, String, String) {
    let config = Config {
        spec_path: "spec.yaml".into(),
        package_version: None,
        rust: Some(codegen::rust::RustConfig { crate_name: "t".into(), dir: "t".into(), license: "MIT".into(), repository: None, shard_budget: None }),
        typescript: None,
        python: None,
    };
    let g = codegen::generate(&config, SPEC.as_bytes()).expect("generates");
    let file = |name: &str| g.files.iter().find(|f| f.path == name).map(|f| f.contents.clone()).expect(name);
    (file("t/src/client.rs"), file("t/Cargo.toml"), file("t/src/resources.rs"), file("t/src/events.rs"))
}

/// The cfg attribute right above `needle`'s line, if any.
fn gate_of(text: &str, needle: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not found"));
    lines[..at].iter().rev().take_while(|l| l.trim_start().starts_with("#[") || l.trim_start().starts_with("///")).find(|l| l.contains("cfg(")).map(|l| l.trim().to_owned())
}

#[test]
fn items_are_gated_by_the_features_that_reach_them() {
    let (client, _, _, events) = generate();
    let cases = [
        ("pub fn list_pets(", Some(r#"#[cfg(feature = "pets")]"#)),
        ("pub fn list_stores(", Some(r#"#[cfg(feature = "stores")]"#)),
        ("pub fn health(", None),
        ("pub struct ListPets<'a>", Some(r#"#[cfg(feature = "pets")]"#)),
        ("pub struct PetPage {", Some(r#"#[cfg(feature = "pets")]"#)),
        // Reached only through PetPage: still only `pets`.
        ("pub struct Pet {", Some(r#"#[cfg(feature = "pets")]"#)),
        // A constrained string's newtype, and its impl for a foreign type
        // (`impl From<PetName> for String` once kept every such type on).
        ("pub struct PetName(", Some(r#"#[cfg(feature = "pets")]"#)),
        ("impl ::std::convert::From<PetName> for ::std::string::String", Some(r#"#[cfg(feature = "pets")]"#)),
        // Reached from three features: on with any.
        ("pub struct Address {", Some(r#"#[cfg(any(feature = "pets", feature = "stores", feature = "webhook-events"))]"#)),
        // Reached only from a webhook payload: behind the webhook feature.
        ("pub struct Adoption {", Some(r#"#[cfg(feature = "webhook-events")]"#)),
        ("pub struct Shelter {", Some(r#"#[cfg(feature = "webhook-events")]"#)),
        ("pub struct Store {", Some(r#"#[cfg(feature = "stores")]"#)),
        // Reached from an untagged operation, or from nothing: always on.
        ("pub struct Health {", None),
        ("pub struct Unused {", None),
        // Named by an item that is always on: on too, whoever else uses it.
        ("pub enum StoreKind {", None),
        ("impl PetPage {", Some(r#"#[cfg(feature = "pets")]"#)),
        ("impl Address {", Some(r#"#[cfg(any(feature = "pets", feature = "stores", feature = "webhook-events"))]"#)),
    ];
    for (needle, want) in cases {
        assert_eq!(gate_of(&client, needle).as_deref(), want, "{needle}");
    }
    assert_eq!(gate_of(&events, "pub enum WebhookEvent").as_deref(), Some(r#"#[cfg(feature = "webhook-events")]"#));
    assert_eq!(gate_of(&events, "impl WebhookEvent").as_deref(), Some(r#"#[cfg(feature = "webhook-events")]"#));
}

#[test]
fn cargo_features_and_resource_groups() {
    let (_, cargo, resources, _) = generate();
    assert!(cargo.contains("default = [\"rustls\", \"full\"]"), "{cargo}");
    assert!(cargo.contains("full = [\"pets\", \"stores\", \"webhook-events\"]"), "{cargo}");
    assert!(cargo.contains("\npets = []\n") && cargo.contains("\nstores = []\n") && cargo.contains("\nwebhook-events = []\n"), "{cargo}");
    assert_eq!(gate_of(&resources, "pub struct PetsApi").as_deref(), Some(r#"#[cfg(feature = "pets")]"#));
    assert_eq!(gate_of(&resources, "pub fn pets(").as_deref(), Some(r#"#[cfg(feature = "pets")]"#));
}
