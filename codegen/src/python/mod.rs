//! The Python back end: a package with async (httpx) and sync clients
//! rendered from the minijinja templates in `templates/python/`.

use crate::error::Result;
use crate::model::Api;
use crate::output::File;
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

/// Generates the package's files.
pub fn generate(_api: &Api, _cfg: &PyConfig, _source: &str, _report: &mut Report) -> Result<Vec<File>> {
    Ok(Vec::new())
}
