//! A request body the Rust engine would drop, offered as a method of its own.
//!
//! progenitor sends one request media type per operation, and the engine
//! keeps the best it can encode (JSON first). Where the spec takes another
//! schema in another media type, that is more than a second encoding: OpenAI's
//! `/images/edits` takes image ids as JSON or the image files themselves as
//! `multipart/form-data`. Each such media type becomes a sibling operation
//! on the engine's copy, `<id>_multipart` (or `_form`, `_binary`), whose one
//! body is that media type, so `create_image_edit_multipart()` uploads the
//! files. A sibling has the operation's path and method; its path key carries
//! [`MARK`] (the JSON object of paths cannot hold one method twice), which
//! `rust::post` removes from the generated code again.
//!
//! Another media type of the same schema (petstore's XML and form beside
//! JSON) adds nothing and gets no sibling, except multipart with files in
//! it: OpenAI's container files take one schema, `{file_id, file}`, in
//! JSON and multipart, and only multipart carries the file.

use serde_json::{Map, Value};

use super::engine::{Files, IdAllocator, METHODS, chosen_media_type, files, media_rank};
use super::walk::resolve;
use crate::pointer;
use crate::report::{Report, Severity};

/// Ends a sibling's path key: `/images/edits#sdk-body-multipart`.
pub const MARK: &str = "#sdk-body-";

/// An operation made of another operation's body in another media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sibling {
    /// Its operation id (`createImageEdit_multipart`).
    pub id: String,
    /// The id of the operation it is made from.
    pub of: String,
    /// The one media type of its body.
    pub media_type: String,
}

/// Adds the siblings to `doc`'s paths and moves their media types out of
/// their operations' bodies.
pub fn add(doc: &mut Value, components: &Value, report: &mut Report) -> Vec<Sibling> {
    let mut siblings = Vec::new();
    let mut new_paths: Vec<(String, String, Value)> = Vec::new();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return siblings };
    let mut taken = IdAllocator::default();
    for item in paths.values() {
        for op in METHODS.iter().filter_map(|m| item.get(*m)) {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                taken.take(id);
            }
        }
    }
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else { continue };
            let Some(Value::Object(content)) = op.get("requestBody").and_then(|b| b.get("content")) else { continue };
            if content.len() < 2 {
                continue;
            }
            let Some((chosen, chosen_rank)) = chosen_media_type(content) else { continue };
            let schema_of = |mt: &str| content.get(mt).and_then(|m| m.get("schema")).map(|s| resolve(s, components));
            let mut ranks_taken = vec![chosen_rank];
            let mut moved: Vec<(String, &'static str)> = Vec::new();
            for mt in content.keys() {
                let Some(rank) = media_rank(mt) else { continue };
                // Text and `*/*` add no schema of their own; one sibling per
                // kind of encoding.
                let suffix = match rank {
                    1 => "form",
                    2 => "multipart",
                    3 if !mt.starts_with("*/*") => "binary",
                    _ => continue,
                };
                // Files are sent only as parts: a multipart body with files
                // adds them even where its schema is the chosen one's.
                let sends_files = rank == 2 && schema_of(mt).flatten().is_some_and(|s| files(s, components) == Files::Sent);
                if ranks_taken.contains(&rank) || (schema_of(mt) == schema_of(&chosen) && !sends_files) {
                    continue;
                }
                ranks_taken.push(rank);
                moved.push((mt.clone(), suffix));
            }
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
            for (mt, suffix) in moved {
                let Some(Value::Object(content)) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")) else { break };
                let Some(media) = content.remove(&mt) else { continue };
                let mut sibling = op.clone();
                let sibling_id = taken.take(&format!("{id}_{suffix}"));
                sibling.insert("operationId".into(), Value::String(sibling_id.clone()));
                if let Some(Value::Object(body)) = sibling.get_mut("requestBody") {
                    body.insert("content".into(), Value::Object(Map::from_iter([(mt.clone(), media)])));
                }
                let ptr = pointer::join(["paths", path.as_str(), method, "requestBody", "content", mt.as_str()]);
                report.add(Severity::Rewrite, ptr, format!("the SDKs send {mt} with a method of its own, operation `{sibling_id}`"));
                new_paths.push((format!("{path}{MARK}{suffix}"), (*method).to_owned(), Value::Object(sibling)));
                siblings.push(Sibling { id: sibling_id, of: id.clone(), media_type: mt });
            }
        }
    }
    for (path, method, op) in new_paths {
        if let Value::Object(item) = paths.entry(path).or_insert_with(|| Value::Object(Map::new())) {
            item.insert(method, op);
        }
    }
    siblings
}

