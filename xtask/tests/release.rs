//! `cargo xtask release` on scratch copies of a workspace: the bump follows
//! the diff (major for the breaking fixture pair, minor for a new
//! operation, patch otherwise), the version reaches sdk.toml, the generated
//! crate and the overlay's requirement, the spec is recorded in the
//! history, the CHANGELOG lists breaking changes first; a second run
//! changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

const SDK_TOML: &str = "# the manifest\n[[api]]\nname = \"gadgets\"\n# the spec\nspec = \"spec/openapi.yaml\"\n\n[api.rust]\ncrate = \"gadgets-api\"\ndir = \"generated/gadgets-api\"\n";
const OVERLAY: &str = "[package]\nname = \"overlay\"\n\n[dependencies]\ngadgets-api = { path = \"../generated/gadgets-api\", version = \"1.0.0\" }\n";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/breaking").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A workspace whose last release (1.0.0) is `old` and whose spec is `new`.
fn workspace(tag: &str, old: &str, new: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("xtask-release-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(dir.join("spec/history/1.0.0")).unwrap();
    std::fs::create_dir_all(dir.join("overlay")).unwrap();
    std::fs::write(dir.join("sdk.toml"), SDK_TOML).unwrap();
    std::fs::write(dir.join("overlay/Cargo.toml"), OVERLAY).unwrap();
    std::fs::write(dir.join("spec/history/1.0.0/openapi.yaml"), old).unwrap();
    std::fs::write(dir.join("spec/openapi.yaml"), new).unwrap();
    dir
}

fn release(root: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("release").args(args).env("SDK_WORKSPACE_ROOT", root).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "release {args:?} failed:\n{text}");
    text
}

fn read(root: &Path, p: &str) -> String {
    std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn a_breaking_change_is_a_major_release_written_once() {
    let root = workspace("major", &fixture("old.yaml"), &fixture("new.yaml"));

    let dry = release(&root, &["--dry-run"]);
    assert!(dry.contains("gadgets: 1.0.0 → 2.0.0 (major release"), "{dry}");
    assert!(dry.contains("### Breaking changes"), "{dry}");
    assert!(!root.join("CHANGELOG.md").exists() && !root.join("spec/history/2.0.0").exists(), "a dry run writes nothing");
    assert_eq!(read(&root, "sdk.toml"), SDK_TOML);

    let out = release(&root, &[]);
    assert!(out.contains("released 2.0.0"), "{out}");
    assert!(read(&root, "sdk.toml").contains("name = \"gadgets\"\n# The SDK version: written by `cargo xtask release`.\nversion = \"2.0.0\"\n# the spec\n"));
    assert!(read(&root, "generated/gadgets-api/Cargo.toml").contains("\nversion = \"2.0.0\"\n"));
    assert!(read(&root, "overlay/Cargo.toml").contains("gadgets-api = { path = \"../generated/gadgets-api\", version = \"2.0.0\" }"));
    assert_eq!(read(&root, "spec/history/2.0.0/openapi.yaml"), fixture("new.yaml"));
    let changelog = read(&root, "CHANGELOG.md");
    let at = |s: &str| changelog.find(s).unwrap_or_else(|| panic!("{s:?} not in\n{changelog}"));
    assert!(changelog.starts_with("# Changelog\n"));
    assert!(at("## 2.0.0") < at("### Breaking changes"));
    assert!(at("### Breaking changes") < at("(`operation-id-renamed`)"));
    assert!(at("(`api-removed-without-deprecation`)") < at("### Additions"));
    assert!(at("### Additions") < at("(`endpoint-added`)"));
    assert!(at("(`endpoint-added`)") < at("### Other changes"));

    // Idempotent: the spec is now the last release.
    let files = ["sdk.toml", "CHANGELOG.md", "overlay/Cargo.toml", "generated/gadgets-api/Cargo.toml"].map(|f| read(&root, f));
    let again = release(&root, &[]);
    assert!(again.contains("nothing to release"), "{again}");
    assert_eq!(["sdk.toml", "CHANGELOG.md", "overlay/Cargo.toml", "generated/gadgets-api/Cargo.toml"].map(|f| read(&root, f)), files);
    assert!(!root.join("spec/history/3.0.0").exists());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_new_operation_is_minor_and_a_description_change_patch() {
    let old = "openapi: 3.0.3\ninfo: {title: g, version: '1.0.0'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      description: one\n      responses: {'204': {description: ok}}\n";
    let minor = format!("{old}  /b:\n    get:\n      operationId: getB\n      responses: {{'204': {{description: ok}}}}\n");
    let root = workspace("minor", old, &minor);
    let out = release(&root, &[]);
    assert!(out.contains("1.0.0 → 1.1.0 (minor release"), "{out}");
    assert!(read(&root, "CHANGELOG.md").contains("### Additions\n\n- `GET /b`: endpoint GET /b added (`endpoint-added`)"));

    // Then a patch on top: only a description changes.
    std::fs::write(root.join("spec/openapi.yaml"), minor.replace("description: one", "description: two")).unwrap();
    let out = release(&root, &[]);
    assert!(out.contains("1.1.0 → 1.1.1 (patch release"), "{out}");
    let changelog = read(&root, "CHANGELOG.md");
    assert!(changelog.find("## 1.1.1") < changelog.find("## 1.1.0"), "{changelog}");
    let _ = std::fs::remove_dir_all(&root);
}
