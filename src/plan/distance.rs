//! Distance travelled: for each wellbeing area, the impact rating at each
//! agreed (signed) version, the carer's and the key worker's, so a review
//! shows how far things have moved: "Finances: Substantial → Moderate → Low".
//!
//! Read from the plan's values at each signed version (`doc::signoff::
//! signed_plans` gives them); this file only puts them in order and words.

use chrono::NaiveDate;

use super::answers::RATHER_NOT_SAY;
use super::framework::Framework;
use super::model::{Plan, SignedVersion};

/// One rating at one agreed version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rating {
    /// The level's rank among the framework's levels (0: the lowest).
    pub rank: usize,
    /// Its short name: "Substantial".
    pub label: String,
}

/// One area's path across the agreed versions: one entry per version,
/// `None` where it was not rated then.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AreaPath {
    pub area: String,
    pub name: String,
    pub carer: Vec<Option<Rating>>,
    pub worker: Vec<Option<Rating>>,
}

/// Every area's path, and the day each version was agreed (signed).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Distance {
    #[serde(with = "crate::plan::date::iso_list")]
    pub agreed: Vec<NaiveDate>,
    pub areas: Vec<AreaPath>,
}

/// "Substantial impact" reads "Substantial" in a path.
pub fn short_label(label: &str) -> String {
    label
        .strip_suffix(" impact")
        .unwrap_or(label)
        .trim()
        .to_owned()
}

fn rating(level: Option<&str>, fw: &Framework) -> Option<Rating> {
    let id = level.filter(|l| *l != RATHER_NOT_SAY)?;
    let rank = fw.rank(id)?;
    Some(Rating {
        rank,
        label: short_label(&fw.levels[rank].label),
    })
}

/// The paths of `fw`'s areas across `versions` (oldest first). Areas never
/// rated at any version are left out.
pub fn distance(versions: &[(SignedVersion, Plan)], fw: &Framework) -> Distance {
    let agreed = versions
        .iter()
        .filter_map(|(v, _)| chrono::DateTime::from_timestamp_millis(v.worker.at))
        .map(|d| d.date_naive())
        .collect();
    let areas = fw
        .indicators
        .iter()
        .map(|ind| {
            let of = |pick: fn(&super::model::WellbeingArea) -> Option<&str>| {
                versions
                    .iter()
                    .map(|(_, p)| rating(p.wellbeing.get(&ind.id).and_then(pick), fw))
                    .collect::<Vec<_>>()
            };
            AreaPath {
                area: ind.id.clone(),
                name: ind.name.clone(),
                carer: of(|w| w.rating.as_deref()),
                worker: of(|w| w.worker_rating.as_deref()),
            }
        })
        .filter(|a| a.carer.iter().chain(&a.worker).any(Option::is_some))
        .collect();
    Distance { agreed, areas }
}

/// "Substantial → Moderate → Low" ("Not rated" where there was no rating).
pub fn path_words(ratings: &[Option<Rating>]) -> String {
    ratings
        .iter()
        .map(|r| r.as_ref().map_or("Not rated", |r| r.label.as_str()))
        .collect::<Vec<_>>()
        .join(" \u{2192} ")
}

impl AreaPath {
    /// "Finances: Substantial → Moderate → Low": the carer's path.
    pub fn carer_line(&self) -> String {
        format!("{}: {}", self.name, path_words(&self.carer))
    }

    /// The key worker's path, in the same words.
    pub fn worker_line(&self) -> String {
        format!("{}: {}", self.name, path_words(&self.worker))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::Signature;

    fn version(day: u32, carer: Option<&str>, worker: Option<&str>) -> (SignedVersion, Plan) {
        let at = NaiveDate::from_ymd_opt(2027, 1, day)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let mut p = Plan::default();
        let area = p.wellbeing.entry("finances".into()).or_default();
        area.rating = carer.map(Into::into);
        area.worker_rating = worker.map(Into::into);
        let v = SignedVersion {
            worker: Signature {
                at,
                ..Default::default()
            },
            ..Default::default()
        };
        (v, p)
    }

    #[test]
    fn each_area_reads_as_a_path_across_the_agreed_versions() {
        let fw = Framework::for_plan("scotland-national");
        let d = distance(
            &[
                version(4, Some("substantial"), Some("substantial")),
                version(18, Some("moderate"), None),
                version(25, Some("low"), Some(RATHER_NOT_SAY)),
            ],
            fw,
        );
        assert_eq!(d.agreed.len(), 3);
        assert_eq!(d.agreed[1], NaiveDate::from_ymd_opt(2027, 1, 18).unwrap());
        assert_eq!(d.areas.len(), 1, "areas never rated are left out");
        let f = &d.areas[0];
        assert_eq!(
            f.carer_line(),
            "Finances: Substantial \u{2192} Moderate \u{2192} Low"
        );
        assert_eq!(
            f.worker_line(),
            "Finances: Substantial \u{2192} Not rated \u{2192} Not rated"
        );
        assert_eq!(
            f.carer.iter().flatten().map(|r| r.rank).collect::<Vec<_>>(),
            [3, 2, 1]
        );
    }
}
