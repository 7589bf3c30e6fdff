//! Suggested interventions per ADKAR element (rules.md §7): defaults, editable.

use crate::domain::adkar::Element;

/// Interventions suggested for each element, in A-D-K-A-R order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playbook {
    interventions: [Vec<String>; 5],
}

const DEFAULTS: [&[&str]; 5] = [
    &[
        "Sponsor message on why the change is happening",
        "Manager briefings on why now",
        "Explain the risk of not changing",
    ],
    &[
        "Address what's in it for me",
        "Listen to concerns and answer them",
        "Make the sponsor visible",
        "Manage resistance with managers",
    ],
    &[
        "Training on the new process and tools",
        "Job aids",
        "Show where to get help",
    ],
    &[
        "Coaching",
        "Practice time",
        "Floor support",
        "Remove blockers",
    ],
    &[
        "Recognition",
        "Measure adoption",
        "Manager follow-up",
        "Fix workarounds",
    ],
];

impl Default for Playbook {
    /// The defaults of rules §7.
    fn default() -> Playbook {
        Playbook {
            interventions: DEFAULTS.map(|items| items.iter().map(|s| (*s).to_owned()).collect()),
        }
    }
}

impl Playbook {
    /// A playbook from stored rows, kept in row order; blank entries are skipped.
    /// An element without rows has no suggestions.
    pub fn from_rows<I, S>(rows: I) -> Playbook
    where
        I: IntoIterator<Item = (Element, S)>,
        S: Into<String>,
    {
        let mut interventions: [Vec<String>; 5] = Default::default();
        for (element, text) in rows {
            let text: String = text.into();
            let trimmed = text.trim();
            if !trimmed.is_empty() {
                interventions[element.index()].push(trimmed.to_owned());
            }
        }
        Playbook { interventions }
    }

    /// The suggestions for one element.
    pub fn for_element(&self, element: Element) -> &[String] {
        &self.interventions[element.index()]
    }

    /// All entries as `(element, text)` rows, in A-D-K-A-R order: what
    /// `from_rows` takes back, e.g. to seed an editable copy.
    pub fn rows(&self) -> impl Iterator<Item = (Element, &str)> + '_ {
        Element::ALL.into_iter().flat_map(move |element| {
            self.interventions[element.index()]
                .iter()
                .map(move |text| (element, text.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Element::*;

    #[test]
    fn defaults_cover_every_element() {
        let playbook = Playbook::default();
        for element in Element::ALL {
            assert!(!playbook.for_element(element).is_empty(), "{element}");
        }
        assert_eq!(
            playbook.for_element(Awareness)[0],
            "Sponsor message on why the change is happening"
        );
        assert!(
            playbook
                .for_element(Ability)
                .iter()
                .any(|s| s == "Coaching")
        );
    }

    #[test]
    fn rows_round_trip_and_blank_rows_are_dropped() {
        let playbook = Playbook::default();
        assert_eq!(Playbook::from_rows(playbook.rows()), playbook);

        let edited = Playbook::from_rows([
            (Desire, " Town hall "),
            (Desire, "   "),
            (Awareness, "CEO video"),
            (Desire, "1:1s"),
        ]);
        assert_eq!(edited.for_element(Desire), ["Town hall", "1:1s"]);
        assert_eq!(edited.for_element(Awareness), ["CEO video"]);
        assert!(edited.for_element(Knowledge).is_empty());
    }
}
