//! The one table of the plan's sections.
//!
//! A plan is kept as several Automerge documents, one per section (its
//! "part"), so that a share can leave sections out, values and history
//! alike (see `crate::doc`). Everything that names a section — the task
//! list, the pages' addresses, the share screen, the history, the worker's
//! plan page, the document parts and the share file's section list — reads
//! it from [`SECTIONS`] here, so a section has one id and one title
//! everywhere. The table also says which keys of the plan each section's
//! part holds (`holds`); `doc/part.rs` writes and reads the parts from it.
//!
//! Two parts are not sections a person fills in: `plan` (who, framework,
//! shares, sign-off, review, notes for the carer; always sent with a share)
//! and `private` (the key worker's private notes; never sent).
//!
//! Over 400 lines because it is the one table of sections: its columns,
//! what each row says (ids, titles, addresses, the task list's order, the
//! keys each part holds) and the tests that the table is whole.

use std::fmt;

use super::framework::{indicator_name, Framework, Kind};
use super::model::Plan;

/// One section of a plan, which is also one document part. Ids equal the
/// keys of the plan's `sections` map (`about-you`, `area-finances`, …).
///
/// The order of the variants is the order parts are saved in: do not
/// reorder them (saved bytes of unchanged plans would change).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Always shared: identity, framework, participants, shares, sign-off,
    /// review, the worker's notes for the carer.
    Plan,
    AboutYou,
    People,
    CaringRole,
    /// One wellbeing area (indicator id) and the actions that came from it.
    Area(String),
    /// Needs identified and actions not tied to one area.
    Actions,
    /// England's eligibility questions, budget, information given.
    Eligibility,
    Emergency,
    Future,
    /// The key worker's private notes. Never shared.
    Private,
}

/// Where a section sits on the task list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// "You and the people you care for"
    You,
    /// "How caring affects your life": the wellbeing areas.
    Areas,
    /// "Planning ahead"
    Ahead,
    /// "Your plan": listed with a count, not a status.
    YourPlan,
    /// Not on the task list (the plan's own bookkeeping, private notes).
    None,
}

impl Group {
    /// The group's title in the words of whoever reads it: the carer
    /// reads about herself, the key worker about the carer.
    pub fn title_for(self, worker: bool) -> &'static str {
        match (self, worker) {
            (Group::You, true) => "The carer and the people they care for",
            (Group::Areas, true) => "How caring affects the carer's life",
            (Group::YourPlan, true) => "The carer's plan",
            _ => self.title(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::You => "You and the people you care for",
            Group::Areas => "How caring affects your life",
            Group::Ahead => "Planning ahead",
            Group::YourPlan => "Your plan",
            Group::None => "",
        }
    }
}

/// A row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The id (for an area: the prefix before the indicator id).
    pub id: &'static str,
    /// The title as everyone reads it (an area's comes from its framework).
    pub title: &'static str,
    /// The page's address under `#/plan/ID/` (an area's: `area/{indicator}`).
    pub path: &'static str,
    pub group: Group,
    /// Whether the section may ever leave the device.
    pub shareable: bool,
    /// Whether the task list shows it with a status the carer can set.
    pub has_status: bool,
    /// The keys of the [`Plan`] its document part holds, in the order they
    /// are written (a part's first change depends on it: never reorder).
    /// Every part also holds its own section's status (`sections`).
    pub holds: &'static [PlanKey],
}

/// A key of the [`Plan`] at the root of its document parts: which part
/// holds it is the section table's `holds` column, and each key is held by
/// one part, but for `Actions` (an action is held by its area's part, or by
/// the actions part if it has no area in the plan). `Wellbeing` and
/// `ReviewChanges` are held by each area's part for its own area only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlanKey {
    Framework,
    FrameworkChosen,
    ReadyAt,
    AgreedAt,
    AgreedBy,
    AgreedInMeeting,
    DisagreedAt,
    Disagreement,
    ReviewStartedAt,
    ReviewStartedBy,
    ReviewKind,
    ReviewReason,
    CreatedAt,
    Participants,
    Shares,
    Imports,
    SignOff,
    Review,
    NotesForCarer,
    Carer,
    CaredFor,
    CaringRole,
    Wellbeing,
    ReviewChanges,
    Needs,
    Actions,
    Eligibility,
    Budget,
    InformationGiven,
    Emergency,
    FuturePlanning,
    PrivateNotes,
}

