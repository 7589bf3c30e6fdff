//! Whole numbers in JSON bodies as JSON Schema reads them: `2.0` is the integer 2. Some
//! encoders and schema-driven clients write whole numbers that way, and the OpenAPI
//! document calls these fields `integer`, so rejecting `2.0` would refuse a valid body.
//! Use with `#[serde(default, deserialize_with = "...")]`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// One JSON integer: `2` or `2.0`, within `i64`.
struct Int(i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor;

        impl Visitor<'_> for IntVisitor {
            type Value = Int;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                i64::try_from(v)
                    .map(Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
                // ±2^63 is exactly representable, so the range test is exact.
                let whole = v.fract() == 0.0 && v >= -(2f64.powi(63)) && v < 2f64.powi(63);
                if whole {
                    Ok(Int(v as i64))
                } else {
                    Err(E::invalid_type(de::Unexpected::Float(v), &self))
                }
            }
        }

        deserializer.deserialize_any(IntVisitor)
    }
}

/// An optional integer (absent or null: `None`).
pub fn option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<Int>::deserialize(deserializer)?.map(|i| i.0))
}

/// An optional list of integers.
pub fn option_vec<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<i64>>, D::Error> {
    let list = Option::<Vec<Int>>::deserialize(deserializer)?;
    Ok(list.map(|l| l.into_iter().map(|i| i.0).collect()))
}

/// A map of optional integers, e.g. question id → answer or null.
pub fn option_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Option<i64>>, D::Error> {
    let map = BTreeMap::<String, Option<Int>>::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.map(|i| i.0))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Body {
        #[serde(default, deserialize_with = "option")]
        one: Option<i64>,
        #[serde(default, deserialize_with = "option_vec")]
        many: Option<Vec<i64>>,
        #[serde(default, deserialize_with = "option_map")]
        map: BTreeMap<String, Option<i64>>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn whole_floats_are_integers_and_fractions_are_not() {
        let body = parse(r#"{"one": 2.0, "many": [1, 3.0], "map": {"7": 5.0, "8": null}}"#)
            .expect("whole numbers");
        assert_eq!(body.one, Some(2));
        assert_eq!(body.many, Some(vec![1, 3]));
        assert_eq!(body.map["7"], Some(5));
        assert_eq!(body.map["8"], None);
        assert!(parse(r#"{"one": 2.5}"#).is_err());
        assert!(parse(r#"{"one": "2"}"#).is_err());
        assert!(parse(r#"{"one": 1e300}"#).is_err());
        assert!(parse(r#"{"one": 18446744073709551615}"#).is_err());
    }

    #[test]
    fn absent_and_null_are_none() {
        let body = parse(r#"{"one": null, "many": null}"#).expect("nulls");
        assert_eq!((body.one, body.many), (None, None));
        let body = parse("{}").expect("empty");
        assert!(body.map.is_empty());
    }
}
