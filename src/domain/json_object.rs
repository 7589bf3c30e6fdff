//! JSON request bodies that must be objects. serde also builds a struct from an array of
//! its fields in order (`["name"]`), which the OpenAPI document (and any reader) would not
//! expect: [`JsonObject`] takes a body only when it is a JSON object.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// `T` read from a JSON object only.
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JsonObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Straight from the object's entries, without building a `serde_json::Value` first.
        struct ObjectOnly<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOnly<T> {
            type Value = JsonObject<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(JsonObject)
            }
        }
        deserializer.deserialize_map(ObjectOnly(PhantomData))
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