/// What the `plan` part holds: who, framework, shares, sign-off, review.
#[rustfmt::skip]
const PLAN_PART: &[PlanKey] = {
    use PlanKey::*;
    &[
        Framework, FrameworkChosen, ReadyAt, AgreedAt, AgreedBy, AgreedInMeeting, DisagreedAt,
        Disagreement, ReviewStartedAt, ReviewStartedBy, ReviewKind, ReviewReason, CreatedAt,
        Participants, Shares, Imports, SignOff, Review, NotesForCarer,
    ]
};

/// The table. One row per kind of section, in the task list's order within
/// each group.
#[rustfmt::skip] // A table reads best one row a line.
pub const SECTIONS: [(SectionKind, Row); 10] = [
    (SectionKind::Plan, Row { id: "plan", title: "Sharing, sign-off and review", path: "", group: Group::None, shareable: true, has_status: false, holds: PLAN_PART }),
    (SectionKind::AboutYou, Row { id: "about-you", title: "About you", path: "about-you", group: Group::You, shareable: true, has_status: true, holds: &[PlanKey::Carer] }),
    (SectionKind::People, Row { id: "people", title: "The people you care for", path: "people", group: Group::You, shareable: true, has_status: true, holds: &[PlanKey::CaredFor] }),
    (SectionKind::CaringRole, Row { id: "caring-role", title: "Your caring role", path: "caring-role", group: Group::You, shareable: true, has_status: true, holds: &[PlanKey::CaringRole] }),
    (SectionKind::Area, Row { id: "area-", title: "A wellbeing area", path: "area", group: Group::Areas, shareable: true, has_status: true, holds: &[PlanKey::Wellbeing, PlanKey::ReviewChanges, PlanKey::Actions] }),
    (SectionKind::Actions, Row { id: "actions", title: "Actions", path: "actions", group: Group::YourPlan, shareable: true, has_status: false, holds: &[PlanKey::Needs, PlanKey::Actions] }),
    (SectionKind::Eligibility, Row { id: "eligibility", title: "Support from the council", path: "council", group: Group::Ahead, shareable: true, has_status: true, holds: &[PlanKey::Eligibility, PlanKey::Budget, PlanKey::InformationGiven] }),
    (SectionKind::Emergency, Row { id: "emergency", title: "Emergency plan", path: "emergency", group: Group::Ahead, shareable: true, has_status: true, holds: &[PlanKey::Emergency] }),
    (SectionKind::Future, Row { id: "future", title: "Plans for the future", path: "future", group: Group::Ahead, shareable: true, has_status: true, holds: &[PlanKey::FuturePlanning] }),
    (SectionKind::Private, Row { id: "private", title: "Private notes", path: "", group: Group::None, shareable: false, has_status: false, holds: &[PlanKey::PrivateNotes] }),
];

/// A section without its area: the table's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Plan,
    AboutYou,
    People,
    CaringRole,
    Area,
    Actions,
    Eligibility,
    Emergency,
    Future,
    Private,
}

/// The longest indicator id accepted from a file or an address.
const MAX_INDICATOR: usize = 64;

impl Section {
    /// The parts every plan has, besides one per wellbeing area.
    pub const FIXED: [Section; 9] = [
        Section::Plan,
        Section::AboutYou,
        Section::People,
        Section::CaringRole,
        Section::Actions,
        Section::Eligibility,
        Section::Emergency,
        Section::Future,
        Section::Private,
    ];

    pub fn kind(&self) -> SectionKind {
        match self {
            Section::Plan => SectionKind::Plan,
            Section::AboutYou => SectionKind::AboutYou,
            Section::People => SectionKind::People,
            Section::CaringRole => SectionKind::CaringRole,
            Section::Area(_) => SectionKind::Area,
            Section::Actions => SectionKind::Actions,
            Section::Eligibility => SectionKind::Eligibility,
            Section::Emergency => SectionKind::Emergency,
            Section::Future => SectionKind::Future,
            Section::Private => SectionKind::Private,
        }
    }

