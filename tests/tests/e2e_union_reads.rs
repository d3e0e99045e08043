//! Unions of objects read by what tells their kinds apart
//! (`rust::union_read`), in the Interactor's generated client.
//!
//! A workflow's `Condition` has no tag: its kinds are told apart by the
//! key each requires and no other does (`equals`, `not_equals`,
//! `operator`/`value`, `and`, `or`, `not`); its halting instructions by a
//! `type` value or a key. Its states and form fields have a tag (`type`). Either way, an object of a listed kind is read as
//! that kind, so one that does not fit is an error naming what is wrong;
//! only an object of no listed kind is `Unknown`, kept as it was sent.
//! Before, serde tried every branch and then `Unknown`, so a listed kind
//! with one bad field became `Unknown` without a word.

use interactor_api::hooks::Hooks;
use interactor_api::{Client, types};
use interactor_tests::loopback;
use serde_json::{Value, json};

fn condition(value: Value) -> Result<types::Condition, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_workflow_version_reads_its_conditions_by_their_keys() {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let transitions = json!([
        {"target": "vip", "condition": {"and": [
            {"field": "tier", "equals": "gold"},
            {"not": {"field": "region", "operator": "in", "value": ["eu", "uk"]}},
        ]}},
        // A kind of condition a newer server has.
        {"target": "corp", "condition": {"field": "email", "matches": ".*@corp"}},
        {"target": "done"},
    ]);
    let sent = json!({"data": {"version_id": "v1", "status": "published", "definition": {
        "name": "triage",
        "initial_state": "check",
        "states": {
            "check": {"type": "action", "logic": {"type": "http", "method": "GET", "url": "http://127.0.0.1/x"}, "transitions": transitions},
            "vip": {"type": "terminal"},
        },
    }}});
    let reply = loopback::json_reply("200 OK", &sent.to_string());
    let call = client.get_workflow_version().workflow_name("triage").version_id("v1");
    let (request, response) = tokio::join!(loopback::answer_once(&listener, &reply), call.send());
    assert_eq!(request.line(), "GET /workflows/triage/versions/v1 HTTP/1.1");
    let version = response.expect("a workflow version with a condition the spec does not list is read").into_inner().data;

    let Some(types::WorkflowStateDefinition::ActionState(check)) = version.definition.states.get("check") else {
        panic!("`type: action` is an action state: {:?}", version.definition.states)
    };
    let [vip, corp, done] = &check.transitions[..] else { panic!("{:?}", check.transitions) };
    let Some(types::Condition::AndCondition(and)) = &vip.condition else { panic!("{:?}", vip.condition) };
    let [types::Condition::FieldEqualsCondition(tier), types::Condition::NotCondition(not)] = &and.and[..] else { panic!("{:?}", and.and) };
    assert_eq!((tier.field.as_str(), &tier.equals), ("tier", &json!("gold")));
    let types::Condition::FieldOperatorCondition(region) = &not.not else { panic!("{:?}", not.not) };
    assert_eq!((region.field.as_str(), &region.operator, &region.value), ("region", &types::ConditionOperator::In, &json!(["eu", "uk"])));
    let Some(types::Condition::Unknown(newer)) = &corp.condition else { panic!("{:?}", corp.condition) };
    assert_eq!(newer.get("matches"), Some(&json!(".*@corp")));
    assert_eq!(done.condition, None);
    assert_eq!(serde_json::to_value(&check.transitions).expect("serializes"), transitions, "written back as they were read");
}

#[test]
fn a_condition_of_a_listed_kind_that_does_not_fit_is_an_error_naming_what_is_wrong() {
    // An `equals` makes it a field-equals condition, which needs `field`.
    assert_eq!(condition(json!({"equals": "gold"})).expect_err("no field"), "missing field `field`");
    assert_eq!(condition(json!({"field": 3, "not_equals": 1})).expect_err("field is a string"), "invalid type: integer `3`, expected a string");
    // Nested: the error is the inner condition's.
    assert_eq!(condition(json!({"and": [{"not": {"value": 1}}]})).expect_err("no field, no operator"), "missing field `field`");
    let wrong = condition(json!("tier == gold")).expect_err("a string is no condition");
    assert!(wrong.contains("expected a map"), "{wrong}");
}

