//! Checks a real response against the OpenAPI document: the status, content type and
//! headers it declares, and the body against the schema (the JSON Schema keywords the
//! document uses, strictly; `format` and `pattern` are not checked).

use serde_json::Value;

/// Follows `#/components/...` references.
fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(target) = node["$ref"].as_str() {
        let pointer = target.strip_prefix('#').expect("local $ref");
        node = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling {target}"));
    }
    node
}

fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        other => panic!("unknown type {other}"),
    }
}

/// Every way `value` breaks `schema`, as "path: problem".
pub fn violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut out = Vec::new();
    let mut fail = |msg: String| out.push(format!("{at}: {msg}"));
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|o| violations(doc, o, value, at).is_empty())
            .count();
        if matching != 1 {
            fail(format!("matches {matching} of oneOf: {value}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.iter().any(|t| has_type(value, t)) {
        fail(format!("{value} is not {types:?}"));
        return out;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            fail(format!("{value} not in {allowed:?}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|min| n < min) {
            fail(format!("{n} below minimum"));
        }
        if schema["maximum"].as_f64().is_some_and(|max| n > max) {
            fail(format!("{n} above maximum"));
        }
    }
    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        if schema["maxLength"].as_u64().is_some_and(|max| len > max) {
            fail("too long".into());
        }
        if schema["minLength"].as_u64().is_some_and(|min| len < min) {
            fail("too short".into());
        }
    }
    if let Some(items) = value.as_array() {
        if !schema["items"].is_null() {
            for (i, item) in items.iter().enumerate() {
                out.extend(violations(
                    doc,
                    &schema["items"],
                    item,
                    &format!("{at}[{i}]"),
                ));
            }
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().expect("required name");
            if !object.contains_key(name) {
                out.push(format!("{at}: missing required {name}"));
            }
        }
        let properties = schema["properties"].as_object();
        for (key, field) in object {
            let here = format!("{at}.{key}");
            if !schema["propertyNames"].is_null() {
                out.extend(violations(
                    doc,
                    &schema["propertyNames"],
                    &Value::from(key.as_str()),
                    &here,
                ));
            }
            match properties.and_then(|p| p.get(key)) {
                Some(property) => out.extend(violations(doc, property, field, &here)),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => out.push(format!("{here}: not allowed")),
                    Value::Object(_) => out.extend(violations(
                        doc,
                        &schema["additionalProperties"],
                        field,
                        &here,
                    )),
                    _ if properties.is_some() => out.push(format!("{here}: undocumented")),
                    _ => {}
                },
            }
        }
    }
    out
}

/// Checks a response to `method path` (the document's path template) and returns its JSON
/// body (`Null` for a non-JSON body); panics listing every mismatch.
pub async fn check(doc: &Value, method: &str, path: &str, response: reqwest::Response) -> Value {
    let status = response.status().as_u16().to_string();
    let operation = &doc["paths"][path][method.to_lowercase()];
    assert!(operation.is_object(), "{method} {path} is not documented");
    let declared = resolve(doc, &operation["responses"][&status]);
    assert!(
        declared.is_object(),
        "{method} {path} answered {status}, which the document does not declare"
    );
    for (name, _) in declared["headers"].as_object().into_iter().flatten() {
        assert!(
            response.headers().contains_key(name.as_str()),
            "{method} {path} {status}: no {name}"
        );
    }
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let body = response.text().await.expect("body");
    let content = &declared["content"][&media];
    assert!(
        content.is_object(),
        "{method} {path} {status}: {media} is not declared ({body})"
    );
    if media != "application/json" {
        return Value::Null;
    }
    let json: Value = serde_json::from_str(&body).expect("JSON body");
    let problems = violations(doc, &content["schema"], &json, "body");
    assert!(
        problems.is_empty(),
        "{method} {path} {status}: {problems:#?}\n{json:#}"
    );
    json
}

#[test]
fn the_check_is_strict() {
    let doc = serde_json::json!({"components": {"schemas": {"T": {
        "type": "object", "required": ["id", "note"],
        "properties": {"id": {"type": "integer"}, "note": {"type": ["string", "null"]},
            "kind": {"type": "string", "enum": ["a"]}},
    }}}});
    let schema = serde_json::json!({"$ref": "#/components/schemas/T"});
    let check = |v: Value| violations(&doc, &schema, &v, "body");
    assert!(check(serde_json::json!({"id": 1, "note": null, "kind": "a"})).is_empty());
    assert_eq!(
        check(serde_json::json!({"id": 1})).len(),
        1,
        "missing required"
    );
    assert_eq!(
        check(serde_json::json!({"id": "1", "note": "x"})).len(),
        1,
        "wrong type"
    );
    assert_eq!(
        check(serde_json::json!({"id": 1.5, "note": "x"})).len(),
        1,
        "not integer"
    );
    assert_eq!(
        check(serde_json::json!({"id": 1, "note": "x", "kind": "b"})).len(),
        1,
        "enum"
    );
    assert_eq!(
        check(serde_json::json!({"id": 1, "note": "x", "extra": 0})).len(),
        1,
        "extra"
    );
}
