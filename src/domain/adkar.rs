//! The five ADKAR elements, always in A-D-K-A-R order (rules.md §1).

use serde::{Deserialize, Serialize};

/// One ADKAR element.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Element {
    /// Why the change is happening, why now, the risk of not changing.
    Awareness,
    /// Personal wish to take part and support it.
    Desire,
    /// Knowing how to change: process, tools, role.
    Knowledge,
    /// Being able to do it day to day.
    Ability,
    /// What makes it stick.
    Reinforcement,
}

impl Element {
    /// All five, in A-D-K-A-R order.
    pub const ALL: [Element; 5] = [
        Element::Awareness,
        Element::Desire,
        Element::Knowledge,
        Element::Ability,
        Element::Reinforcement,
    ];

    /// Position in A-D-K-A-R order (0..5).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The element at `index` in A-D-K-A-R order.
    pub fn from_index(index: usize) -> Option<Element> {
        Element::ALL.get(index).copied()
    }

    /// Lower-case name used in the database, the API and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Element::Awareness => "awareness",
            Element::Desire => "desire",
            Element::Knowledge => "knowledge",
            Element::Ability => "ability",
            Element::Reinforcement => "reinforcement",
        }
    }

    /// Capitalised name for pages.
    pub fn label(self) -> &'static str {
        match self {
            Element::Awareness => "Awareness",
            Element::Desire => "Desire",
            Element::Knowledge => "Knowledge",
            Element::Ability => "Ability",
            Element::Reinforcement => "Reinforcement",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(s: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl std::fmt::Display for Element {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_adkar_order_and_round_trip() {
        let names: Vec<_> = Element::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(
            names,
            [
                "awareness",
                "desire",
                "knowledge",
                "ability",
                "reinforcement"
            ]
        );
        for (i, e) in Element::ALL.into_iter().enumerate() {
            assert_eq!(e.index(), i);
            assert_eq!(Element::from_index(i), Some(e));
            assert_eq!(Element::parse(e.as_str()), Some(e));
        }
        assert_eq!(Element::parse("Awareness"), None);
    }
}
