//! One answer the person types: where it lives in the document, how long it
//! may be, and which section it belongs to (for the history's messages).
//!
//! Typing goes through [`crate::core::PlanDoc::set_field`], which edits just
//! that answer (Automerge text is diffed, so a keystroke is a small change)
//! instead of reconciling the whole plan on every key.

use thiserror::Error;

use super::plan::Plan;

/// The most characters a short answer (a name, a phone number) may hold.
pub const SHORT_MAX: usize = 200;
/// The most characters a long answer may hold: about ten pages of writing.
pub const LONG_MAX: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Carer(CarerField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CarerField {
    Name,
    PreferredName,
    Phone,
    Email,
    Address,
    SafeContact,
    Health,
    WorkOrStudy,
    CommunicationNeeds,
}

/// Whether an answer is a plain string or Automerge text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Short,
    Long,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FieldError {
    #[error("This answer is too long to keep. It has {len} characters and the most it can hold is {max}. Please make it shorter.")]
    TooLong { len: usize, max: usize },
    #[error(
        "This does not look like an email address. Check it has an @ in it, like name@example.com."
    )]
    NotAnEmail,
    #[error("A phone number can only have numbers, spaces, brackets, dashes and +.")]
    NotAPhoneNumber,
}

impl CarerField {
    pub const ALL: [CarerField; 9] = [
        CarerField::Name,
        CarerField::PreferredName,
        CarerField::Phone,
        CarerField::Email,
        CarerField::Address,
        CarerField::SafeContact,
        CarerField::Health,
        CarerField::WorkOrStudy,
        CarerField::CommunicationNeeds,
    ];

    fn key(self) -> &'static str {
        match self {
            CarerField::Name => "name",
            CarerField::PreferredName => "preferred_name",
            CarerField::Phone => "phone",
            CarerField::Email => "email",
            CarerField::Address => "address",
            CarerField::SafeContact => "safe_contact",
            CarerField::Health => "health",
            CarerField::WorkOrStudy => "work_or_study",
            CarerField::CommunicationNeeds => "communication_needs",
        }
    }
}

impl Field {
    /// The keys from the document's root to the map that holds the answer,
    /// and the answer's own key in that map.
    pub fn path(self) -> (&'static [&'static str], &'static str) {
        match self {
            Field::Carer(f) => (&["carer"], f.key()),
        }
    }

    pub fn kind(self) -> FieldKind {
        match self {
            Field::Carer(
                CarerField::Name
                | CarerField::PreferredName
                | CarerField::Phone
                | CarerField::Email,
            ) => FieldKind::Short,
            Field::Carer(_) => FieldKind::Long,
        }
    }

    /// The section's title as the history shows it: "Updated About you".
    pub fn section_title(self) -> &'static str {
        match self {
            Field::Carer(_) => "About you",
        }
    }

    /// An id usable in HTML (`id`, `name`) and in tests.
    pub fn html_id(self) -> String {
        let (parents, key) = self.path();
        let mut id = parents.join("-");
        id.push('-');
        id.push_str(&key.replace('_', "-"));
        id
    }

    pub fn read(self, plan: &Plan) -> &str {
        let c = &plan.carer;
        match self {
            Field::Carer(f) => match f {
                CarerField::Name => &c.name,
                CarerField::PreferredName => &c.preferred_name,
                CarerField::Phone => &c.phone,
                CarerField::Email => &c.email,
                CarerField::Address => c.address.as_str(),
                CarerField::SafeContact => c.safe_contact.as_str(),
                CarerField::Health => c.health.as_str(),
                CarerField::WorkOrStudy => c.work_or_study.as_str(),
                CarerField::CommunicationNeeds => c.communication_needs.as_str(),
            },
        }
    }

    pub fn max_chars(self) -> usize {
        match self.kind() {
            FieldKind::Short => SHORT_MAX,
            FieldKind::Long => LONG_MAX,
        }
    }

    /// Whether a value may be kept. Checked before anything is written, so a
    /// value that fails leaves the stored answer as it was.
    pub fn validate(self, value: &str) -> Result<(), FieldError> {
        let len = value.chars().count();
        if len > self.max_chars() {
            return Err(FieldError::TooLong {
                len,
                max: self.max_chars(),
            });
        }
        Ok(())
    }

    /// Advice about a finished answer that is kept all the same (a half-typed
    /// email address is not an error while the person is still typing).
    pub fn advise(self, value: &str) -> Option<FieldError> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match self {
            Field::Carer(CarerField::Email) => {
                let ok = v
                    .split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.ends_with('.'))
                    && !v.contains(char::is_whitespace);
                (!ok).then_some(FieldError::NotAnEmail)
            }
            Field::Carer(CarerField::Phone) => {
                let ok = v.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c))
                    && v.chars().any(|c| c.is_ascii_digit());
                (!ok).then_some(FieldError::NotAPhoneNumber)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_pastes_are_refused_with_a_kind_message() {
        let f = Field::Carer(CarerField::Address);
        assert!(f.validate(&"a".repeat(LONG_MAX)).is_ok());
        let err = f.validate(&"a".repeat(50_000)).unwrap_err();
        assert_eq!(
            err,
            FieldError::TooLong {
                len: 50_000,
                max: LONG_MAX
            }
        );
        assert!(err.to_string().contains("50000 characters"));
    }

    #[test]
    fn email_and_phone_advice() {
        let e = Field::Carer(CarerField::Email);
        assert_eq!(e.advise("ann@example.org"), None);
        assert_eq!(e.advise("ann"), Some(FieldError::NotAnEmail));
        assert_eq!(e.advise(""), None);
        let p = Field::Carer(CarerField::Phone);
        assert_eq!(p.advise("+44 (0)1698 123-456"), None);
        assert_eq!(p.advise("call me"), Some(FieldError::NotAPhoneNumber));
    }

    #[test]
    fn html_ids_are_stable() {
        assert_eq!(
            Field::Carer(CarerField::PreferredName).html_id(),
            "carer-preferred-name"
        );
    }
}