    /// This section's row of [`SECTIONS`].
    pub fn row(&self) -> &'static Row {
        let kind = self.kind();
        SECTIONS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, r)| r)
            .unwrap_or(&SECTIONS[0].1)
    }

    fn of_kind(kind: SectionKind) -> Option<Section> {
        Some(match kind {
            SectionKind::Plan => Section::Plan,
            SectionKind::AboutYou => Section::AboutYou,
            SectionKind::People => Section::People,
            SectionKind::CaringRole => Section::CaringRole,
            SectionKind::Area => return None,
            SectionKind::Actions => Section::Actions,
            SectionKind::Eligibility => Section::Eligibility,
            SectionKind::Emergency => Section::Emergency,
            SectionKind::Future => Section::Future,
            SectionKind::Private => Section::Private,
        })
    }

    /// The id: the key in the plan's `sections` map, the part's name in
    /// saved bytes and share files.
    pub fn id(&self) -> String {
        match self {
            Section::Area(ind) => format!("{}{ind}", self.row().id),
            _ => self.row().id.to_owned(),
        }
    }

    /// Accepts only ids this version knows; an indicator id is lower-case
    /// letters, digits and dashes, at most 64 characters.
    pub fn parse(s: &str) -> Option<Section> {
        let area_prefix = SECTIONS
            .iter()
            .find(|(k, _)| *k == SectionKind::Area)
            .map(|(_, r)| r.id)?;
        if let Some(ind) = s.strip_prefix(area_prefix) {
            return valid_indicator(ind).then(|| Section::Area(ind.to_owned()));
        }
        SECTIONS
            .iter()
            .find(|(k, r)| *k != SectionKind::Area && r.id == s)
            .and_then(|(k, _)| Section::of_kind(*k))
    }

    /// The title as the person knows it, the same on every screen. An
    /// area's is its framework's name for it.
    pub fn title(&self, fw: &Framework) -> String {
        match self {
            Section::Area(ind) => fw
                .indicator(ind)
                .map(|i| i.name.clone())
                .or_else(|| indicator_name(ind).map(str::to_owned))
                .unwrap_or_else(|| ind.clone()),
            _ => self.row().title.to_owned(),
        }
    }

    /// The title in the words of whoever reads it: "Your caring role" for
    /// the carer, "The carer's caring role" for the key worker.
    pub fn title_for(&self, fw: &Framework, worker: bool) -> String {
        match (self, worker) {
            (Section::AboutYou, true) => "About the carer".into(),
            (Section::People, true) => "The people the carer cares for".into(),
            (Section::CaringRole, true) => "The carer's caring role".into(),
            _ => self.title(fw),
        }
    }

    /// The title without knowing the plan's framework (history messages):
    /// an area is named from whichever shipped framework has it.
    pub fn any_title(&self) -> String {
        match self {
            Section::Area(ind) => indicator_name(ind)
                .map(str::to_owned)
                .unwrap_or_else(|| "a wellbeing area".into()),
            _ => self.row().title.to_owned(),
        }
    }

    /// The section's first page, under `#/plan/ID/`.
    pub fn path(&self) -> String {
        match self {
            Section::Area(ind) => format!("{}/{ind}", self.row().path),
            _ => self.row().path.to_owned(),
        }
    }

    /// The section whose first page is at `path` (split on `/`).
    pub fn from_path(path: &[&str]) -> Option<Section> {
        match path {
            [area, ind] if *area == SECTIONS[4].1.path => {
                valid_indicator(ind).then(|| Section::Area((*ind).to_owned()))
            }
            [one] if !one.is_empty() => SECTIONS
                .iter()
                .find(|(k, r)| *k != SectionKind::Area && r.path == *one)
                .and_then(|(k, _)| Section::of_kind(*k)),
            _ => None,
        }
    }

    pub fn group(&self) -> Group {
        self.row().group
    }

    /// Whether the section may ever leave the device.
    pub fn shareable(&self) -> bool {
        self.row().shareable
    }

    /// The keys of the plan this section's document part holds.
    pub fn holds(&self) -> &'static [PlanKey] {
        self.row().holds
    }

    /// The sections of a plan using `fw` that the task list shows with a
    /// status, in its order.
    pub fn all(fw: &Framework) -> Vec<Section> {
        Self::on_task_list(fw)
            .into_iter()
            .filter(|s| s.row().has_status)
            .collect()
    }

    /// Every section the task list shows (with a status or a count), in
    /// its order: every section a carer can share is here.
    pub fn on_task_list(fw: &Framework) -> Vec<Section> {
        let mut out = Vec::new();
        for (kind, row) in SECTIONS.iter() {
            if row.group == Group::None {
                continue;
            }
            match kind {
                SectionKind::Area => {
                    out.extend(fw.indicators.iter().map(|i| Section::Area(i.id.clone())))
                }
                SectionKind::Eligibility if fw.kind != Kind::CareAct => {}
                k => out.extend(Section::of_kind(*k)),
            }
        }
        let order = |g: Group| match g {
            Group::You => 0,
            Group::Areas => 1,
            Group::Ahead => 2,
            Group::YourPlan => 3,
            Group::None => 4,
        };
        out.sort_by_key(|s| order(s.group()));
        out
    }

    /// Every part a plan with these values needs.
    pub fn parts_for(plan: &Plan) -> Vec<Section> {
        let mut out = Section::FIXED.to_vec();
        out.extend(plan.wellbeing.keys().map(|k| Section::Area(k.clone())));
        out.sort();
        out
    }
}

