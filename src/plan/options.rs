//! Answer options: every choice a person makes from a list (who is
//! helping, nights, able and willing to go on caring, an action's progress,
//! a section's status, who uses the device…), with the code it is stored as
//! and the words people read.

use super::model::{
    ActionStatus, BudgetManaged, Continue, HelpedBy, NightCare, ReviewKind, Role, SectionStatus,
};

/// An answer option: the string it is stored as (the same as its
/// autosurgeon name) and the words a person reads, defined once per type,
/// so a screen renders its choices from [`Coded::ALL`] and reads a choice
/// back with [`Coded::from_code`] — an unknown code is `None`, never a
/// default.
pub trait Coded: Sized + Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
    /// A line under the label, where the choice needs one.
    fn hint(self) -> Option<&'static str> {
        None
    }
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

macro_rules! coded {
    ($t:ty { $($v:ident => $c:literal, $l:literal $(, $h:literal)?);* $(;)? }) => {
        impl Coded for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),*];
            fn code(self) -> &'static str {
                match self { $(<$t>::$v => $c),* }
            }
            fn label(self) -> &'static str {
                match self { $(<$t>::$v => $l),* }
            }
            fn hint(self) -> Option<&'static str> {
                match self { $(<$t>::$v => coded!(@hint $($h)?)),* }
            }
        }
    };
    (@hint $h:literal) => { Some($h) };
    (@hint) => { None };
}

coded!(HelpedBy {
    Alone => "alone", "No, I am doing it on my own";
    FamilyOrFriends => "family-or-friends", "Yes, family or friends";
    Worker => "worker", "Yes, a worker";
});
coded!(ReviewKind {
    Planned => "planned", "It is time for the planned review";
    Unplanned => "unplanned", "Something has changed", "For example, the person you care for needs more help, your own health or work has changed, or the support is not working.";
});
coded!(NightCare { Never => "never", "No"; Sometimes => "sometimes", "Sometimes"; MostNights => "most-nights", "Most nights" });
coded!(Continue {
    Yes => "yes", "Yes";
    WithHelp => "with-help", "Yes, with more help";
    No => "no", "No";
    NotSure => "not-sure", "I am not sure";
});
coded!(ActionStatus {
    ToDo => "to-do", "Not started";
    InProgress => "in-progress", "Started";
    Done => "done", "Done";
    Stopped => "stopped", "No longer needed";
});
coded!(BudgetManaged {
    Council => "council", "The council arranges the support", "The council pays for the services for you.";
    DirectPayment => "direct-payment", "A direct payment", "The money is paid to you and you arrange the support.";
    Mixed => "mixed", "A mix of both";
});
coded!(SectionStatus {
    Completed => "completed", "Yes, I have finished it";
    InProgress => "in-progress", "No, I will come back to it later";
    Skipped => "skipped", "I would rather not answer this section", "It will be shown as skipped. You can come back to it at any time.";
});
coded!(Role {
    Carer => "carer", "I am a carer", "I am filling in my own plan.";
    KeyWorker => "key-worker", "I am a key worker", "I support carers and keep their plans on this device.";
});

/// A yes-or-no answer (or, where offered, "I am not sure"), stored as a
/// code in `eligibility` and as `Option<bool>` elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum YesNo {
    Yes,
    No,
    NotSure,
}

coded!(YesNo { Yes => "yes", "Yes"; No => "no", "No"; NotSure => "not-sure", "I am not sure" });

impl YesNo {
    /// The two answers of a plain yes-or-no question.
    pub const TWO: &'static [YesNo] = &[YesNo::Yes, YesNo::No];

    pub fn from_bool(b: Option<bool>) -> Option<YesNo> {
        b.map(|b| if b { YesNo::Yes } else { YesNo::No })
    }

    /// `None` for "I am not sure".
    pub fn as_bool(self) -> Option<bool> {
        match self {
            YesNo::Yes => Some(true),
            YesNo::No => Some(false),
            YesNo::NotSure => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autosurgeon::Reconcile;

    /// The codes must equal the names autosurgeon stores, or a choice made
    /// on screen would not read back.
    #[test]
    fn codes_are_the_stored_names() {
        fn check<
            T: Coded + Reconcile + std::fmt::Debug + PartialEq + for<'a> autosurgeon::Hydrate,
        >() {
            for v in T::ALL {
                let mut doc = automerge::AutoCommit::new();
                autosurgeon::reconcile_prop(&mut doc, automerge::ROOT, "v", *v).unwrap();
                let stored: String = autosurgeon::hydrate_prop(&doc, automerge::ROOT, "v").unwrap();
                assert_eq!(stored, v.code());
                assert_eq!(T::from_code(v.code()), Some(*v));
            }
        }
        check::<HelpedBy>();
        check::<NightCare>();
        check::<Continue>();
        check::<ActionStatus>();
        check::<BudgetManaged>();
        check::<SectionStatus>();
        check::<Role>();
        check::<ReviewKind>();
    }
}
