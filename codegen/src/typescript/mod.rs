//! The TypeScript back end: an ESM package (`@interactor/sdk`) rendered
//! from the minijinja templates in `templates/typescript/`, plus the
//! hand-written runtime (`templates/typescript/runtime/*.ts`) copied in
//! verbatim under `src/runtime/` (smithy-rs "inlineable" style: the runtime
//! is ordinary code, tested on its own by `tests/typescript/`).
//!
//! Modules: [`names`] (reserved words, scopes, literals), [`docs`] (JSDoc
//! escaping), [`types`] (schemas → types), [`resources`] (operations →
//! resource classes). Templates and runtime files are embedded with
//! `include_str!`, so output depends on nothing but the model.
//!
//! Package layout: `package.json`, `tsconfig.json`, `README.md`,
//! `src/index.ts` (re-exports), `src/client.ts` (the client class),
//! `src/types.ts` (component schemas), `src/resources/<tag>.ts`,
//! `src/runtime/*.ts`. Every type name (components, per-operation params
//! and events, resource classes, the client) comes from one package-wide
//! scope that also reserves every name the runtime exports, so
//! `export *` in `index.ts` never meets two declarations of one name.

mod docs;
mod names;
mod resources;
mod types;

use std::collections::BTreeMap;

use minijinja::{Environment, context};

use crate::error::{Error, Result};
use crate::model::Api;
use crate::output::{File, header};
use crate::report::Report;

/// How the package is named and where it goes.
#[derive(Debug, Clone)]
pub struct TsConfig {
    /// npm package name (`@interactor/sdk`).
    pub package: String,
    /// Output directory, relative to the workspace root.
    pub dir: String,
}

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("package.json", include_str!("../../../templates/typescript/package.json.jinja")),
    ("tsconfig.json", include_str!("../../../templates/typescript/tsconfig.json.jinja")),
    ("README.md", include_str!("../../../templates/typescript/README.md.jinja")),
    ("index.ts", include_str!("../../../templates/typescript/index.ts.jinja")),
    ("client.ts", include_str!("../../../templates/typescript/client.ts.jinja")),
    ("resource.ts", include_str!("../../../templates/typescript/resource.ts.jinja")),
    ("types.ts", include_str!("../../../templates/typescript/types.ts.jinja")),
    ("operations.ts", include_str!("../../../templates/typescript/operations.ts.jinja")),
    ("webhooks.ts", include_str!("../../../templates/typescript/webhooks.ts.jinja")),
];

/// The hand-written runtime, copied into `src/runtime/`.
pub const RUNTIME: &[(&str, &str)] = &[
    ("client.ts", include_str!("../../../templates/typescript/runtime/client.ts")),
    ("errors.ts", include_str!("../../../templates/typescript/runtime/errors.ts")),
    ("form.ts", include_str!("../../../templates/typescript/runtime/form.ts")),
    ("index.ts", include_str!("../../../templates/typescript/runtime/index.ts")),
    ("path.ts", include_str!("../../../templates/typescript/runtime/path.ts")),
    ("query.ts", include_str!("../../../templates/typescript/runtime/query.ts")),
    ("redact.ts", include_str!("../../../templates/typescript/runtime/redact.ts")),
    ("retry.ts", include_str!("../../../templates/typescript/runtime/retry.ts")),
    ("sse.ts", include_str!("../../../templates/typescript/runtime/sse.ts")),
    ("token.ts", include_str!("../../../templates/typescript/runtime/token.ts")),
    ("webhook.ts", include_str!("../../../templates/typescript/runtime/webhook.ts")),
];

