//! Security requirements and schemes in the model (`Operation::security`,
//! `Api::security_schemes`, the `x-token-source` extension) and in the Rust
//! operation table, from small specs. One `check` per case.

use codegen::model::{SchemeKind, TokenSource};
use codegen::{Report, Severity};

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\n";

/// The model and the notes of `spec`.
fn check(spec: &str) -> (codegen::model::Api, Vec<String>) {
    let mut report = Report::default();
    let (_, _, api) = codegen::analyze("spec.yaml", spec.as_bytes(), &mut report).unwrap_or_else(|e| panic!("{e}"));
    (api, report.of(Severity::Degraded).map(|n| n.to_string()).collect())
}

fn spec(schemes: &str) -> String {
    format!(
        "{HEAD}security: [{{user: []}}]\npaths:\n  /login:\n    post:\n      operationId: login\n      security: []\n      responses: {{'200': {{description: ok}}}}\n  /me:\n    get:\n      operationId: me\n      responses: {{'200': {{description: ok}}}}\n  /p:\n    get:\n      operationId: inProject\n      security: [{{project: []}}, {{user: [], key: []}}, {{}}]\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n{schemes}"
    )
}

const SCHEMES: &str = "    user: {type: http, scheme: Bearer, bearerFormat: JWT, x-token-source: {operation: login, token: /access_token, expires_in: /expires_in}}\n    project: {type: http, scheme: bearer, x-token-source: {operation: me, token: /data/token}}\n    key: {type: apiKey, in: header, name: X-Key}\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example/token', scopes: {}}}}\n";

#[test]
fn operation_security_overrides_the_global_one() {
    let (api, notes) = check(&spec(SCHEMES));
    assert!(notes.is_empty(), "{notes:?}");
    let security = |id: &str| api.operations.iter().find(|o| o.id == id).expect(id).security.clone();
    assert_eq!(security("login"), Vec::<Vec<String>>::new());
    assert_eq!(security("me"), vec![vec!["user".to_owned()]]);
    assert_eq!(security("inProject"), vec![vec!["project".to_owned()], vec!["user".to_owned(), "key".to_owned()], vec![]]);
}

#[test]
fn schemes_and_token_sources() {
    let (api, _) = check(&spec(SCHEMES));
    let names: Vec<&str> = api.security_schemes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["user", "project", "key", "oauth"]);
    let s = &api.security_schemes;
    assert_eq!(s[0].kind, SchemeKind::Http { scheme: "bearer".into() });
    assert_eq!(s[0].token_source, Some(TokenSource { operation: "login".into(), token: "/access_token".into(), expires_in: Some("/expires_in".into()) }));
    assert_eq!(s[1].token_source.as_ref().map(|t| t.expires_in.clone()), Some(None));
    assert_eq!(s[2].kind, SchemeKind::ApiKey { location: "header".into(), name: "X-Key".into() });
    assert_eq!(s[3].kind, SchemeKind::OAuth2 { token_url: Some("https://a.example/token".into()) });
}

#[test]
fn bad_token_sources_are_named() {
    let (api, notes) = check(&spec("    user: {type: http, scheme: bearer, x-token-source: {operation: login}}\n    project: {type: http, scheme: bearer, x-token-source: {operation: nope, token: /t}}\n"));
    assert_eq!(api.security_schemes[0].token_source, None);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("#/components/securitySchemes/user/x-token-source") && notes[0].contains("missing field `token`"), "{}", notes[0]);
    assert!(notes[1].contains("#/components/securitySchemes/project/x-token-source") && notes[1].contains("\"nope\""), "{}", notes[1]);
}

#[test]
fn bad_pagination_is_named() {
    let (api, notes) = check(&format!("{HEAD}paths:\n  /l:\n    get:\n      operationId: listL\n      x-pagination: {{style: cursor, items: /data}}\n      responses: {{'200': {{description: ok}}}}\n"));
    assert_eq!(api.operations[0].pagination, None);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("#/paths/~1l/get/x-pagination") && notes[0].contains("cursor_param"), "{}", notes[0]);
}

#[test]
fn rust_operation_table_carries_security() {
    let config = codegen::Config {
        spec_path: "spec.yaml".into(),
        package_version: None,
        rust: Some(codegen::rust::RustConfig { crate_name: "t".into(), dir: "t".into(), license: "MIT".into(), repository: None, shard_budget: None }),
        typescript: None,
        python: None,
    };
    let g = codegen::generate(&config, spec(SCHEMES).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let table = &g.files.iter().find(|f| f.path == "t/src/operations.rs").expect("operations.rs").contents;
    let squeezed: String = table.split_whitespace().collect();
    assert!(squeezed.contains("security:&[&[\"project\"],&[\"user\",\"key\"],&[]]"), "{table}");
    assert!(squeezed.contains("token_source:Some(TokenSource{operation:\"login\",token:\"/access_token\",expires_in:Some(\"/expires_in\"),})"), "{table}");
    assert!(squeezed.contains("SchemeKind::OAuth2{token_url:Some(\"https://a.example/token\"),}"), "{table}");
}
