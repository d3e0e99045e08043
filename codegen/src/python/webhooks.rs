//! Webhook events → `webhooks.py`: one `TypedDict` per event the spec's
//! `webhooks` section documents (`type` the `Literal` of its name,
//! `payload` the type of its body), their union `WebhookEvent` with
//! `UnknownWebhookEvent` for events the spec does not list (yet), and
//! `decode_webhook_event(verified)`. The event is named by the body's
//! `event` (or `type`) field, else the delivery's event header: the same
//! rule as the TypeScript package's `decodeWebhookEvent`.

use serde::Serialize;

use super::names;
use super::text;
use super::types::{Models, Style};
use crate::model::Api;
use crate::naming::Case;
use crate::report::Report;

/// One documented event.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Its `TypedDict`'s name.
    pub class: String,
    /// Its name as a Python string literal.
    pub literal: String,
    /// The payload's type (models as `_m.X`).
    pub payload: String,
    /// The same as a string literal, for `typing.cast`.
    pub payload_literal: String,
    /// Docstring body.
    pub doc: String,
}

/// The events of `api`, their payload types defined in `models`. Class
/// names (`<Name>Webhook`) differ from every model's, so a star import of
/// both modules never shadows one.
pub fn events(api: &Api, models: &mut Models<'_>, report: &mut Report) -> Vec<Event> {
    let style = Style { prefix: "_m.", quote: false };
    let payloads: Vec<String> = api
        .webhooks
        .iter()
        .map(|w| match &w.payload {
            Some(s) => models.expr_hinted(s, style, &format!("{}Payload", Case::Pascal.apply(&w.name)), &crate::pointer::join(["webhooks", &w.name]), report),
            None => "_t.Any".to_owned(),
        })
        .collect();
    let mut classes = names::types();
    for taken in ["WebhookEvent", "UnknownWebhookEvent", "Verified"].into_iter().chain(models.defs.iter().map(|d| d.name.as_str())) {
        classes.reserve(taken);
    }
    api.webhooks
        .iter()
        .zip(payloads)
        .map(|(w, payload)| {
            let doc = text::doc(Some(&format!("The `{}` webhook event.", w.name)), w.summary.as_deref());
            Event {
                class: classes.name(&format!("{} webhook", w.name)),
                literal: text::string(&w.name),
                payload_literal: text::string(&payload),
                payload,
                doc: text::docstring(&doc, "    "),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_class_per_event_with_its_payload() {
        let spec = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  pet.added:
    post:
      summary: A pet "arrived"
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses: {'200': {description: ok}}
  pet.added.webhook:
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    PetAddedWebhook: {type: string}
"#;
        let mut report = Report::default();
        let api = crate::analyze("t.yaml", spec.as_bytes(), &mut report).expect("spec").2;
        let mut models = Models::new(&api.schemas, &mut report);
        let events = events(&api, &mut models, &mut report);
        let got: Vec<(&str, &str, &str)> = events.iter().map(|e| (e.class.as_str(), e.literal.as_str(), e.payload.as_str())).collect();
        // Class names never meet a model's (`PetAddedWebhook` is one); an
        // inline payload becomes a model.
        assert_eq!(got, [("PetAddedWebhook2", "\"pet.added\"", "_m.Pet"), ("PetAddedWebhookWebhook", "\"pet.added.webhook\"", "_m.PetAddedWebhookPayload")]);
        assert_eq!(events[0].payload_literal, "\"_m.Pet\"");
        assert!(events[0].doc.contains("A pet \\\"arrived\\\""), "{}", events[0].doc);
        assert!(models.defs.iter().any(|d| d.name == "PetAddedWebhookPayload"));
    }
}