/// Every name the runtime exports (`export class|function|interface|type|const NAME`).
pub fn runtime_exports() -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in RUNTIME {
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("export ") else { continue };
            let rest = rest.trim_start_matches("abstract ").trim_start_matches("async ");
            let Some((kind, rest)) = rest.split_once(' ') else { continue };
            if !["class", "function", "interface", "type", "const"].contains(&kind) {
                continue;
            }
            let name: String = rest.trim_start_matches('*').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    // Values are code the generator already escaped for its context.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_keep_trailing_newline(true);
    for (name, text) in TEMPLATES {
        env.add_template(name, text).map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    Error::TsTemplate { name: format!("templates/typescript/{name}"), message: e.to_string() }
}

/// The client class name: the npm scope (`@interactor/sdk` → `Interactor`)
/// or the package name, in PascalCase.
fn client_class(package: &str) -> String {
    let base = match package.strip_prefix('@').and_then(|p| p.split_once('/')) {
        Some((scope, _)) => scope,
        None => package,
    };
    crate::naming::Case::Pascal.apply(base)
}

/// Generates the package's files.
pub fn generate(api: &Api, cfg: &TsConfig, source: &str, report: &mut Report) -> Result<Vec<File>> {
    let env = environment()?;
    let head = header(source, "//");
    let render = |name: &str, ctx: minijinja::Value| -> Result<String> {
        env.get_template(name).and_then(|t| t.render(ctx)).map_err(|e| template_error(name, &e))
    };

    // One scope for every exported type name.
    let mut type_names = names::types();
    for name in runtime_exports() {
        type_names.reserve(&name);
    }
    // Spec names first (they keep their names), then the generator's own.
    let component_names: BTreeMap<String, String> = api.schemas.keys().map(|k| (k.clone(), type_names.name(k))).collect();
    let client = type_names.fresh(&client_class(&cfg.package));
    let error_class = type_names.fresh(&format!("{client}Error"));
    let operation_info = type_names.fresh("OperationInfo");
    // `WebhookEvent` is often a spec schema (the union of payloads): the
    // decoded form is `DecodedWebhookEvent`, from `decodeWebhookEvent`.
    let webhook_event = type_names.fresh("DecodedWebhookEvent");
    let decode_webhook = "decodeWebhookEvent";

    let local = types::TypeCx { api, names: &component_names, prefix: "" };
    let mut type_decls = Vec::new();
    for (raw, schema) in &api.schemas {
        let name = &component_names[raw];
        let (description, deprecated) = match schema {
            openapiv3::ReferenceOr::Item(s) => (s.schema_data.description.as_deref(), s.schema_data.deprecated),
            openapiv3::ReferenceOr::Reference { .. } => (None, false),
        };
        let tags = if deprecated { vec!["@deprecated".to_owned()] } else { Vec::new() };
        let doc = docs::jsdoc(&[description], &tags, "");
        type_decls.push(format!("{doc}export type {name} = {};\n", local.of(schema, "")));
    }
    type_decls.push("export {};\n".to_owned());

    let prefixed = types::TypeCx { api, names: &component_names, prefix: "$T." };
    let mut properties = names::members();
    for member in names::BASE_CLIENT_MEMBERS {
        properties.reserve(member);
    }
    let resources = resources::resources(api, &prefixed, &mut type_names, &mut properties, report);

    let dir = cfg.dir.trim_end_matches('/');
    let mut files = Vec::new();
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let header_line = head.trim().trim_start_matches("//").trim().to_owned();
    let description = format!("TypeScript client for the {} (generated from its OpenAPI description)", api.title);
    files.push(File::new(
        format!("{dir}/package.json"),
        render(
            "package.json",
            context! {
                header_json => json(&header_line),
                package_json => json(&cfg.package),
                version_json => json(&api.package_version),
                description_json => json(&description),
                license_json => api.license.as_deref().map(json),
            },
        )?,
    ));
    files.push(File::new(format!("{dir}/tsconfig.json"), render("tsconfig.json", context! { header => head.clone() })?));
    files.push(File::new(
        format!("{dir}/README.md"),
        render(
            "README.md",
            context! {
                header_line => header_line.replace("--", "- -"),
                package => cfg.package.clone(),
                title_md => markdown_text(&api.title),
                version => api.package_version.clone(),
                client_class => client.clone(),
                resources => &resources,
            },
        )?,
    ));
    files.push(File::new(format!("{dir}/src/index.ts"), render("index.ts", context! { header => head.clone(), package => docs::escape(&cfg.package), error_class => error_class.clone(), resources => &resources })?));
    files.push(File::new(format!("{dir}/src/types.ts"), render("types.ts", context! { header => head.clone(), types => type_decls })?));

    let literal_list = |urls: Vec<&str>| urls.iter().map(|u| names::string_literal(u)).collect::<Vec<_>>().join(", ");
    let auth_servers: Vec<&str> = api.operations.iter().find(|o| !o.servers.is_empty()).map(|o| o.servers.iter().map(String::as_str).collect()).unwrap_or_default();
    let client_doc = docs::jsdoc(&[Some(&format!("Client of the {}, version {}.", api.title, api.version)), api.description.as_deref()], &[], "");
    files.push(File::new(
        format!("{dir}/src/client.ts"),
        render(
            "client.ts",
            context! {
                header => head.clone(),
                client_class => client.clone(),
                client_doc => client_doc,
                base_servers => literal_list(api.servers.iter().map(|s| s.url.as_str()).collect()),
                auth_servers => literal_list(auth_servers),
                user_agent => names::string_literal(&format!("{}/{} (typescript)", cfg.package, api.package_version)),
                resources => &resources,
            },
        )?,
    ));
    for r in &resources {
        files.push(File::new(format!("{dir}/src/resources/{}.ts", r.file), render("resource.ts", context! { header => head.clone(), r => r })?));
    }
    let rows: Vec<String> = resources.iter().flat_map(|r| r.rows.iter()).map(|row| format!("  {row},\n")).collect();
    files.push(File::new(format!("{dir}/src/operations.ts"), render("operations.ts", context! { header => head.clone(), info => operation_info, rows => rows.concat() })?));
    let mut members = String::new();
    let mut cases = String::new();
    for w in &api.webhooks {
        let ty = prefixed.of_opt(w.payload.as_ref(), "  ");
        let doc = docs::jsdoc(&[Some(&format!("`{}`", w.name)), w.summary.as_deref()], &[], "  ");
        members.push_str(&format!("{doc}  | {{ type: {}; payload: {ty} }}\n", names::string_literal(&w.name)));
        cases.push_str(&format!("    case {}:\n      return {{ type: event, payload: payload as {ty} }};\n", names::string_literal(&w.name)));
    }
    files.push(File::new(
        format!("{dir}/src/webhooks.ts"),
        render("webhooks.ts", context! { header => head.clone(), event_type => webhook_event, decode => decode_webhook, members => members, cases => cases })?,
    ));
    for (name, text) in RUNTIME {
        files.push(File::new(format!("{dir}/src/runtime/{name}"), format!("{head}{text}")));
    }
    Ok(files)
}

/// Text safe in Markdown prose (no HTML, no emphasis or code markers).
fn markdown_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '<' => "&lt;".chars().collect::<Vec<_>>(),
            '>' => "&gt;".chars().collect(),
            '&' => "&amp;".chars().collect(),
            '*' | '_' | '`' | '[' | ']' | '\\' | '|' => vec!['\\', c],
            '\n' | '\r' => vec![' '],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_exports_are_found() {
        let names = runtime_exports();
        for want in ["BaseClient", "RequestOptions", "APIError", "NotFoundError", "WebhookVerifier", "SseParser", "encodePathSegment", "parseEventData"] {
            assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
        }
    }

    /// Every name a file exports with `export (type|interface|class|function|const) NAME`.
    fn exported(files: &[File]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(".ts") && !f.path.ends_with("index.ts")) {
            for line in f.contents.lines() {
                let Some(rest) = line.strip_prefix("export ") else { continue };
                let Some((kind, rest)) = rest.trim_start_matches("async ").split_once(' ') else { continue };
                if ["type", "interface", "class", "function", "const"].contains(&kind) {
                    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
                    out.push((name, f.path.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn spec_names_never_meet_generator_or_runtime_names() {
        // Schemas and a tag named like the client, the runtime's exports and
        // the generator's own types.
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      tags: [Pet]
      responses: {'200': {description: ok}}
  /y/{id}:
    get:
      operationId: list
      tags: [Pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: q, in: query, schema: {type: string}}]
      responses: {'200': {description: ok}}
components:
  schemas:
    Acme: {type: string}
    WebhookEvent: {type: string}
    OperationInfo: {type: string}
    BaseClient: {type: string}
    RequestOptions: {type: string}
    Pet: {type: string}
    Pets: {type: string}
    ListParams: {type: string}
"#;
        let config = crate::Config {
            spec_path: "t.yaml".into(),
            package_version: None,
            rust: None,
            typescript: Some(TsConfig { package: "@acme/sdk".into(), dir: "out".into() }),
            python: None,
        };
        let generated = crate::generate(&config, spec.as_bytes()).expect("generate");
        let names = exported(&generated.files);
        let mut seen = std::collections::BTreeMap::new();
        for (name, path) in &names {
            if let Some(first) = seen.insert(name.clone(), path.clone()) {
                panic!("{name} exported by {first} and {path}");
            }
        }
        for want in ["Acme", "WebhookEvent", "OperationInfo", "BaseClient2", "RequestOptions2", "Pet", "Pet2", "Pets2", "Acme2", "DecodedWebhookEvent", "OperationInfo2", "ListParams"] {
            assert!(seen.contains_key(want), "{want} not exported: {names:?}");
        }
    }

    fn check(f: fn(&str) -> String, input: &str, expect: &str) {
        assert_eq!(f(input), expect, "{input:?}");
    }

    #[test]
    fn client_names_and_markdown() {
        check(client_class, "@interactor/sdk", "Interactor");
        check(client_class, "@snapshot/edge-cases", "Snapshot");
        check(client_class, "plain-pkg", "PlainPkg");
        check(markdown_text, "Hostile */ `tick` <b>", "Hostile \\*/ \\`tick\\` &lt;b&gt;");
    }
}
