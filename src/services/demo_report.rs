//! What removing the demo reports.

/// What [`remove_demo`] deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RemovedSummary {
    /// Demo initiatives, with their waves, invitations, responses, figures and emails.
    pub initiatives: usize,
    /// Demo staff accounts.
    pub accounts: usize,
    /// Demo people.
    pub people: usize,
    /// Demo people kept (deactivated) because another initiative's wave invited them.
    pub people_kept: usize,
    /// Teams under `Demo Corp`.
    pub teams: usize,
}

impl RemovedSummary {
    /// The text `changeready demo --remove` prints.
    pub fn report(&self) -> String {
        let (initiatives, accounts, kept) = (self.initiatives, self.accounts, self.people_kept);
        let kept = match kept {
            0 => String::new(),
            n => format!(" {n} people in other initiatives' waves were deactivated instead."),
        };
        format!(
            "Removed the demo data: {initiatives} initiative(s), {accounts} account(s), {} people, \
             {} teams.{kept}",
            self.people, self.teams
        )
    }
}