/// `text` without the [`MARK`]s in it (each to the end of its word).
pub fn unmark(text: &str) -> Option<String> {
    if !text.contains(MARK) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let word = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
        rest = &after[word..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn other_schemas_get_a_sibling_and_other_encodings_do_not() {
        let mut doc = json!({
            "paths": {
                "/images/edits": {"post": {"operationId": "createImageEdit", "responses": {}, "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ById"}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {"image": {"type": "string", "format": "binary"}}}},
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/ById"}},
                    "application/xml": {"schema": {"type": "object"}},
                    "text/plain": {"schema": {"type": "string"}},
                }}}},
                "/pets": {"put": {"operationId": "updatePet", "responses": {}, "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ById"}},
                    "application/xml": {"schema": {"$ref": "#/components/schemas/ById"}},
                }}}},
                "/taken": {"get": {"operationId": "createImageEdit_multipart", "responses": {}}},
                // One schema in both, with a file only multipart carries.
                "/files": {"post": {"operationId": "upload", "responses": {}, "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Upload"}},
                    "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}},
                }}}},
                // A file or text inside a `oneOf`: the SDK cannot send it as parts.
                "/skills": {"post": {"operationId": "createSkill", "responses": {}, "requestBody": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Skill"}},
                    "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Skill"}},
                }}}},
            },
            "components": {"schemas": {
                "ById": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Upload": {"type": "object", "properties": {"file_id": {"type": "string"}, "file": {"type": "string", "format": "binary"}}},
                "Skill": {"type": "object", "properties": {"files": {"oneOf": [{"type": "string", "format": "binary"}, {"type": "string", "format": "uri"}]}}},
            }},
        });
        let components = doc["components"]["schemas"].clone();
        let mut report = crate::report::Report::default();
        let siblings = super::add(&mut doc, &components, &mut report);
        let sibling = |id: &str, of: &str| super::Sibling { id: id.into(), of: of.into(), media_type: "multipart/form-data".into() };
        assert_eq!(siblings, [sibling("createImageEdit_multipart_2", "createImageEdit"), sibling("upload_multipart", "upload")]);
        assert_eq!(doc["paths"]["/skills"]["post"]["requestBody"]["content"].as_object().map(|c| c.len()), Some(2), "files it cannot send: no sibling");
        let edits = &doc["paths"]["/images/edits"]["post"]["requestBody"]["content"];
        assert!(edits.get("multipart/form-data").is_none() && edits.get("application/json").is_some(), "{edits}");
        let sibling = &doc["paths"]["/images/edits#sdk-body-multipart"]["post"];
        assert_eq!(sibling["operationId"], "createImageEdit_multipart_2");
        assert_eq!(sibling["requestBody"]["content"].as_object().map(|c| c.keys().cloned().collect::<Vec<_>>()), Some(vec!["multipart/form-data".to_owned()]));
        assert_eq!(doc["paths"]["/pets"]["put"]["requestBody"]["content"].as_object().map(|c| c.len()), Some(2), "XML of the same schema: no sibling");
        let pointers: Vec<&str> = report.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/~1images~1edits/post/requestBody/content/multipart~1form-data", "#/paths/~1files/post/requestBody/content/multipart~1form-data"]);
    }

    #[test]
    fn marks_are_removed_to_the_end_of_their_word() {
        assert_eq!(super::unmark("{}/images/edits#sdk-body-multipart").as_deref(), Some("{}/images/edits"));
        assert_eq!(super::unmark("Sends a `POST` request to `/a/{id}#sdk-body-binary`\n").as_deref(), Some("Sends a `POST` request to `/a/{id}`\n"));
        assert_eq!(super::unmark("/a#b"), None);
    }
}