fn valid_indicator(ind: &str) -> bool {
    !ind.is_empty()
        && ind.len() <= MAX_INDICATOR
        && ind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A section in serde (the engine worker's messages) is its id, as in
/// saved bytes and share files; an id this version does not know is refused.
impl serde::Serialize for Section {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Section {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Section::parse(&id)
            .ok_or_else(|| serde::de::Error::custom("not a section this version knows"))
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_strangers_are_refused() {
        for s in Section::FIXED
            .iter()
            .cloned()
            .chain([Section::Area("finances".into())])
        {
            assert_eq!(Section::parse(&s.id()), Some(s));
        }
        for bad in [
            "",
            "area-",
            "area-Bad",
            "area-a/b",
            "secret",
            "area-<script>",
        ] {
            assert_eq!(Section::parse(bad), None, "{bad}");
        }
        assert!(!Section::Private.shareable());
    }

    #[test]
    fn every_key_of_the_plan_is_held_by_one_part_and_actions_by_two() {
        let mut held: Vec<PlanKey> = SECTIONS
            .iter()
            .flat_map(|(_, r)| r.holds.iter().copied())
            .collect();
        held.sort();
        let n = held.len();
        held.dedup();
        assert_eq!(n, held.len() + 1, "one key held twice besides actions");
        assert_eq!(held.len(), 32, "a key of the plan held by no part");
    }

    #[test]
    fn paths_round_trip() {
        let fw = Framework::by_id("england-care-act").unwrap();
        for s in Section::on_task_list(fw) {
            let path = s.path();
            let parts: Vec<&str> = path.split('/').collect();
            assert_eq!(Section::from_path(&parts), Some(s.clone()), "{path}");
        }
        assert_eq!(Section::from_path(&["area", "Bad"]), None);
    }

    #[test]
    fn every_shareable_section_is_on_the_task_list_with_one_title() {
        for fw in Framework::all() {
            let listed = Section::on_task_list(fw);
            let mut parts = Section::FIXED.to_vec();
            parts.extend(fw.indicators.iter().map(|i| Section::Area(i.id.clone())));
            for p in parts {
                if p.shareable() && p != Section::Plan {
                    if p == Section::Eligibility && fw.kind != Kind::CareAct {
                        continue;
                    }
                    assert!(
                        listed.contains(&p),
                        "{p} missing from the task list in {}",
                        fw.id
                    );
                }
            }
            let mut titles: Vec<String> = listed.iter().map(|s| s.title(fw)).collect();
            let n = titles.len();
            titles.sort();
            titles.dedup();
            assert_eq!(titles.len(), n, "two sections share a title in {}", fw.id);
        }
    }
}
