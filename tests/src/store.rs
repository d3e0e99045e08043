//! In-memory resources, by namespace. Each resource is kept as the JSON
//! object the API returns for it, in creation order.
//!
//! **Architecture Invariant**: a namespace sees only its own resources; a
//! resource of another namespace is indistinguishable from a missing one.

use std::collections::HashMap;

use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub(crate) struct Store {
    namespaces: HashMap<String, Namespace>,
}

impl Store {
    /// The namespace `name`, created empty on first use.
    pub fn ns(&mut self, name: &str) -> &mut Namespace {
        self.namespaces.entry(name.to_string()).or_default()
    }
}

#[derive(Debug, Default)]
pub(crate) struct Namespace {
    pub assistants: Collection,
    pub rooms: Collection,
    pub messages: Collection,
}

/// Resources of one kind, in creation order, each with a string `id`.
#[derive(Debug, Default)]
pub(crate) struct Collection {
    items: Vec<Map<String, Value>>,
}

pub(crate) type Resource = Map<String, Value>;

impl Collection {
    pub fn insert(&mut self, item: Resource) {
        self.items.push(item);
    }

    pub fn get(&self, id: &str) -> Option<&Resource> {
        self.items.iter().find(|r| has_id(r, id))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Resource> {
        self.items.iter_mut().find(|r| has_id(r, id))
    }

    pub fn remove(&mut self, id: &str) -> Option<Resource> {
        let index = self.items.iter().position(|r| has_id(r, id))?;
        Some(self.items.remove(index))
    }

    /// Keeps the resources for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Resource) -> bool) {
        self.items.retain(keep);
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Resource> {
        self.items.iter()
    }
}

fn has_id(r: &Resource, id: &str) -> bool {
    r.get("id").and_then(Value::as_str) == Some(id)
}
