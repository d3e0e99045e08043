//! Bad and awkward specs: each gets a clear error naming where, or correct
//! output with a note; never a panic. One `check` per case.

use codegen::{Config, Severity};

fn config() -> Config {
    Config {
        spec_path: "spec.yaml".into(),
        package_version: None,
        rust: Some(codegen::rust::RustConfig { crate_name: "t".into(), dir: "t".into(), license: "MIT".into(), repository: None, shard_budget: None }),
        typescript: None,
        python: None,
    }
}

/// Generation must fail with a message containing every `expect`.
fn check_err(spec: &str, expect: &[&str]) {
    let err = codegen::generate(&config(), spec.as_bytes()).expect_err("expected an error").to_string();
    for e in expect {
        assert!(err.contains(e), "{err:?} lacks {e:?}");
    }
}

/// Generation must succeed; returns (generated operation count, notes, client.rs).
fn check_ok(spec: &str) -> (usize, Vec<String>, String) {
    let g = codegen::generate(&config(), spec.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let client = g.files.iter().find(|f| f.path.ends_with("client.rs")).map(|f| f.contents.clone()).unwrap_or_default();
    (g.rust.map_or(0, |r| r.operations), g.report.notes.iter().map(|n| n.to_string()).collect(), client)
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\n";

#[test]
fn not_a_spec() {
    check_err("openapi: [", &["spec.yaml", "invalid YAML"]);
    check_err("{\"openapi\": ", &["invalid JSON"]);
    check_err("swagger: '2.0'\ninfo: {title: t, version: '1'}\n", &["#/swagger", "Swagger 2.0"]);
    check_err("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", &["#/openapi", "\"4.0.0\" is not supported"]);
    check_err("openapi: 3.0.3\n", &["#/info"]);
}

#[test]
fn dangling_and_external_refs_name_their_pointer() {
    check_err(
        &format!("{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Gone'}}}}}}}}\n"),
        &["spec.yaml#/paths/~1a/get/responses/200/content/application~1json/schema", "#/components/schemas/Gone", "points at nothing"],
    );
    check_err(&format!("{HEAD}components:\n  schemas:\n    A: {{$ref: 'other.yaml#/B'}}\n"), &["#/components/schemas/A", "external $ref"]);
}

#[test]
fn invalid_openapi_values_name_their_pointer() {
    check_err(&format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 7\n"), &["#/paths/~1a/get/responses"]);
}

#[test]
fn duplicate_operation_ids_are_renamed_with_a_note() {
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:\n  /a:\n    get: {{operationId: getThing, responses: {{'204': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: get_thing, responses: {{'204': {{description: ok}}}}}}\n"
    ));
    assert_eq!(ops, 2);
    assert!(notes.iter().any(|n| n.contains("#/paths/~1b/get/operationId") && n.contains("get_thing_2")), "{notes:?}");
    assert!(client.contains("pub fn get_thing(") && client.contains("pub fn get_thing_2("));
}

#[test]
fn engine_panics_become_notes_not_crashes() {
    // 200 beside 204, two typed successes, typed 2xx beside a differently
    // typed default, several request media types, multipart only (sent as
    // multipart by our own code).
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:
  /a:
    delete:
      operationId: del
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}
        '204': {{description: gone}}
    get:
      operationId: two
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}
        '201': {{description: ok, content: {{application/json: {{schema: {{type: integer}}}}}}}}
        default: {{description: err, content: {{application/json: {{schema: {{type: object, properties: {{m: {{type: string}}}}}}}}}}}}
    post:
      operationId: media
      requestBody: {{content: {{text/plain: {{schema: {{type: string}}}}, application/json: {{schema: {{type: object}}}}}}}}
      responses: {{'204': {{description: ok}}}}
    put:
      operationId: upload
      requestBody: {{content: {{multipart/form-data: {{schema: {{type: object}}}}}}}}
      responses: {{'204': {{description: ok}}}}
  /b:
    get:
      operationId: mixed
      responses:
        '200': {{description: ok, content: {{text/plain: {{schema: {{type: string}}}}}}}}
        '201': {{description: ok, content: {{application/json: {{schema: {{type: integer}}}}}}}}
"
    ));
    // Multipart bodies are generated (hooks::multipart_form), so all five are.
    assert_eq!(ops, 5, "{notes:?}");
    assert!(!notes.iter().any(|n| n.starts_with("skipped:")), "{notes:?}");
    // 200 beside 204: `Option<String>`, `None` for 204 (`rust::empty`).
    assert!(!notes.iter().any(|n| n.contains("#/paths/~1a/delete")), "{notes:?}");
    let squashed: String = client.split_whitespace().collect();
    assert!(squashed.contains("Result<ResponseValue<Option<::std::string::String>>,Error<()>>"), "{client}");
    assert!(squashed.contains("204u16=>{Ok(ResponseValue::new(None,response.status(),response.headers().clone(),),)}"), "{client}");
    assert!(notes.iter().any(|n| n.starts_with("degraded: #/paths/~1b/get/responses") && n.contains("mix JSON and non-JSON bodies") && n.contains("raw bytes")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("oneOf `TwoResponse`")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("degraded: #/paths/~1a/post/requestBody/content") && n.contains("text/plain")), "{notes:?}");
}

