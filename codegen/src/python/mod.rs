//! The Python back end: a package with async (`httpx.AsyncClient`) and sync
//! (`httpx.Client`) clients rendered from the minijinja templates in
//! `templates/python/`, plus the hand-written runtime (`templates/python/
//! runtime/*.py`) copied verbatim behind the generated-file header.
//!
//! Pieces: [`names`] (keywords, scopes, short method names), [`text`]
//! (string literals, docstrings, comments), [`types`] (schemas →
//! `models.py`), [`ops`] (operations → `resources.py`), [`webhooks`]
//! (webhook events → `webhooks.py`). Templates are
//! embedded with `include_str!`, so output depends only on the spec.

pub mod names;
pub mod ops;
pub mod text;
pub mod types;
pub mod webhooks;

use minijinja::{AutoEscape, Environment, context};

use crate::error::{Error, Result};
use crate::model::Api;
use crate::output::{File, header};
use crate::report::Report;

/// How the package is named and where it goes.
#[derive(Debug, Clone)]
pub struct PyConfig {
    /// Distribution name on PyPI (`interactor-sdk`).
    pub package: String,
    /// Import name (`interactor`).
    pub module: String,
    /// Output directory, relative to the workspace root.
    pub dir: String,
}

/// Templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("pyproject.toml", include_str!("../../../templates/python/pyproject.toml.j2")),
    ("README.md", include_str!("../../../templates/python/README.md.j2")),
    ("__init__.py", include_str!("../../../templates/python/__init__.py.j2")),
    ("_client.py", include_str!("../../../templates/python/_client.py.j2")),
    ("models.py", include_str!("../../../templates/python/models.py.j2")),
    ("resources.py", include_str!("../../../templates/python/resources.py.j2")),
    ("webhooks.py", include_str!("../../../templates/python/webhooks.py.j2")),
];

/// Runtime modules copied verbatim.
const RUNTIME: &[(&str, &str)] = &[
    ("_base_client.py", include_str!("../../../templates/python/runtime/_base_client.py")),
    ("_exceptions.py", include_str!("../../../templates/python/runtime/_exceptions.py")),
    ("_forms.py", include_str!("../../../templates/python/runtime/_forms.py")),
    ("_pagination.py", include_str!("../../../templates/python/runtime/_pagination.py")),
    ("_query.py", include_str!("../../../templates/python/runtime/_query.py")),
    ("_streaming.py", include_str!("../../../templates/python/runtime/_streaming.py")),
    ("_webhooks.py", include_str!("../../../templates/python/runtime/_webhooks.py")),
];

fn render(env: &Environment<'_>, name: &str, ctx: &minijinja::Value) -> Result<String> {
    let t = env.get_template(name).map_err(|e| template_error(name, &e))?;
    t.render(ctx).map_err(|e| template_error(name, &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    Error::Invalid {
        origin: format!("templates/python/{name}.j2"),
        pointer: String::new(),
        message: format!("template failed: {e:#}; this is a generator bug, please report it with the spec"),
    }
}

/// Generates the package's files.
pub fn generate(api: &Api, cfg: &PyConfig, source: &str, report: &mut Report) -> Result<Vec<File>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    for (name, src) in TEMPLATES {
        env.add_template(name, src).map_err(|e| template_error(name, &e))?;
    }
    let mut models = types::Models::new(&api.schemas, report);
    let (resources, ops) = ops::resources(api, &mut models, report);
    let events = webhooks::events(api, &mut models, report);
    let head = header(source, "#");
    let base_url = api.servers.first().map(|s| s.url.clone()).unwrap_or_else(|| "http://localhost".to_owned());
    let auth_url = api.operations.iter().find_map(|o| o.servers.first().cloned());
    let description = text::doc(Some(&api.title), api.description.as_deref());
    let operations = api.operations.len();
    let ctx = context! {
        header => head.trim_end(),
        package => cfg.package,
        package_literal => text::toml_string(&cfg.package),
        version_toml => text::toml_string(&api.package_version),
        module => cfg.module,
        version => api.package_version,
        version_literal => text::string(&api.package_version),
        summary_literal => text::toml_string(&format!("Python SDK for the {} (generated)", api.title.replace(['\n', '\r'], " "))),
        title => api.title.replace(['\n', '\r'], " "),
        title_doc => text::docstring(&api.title, ""),
        module_doc => text::docstring(&description, ""),
        base_url => text::string(&base_url),
        auth_url => auth_url.as_deref().map(text::string).unwrap_or_else(|| "None".to_owned()),
        user_agent => text::string(&format!("{}/{}", cfg.package, api.package_version)),
        resources => resources,
        ops => ops,
        defs => models.defs,
        events => events,
        operations => operations,
    };
    let dir = cfg.dir.trim_end_matches('/');
    let src = format!("{dir}/src/{}", cfg.module);
    let mut files = Vec::new();
    for (name, _) in TEMPLATES {
        let path = match *name {
            "pyproject.toml" | "README.md" => format!("{dir}/{name}"),
            _ => format!("{src}/{name}"),
        };
        let body = render(&env, name, &ctx)?;
        let contents = if *name == "README.md" {
            format!("<!-- {} -->\n{body}", header(source, "").trim())
        } else {
            format!("{head}{body}")
        };
        files.push(File::new(path, contents));
    }
    for (name, body) in RUNTIME {
        files.push(File::new(format!("{src}/{name}"), format!("{head}{body}")));
    }
    files.push(File::new(format!("{src}/py.typed"), head.trim_end().to_owned() + "\n"));
    Ok(files)
}