#[test]
fn a_condition_of_no_listed_kind_is_kept_whole() {
    let operator = condition(json!({"field": "n", "operator": "between", "value": [1, 2]})).expect("a newer operator");
    let types::Condition::FieldOperatorCondition(between) = &operator else { panic!("{operator:?}") };
    assert_eq!(between.operator, types::ConditionOperator::Unknown("between".into()), "the operator enum is open");

    let none = json!({"field": "email", "like": "%@corp"});
    let read = condition(none.clone()).expect("a newer kind");
    assert_eq!(read, types::Condition::Unknown(none.as_object().expect("an object").clone()));
    assert_eq!(serde_json::to_value(&read).expect("serializes"), none, "written back as it was read");
}

#[test]
fn a_condition_with_a_field_a_newer_server_adds_is_read_as_its_kind() {
    // The spec closes each kind (`additionalProperties: false`); serde
    // told them apart by the keys each refused, so they stayed closed and
    // a condition with a new field was `Unknown`. Read by their keys,
    // they skip it, like every other struct.
    let newer = condition(json!({"field": "tier", "equals": "gold", "case_sensitive": false})).expect("a newer field");
    assert!(matches!(&newer, types::Condition::FieldEqualsCondition(eq) if eq.equals == json!("gold")), "{newer:?}");
    // The keys of two kinds: serde tries them in order, as it did.
    let both = condition(json!({"field": "tier", "equals": "gold", "not_equals": "silver"})).expect("read");
    assert!(matches!(&both, types::Condition::FieldEqualsCondition(_)), "{both:?}");
}

#[test]
fn a_form_field_is_read_as_the_kind_its_type_names() {
    let field: types::FormField = serde_json::from_value(json!({"type": "boolean", "name": "agree", "label": "I agree"})).expect("a boolean field");
    let types::FormField::BooleanFormField(agree) = &field else { panic!("{field:?}") };
    assert_eq!((agree.name.as_str(), agree.required), ("agree", false));
    // A listed `type` whose object does not fit: the boolean field's own
    // error, where serde's untagged derive said only "data did not match
    // any variant".
    let misfit = serde_json::from_value::<types::FormField>(json!({"type": "boolean", "name": "agree"})).expect_err("no label");
    assert_eq!(misfit.to_string(), "missing field `label`");
    // No kind without its tag.
    let untagged = serde_json::from_value::<types::FormField>(json!({"name": "agree", "label": "I agree"})).expect_err("no type");
    assert_eq!(untagged.to_string(), "missing field `type`");
    let numbered = serde_json::from_value::<types::FormField>(json!({"type": 1, "name": "agree", "label": "I agree"})).expect_err("a number");
    assert_eq!(numbered.to_string(), "expected a string `type`");
    let newer = json!({"type": "signature", "name": "sig"});
    let read: types::FormField = serde_json::from_value(newer.clone()).expect("a newer kind of field");
    assert!(matches!(&read, types::FormField::Unknown(object) if object.get("type") == Some(&json!("signature"))), "{read:?}");
}

#[test]
fn halting_instructions_are_told_apart_by_a_type_or_a_key() {
    // `ai` and `message` both require `type` and `config`; the shorthand
    // has no `type` but requires `instruction`. Each is marked by what it
    // alone requires: a `type` value, or the key.
    let read = |value: Value| serde_json::from_value::<types::HaltingInstructions>(value).map_err(|e| e.to_string());
    let ai = read(json!({"type": "ai", "config": {"prompt": "Ask for the order id"}})).expect("ai instructions");
    assert!(matches!(&ai, types::HaltingInstructions::AiHaltingInstructions(ai) if ai.config.prompt == "Ask for the order id"), "{ai:?}");
    let short = read(json!({"instruction": "Ask for the order id"})).expect("the shorthand");
    assert!(matches!(&short, types::HaltingInstructions::SimpleHaltingInstructions(s) if s.instruction == "Ask for the order id"), "{short:?}");
    assert_eq!(read(json!({"type": "ai", "config": {}})).expect_err("no prompt"), "missing field `prompt`");
    let newer = json!({"type": "form", "config": {"fields": []}});
    assert_eq!(read(newer.clone()), Ok(types::HaltingInstructions::Unknown(newer.as_object().expect("an object").clone())));
}
