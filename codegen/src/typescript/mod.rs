//! The TypeScript back end: an ESM package (`@interactor/sdk`) rendered
//! from the minijinja templates in `templates/typescript/`.

use crate::error::Result;
use crate::model::Api;
use crate::output::File;
use crate::report::Report;

/// How the package is named and where it goes.
#[derive(Debug, Clone)]
pub struct TsConfig {
    /// npm package name (`@interactor/sdk`).
    pub package: String,
    /// Output directory, relative to the workspace root.
    pub dir: String,
}

/// Generates the package's files.
pub fn generate(_api: &Api, _cfg: &TsConfig, _source: &str, _report: &mut Report) -> Result<Vec<File>> {
    Ok(Vec::new())
}
