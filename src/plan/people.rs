//! How people are named on screen and in files, written once.

use super::model::{Participant, Plan, Role};

impl Role {
    /// "carer", "key worker": the role in running text.
    pub fn noun(self) -> &'static str {
        match self {
            Role::Carer => "carer",
            Role::KeyWorker => "key worker",
        }
    }
}

/// "Sam Patel (key worker)", or "The key worker" when no name was given.
pub fn name_and_role(name: &str, role: Role) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("The {}", role.noun())
    } else {
        format!("{name} ({})", role.noun())
    }
}

impl Participant {
    /// "Sam Patel (key worker)", or "The key worker".
    pub fn label(&self) -> String {
        name_and_role(&self.name, self.role)
    }
}

impl Plan {
    /// The name to show for this plan in lists: the preferred name, else
    /// the name, else the name the carer's device goes by (always sent with
    /// the plan, so a key worker not given "About you" still sees who it is).
    pub fn display_name(&self) -> Option<&str> {
        let device_name = self
            .participants
            .values()
            .find(|p| p.role == Role::Carer)
            .map(|p| p.name.as_str());
        [
            Some(self.carer.preferred_name.as_str()),
            Some(self.carer.name.as_str()),
            device_name,
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
    }

    /// The device id of the plan's carer, if the plan records one.
    pub fn carer_device(&self) -> Option<&str> {
        self.participants
            .iter()
            .find(|(_, p)| p.role == Role::Carer)
            .map(|(d, _)| d.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_named_once() {
        assert_eq!(
            name_and_role("Sam Patel", Role::KeyWorker),
            "Sam Patel (key worker)"
        );
        assert_eq!(name_and_role("  ", Role::Carer), "The carer");
    }
}
