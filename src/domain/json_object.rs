//! JSON request bodies that must be objects. serde also builds a struct from an array of
//! its fields in order (`["name"]`), which the OpenAPI document (and any reader) would not
//! expect: [`JsonObject`] takes a body only when it is a JSON object.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// `T` read from a JSON object only.
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for JsonObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = Map::<String, Value>::deserialize(deserializer)?;
        T::deserialize(Value::Object(object))
            .map(JsonObject)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Named {
        name: String,
    }

    #[test]
    fn only_objects_are_read() {
        let named: JsonObject<Named> = serde_json::from_str(r#"{"name": "x"}"#).expect("object");
        assert_eq!(named.0.name, "x");
        assert!(serde_json::from_str::<JsonObject<Named>>(r#"["x"]"#).is_err());
        assert!(
            serde_json::from_str::<Named>(r#"["x"]"#).is_ok(),
            "what serde alone does"
        );
        assert!(serde_json::from_str::<JsonObject<Named>>(r#"{"name": 1}"#).is_err());
        assert!(serde_json::from_str::<JsonObject<Named>>(r#"{"x": "y"}"#).is_err());
    }
}