#[test]
fn an_empty_range_beside_a_typed_code_inside_it_answers_none() {
    // `post` splits `4XX` around `404`; the empty range's arm is found first.
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: getA
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}
        '404': {{description: nf, content: {{application/json: {{schema: {{type: object, properties: {{m: {{type: string}}}}}}}}}}}}
        '4XX': {{description: other}}
"
    ));
    assert_eq!(ops, 1, "{notes:?}");
    let squashed: String = client.split_whitespace().collect();
    assert!(squashed.contains("400u16..=403u16|405u16..=499u16=>{Err(Error::ErrorResponse(ResponseValue::new(None,"), "{client}");
    assert!(squashed.contains("404u16=>{Err(Error::ErrorResponse(crate::hooks::json_response(crate::hooks::read_body(response).await,)?,),)}"), "{client}");
}

#[test]
fn keywords_and_cased_collisions_generate() {
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:
  /type/{{self}}:
    get:
      operationId: match
      parameters: [{{name: self, in: path, required: true, schema: {{type: string}}}}, {{name: type, in: query, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/type'}}}}}}}}}}
components:
  schemas:
    type: {{type: object, properties: {{fn: {{type: string}}, user: {{$ref: '#/components/schemas/user'}}, User: {{$ref: '#/components/schemas/User'}}}}}}
    user: {{type: object, properties: {{a: {{type: string}}}}}}
    User: {{type: object, properties: {{b: {{type: integer}}}}}}
"
    ));
    assert_eq!(ops, 1);
    assert!(notes.iter().any(|n| n.contains("\"User\"") && n.contains("User2")), "{notes:?}");
    assert!(client.contains("pub struct User2"), "collision not renamed");
    assert!(client.contains("pub fn match_("), "keyword operationId not escaped");
}

#[test]
fn every_skip_has_a_reason_and_pointer() {
    let g = codegen::generate(&config(), format!("{HEAD}paths:\n  /a:\n    post:\n      operationId: up\n      requestBody: {{content: {{application/xml: {{}}}}}}\n      responses: {{'204': {{description: ok}}}}\n").as_bytes()).unwrap();
    let skipped: Vec<_> = g.report.of(Severity::Skipped).collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].pointer, "#/paths/~1a/post");
    assert!(skipped[0].message.contains("operation up not generated"));
}

#[test]
fn defaults_the_engine_cannot_check_are_dropped_not_the_schema_or_operation() {
    // OpenAI's image requests once: typify rejected a default it could not
    // check (then on `anyOf: [string, enum]`, which `normalize::unions` now
    // makes an enum typify checks; here an object default without the
    // object's required property, which `normalize::defaults` leaves to
    // typify). The schema stays typed without its defaults, and the
    // multipart operation that inlines it is generated (it was skipped
    // before).
    let model = "{$ref: '#/components/schemas/Model', default: {size: 1}}";
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:\n  /img:\n    post:\n      operationId: createImage\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/ImageRequest'}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n  /var:\n    post:\n      operationId: createVariation\n      requestBody: {{content: {{multipart/form-data: {{schema: {{$ref: '#/components/schemas/VariationRequest'}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    ImageRequest: {{type: object, properties: {{model: {model}, prompt: {{type: string}}}}}}\n    VariationRequest: {{type: object, required: [image], properties: {{image: {{type: string, format: binary}}, model: {model}}}}}\n    Model: {{type: object, required: [name], properties: {{name: {{type: string}}, size: {{type: integer}}}}}}\n"
    ));
    assert_eq!(ops, 2, "{notes:#?}");
    assert!(notes.iter().any(|n| n.contains("#/components/schemas/ImageRequest") && n.contains("is dropped in Rust")), "{notes:#?}");
    assert!(!notes.iter().any(|n| n.contains("untyped JSON") || n.contains("not generated")), "{notes:#?}");
    assert!(client.contains("pub struct ImageRequest"), "typed");
    assert!(client.contains("pub prompt: ::std::option::Option<::std::string::String>"), "typed fields");
}

#[test]
fn a_default_is_blamed_on_the_schema_that_gives_it_not_on_the_type_it_names() {
    // OpenAI's realtime sessions once: a property of a type with a default
    // typify cannot check (an object default without the object's required
    // property). The session loses that default, and only that one; the
    // voice type stays typed (it was made untyped before, the search adding
    // schemas in document order).
    let (ops, notes, client) = check_ok(&format!(
        "{HEAD}paths:\n  /session:\n    post:\n      operationId: createSession\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Session'}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Session: {{type: object, properties: {{voice: {{$ref: '#/components/schemas/Voice', default: {{speed: 2}}}}, speed: {{type: number, default: 1.5}}}}}}\n    Voice: {{type: object, required: [name], properties: {{name: {{type: string}}, speed: {{type: number}}}}}}\n"
    ));
    assert_eq!(ops, 1, "{notes:#?}");
    assert!(notes.iter().any(|n| n.contains("#/components/schemas/Session/properties/voice:") && n.contains("is dropped in Rust")), "{notes:#?}");
    assert!(!notes.iter().any(|n| n.contains("untyped JSON")), "{notes:#?}");
    assert!(client.contains("pub struct Voice {"), "Voice typed");
    assert!(client.contains("pub voice: ::std::option::Option<Voice>"), "the property keeps its type");
    // Only the default that fails is dropped.
    assert!(client.contains("#[serde(default = \"defaults::session_speed\")]"), "speed keeps its default");
}
