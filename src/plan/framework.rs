//! Frameworks: which wellbeing areas a plan asks about, the levels of
//! impact with their plain-English descriptions, and what the ratings may
//! mean. Data, not code: one JSON file each in `frameworks/`, compiled in and
//! checked by `cargo test`, so a malformed file fails a test at build time,
//! never on a carer's phone.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;

use crate::plan::Plan;

const SOURCES: [(&str, &str); 3] = [
    (
        "scotland-national",
        include_str!("../../frameworks/scotland-national.json"),
    ),
    (
        "north-lanarkshire",
        include_str!("../../frameworks/north-lanarkshire.json"),
    ),
    (
        "england-care-act",
        include_str!("../../frameworks/england-care-act.json"),
    ),
];

include!(concat!(env!("OUT_DIR"), "/frameworks.rs"));

/// The framework file format this code reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Scotland: a five-level impact scale and a threshold level.
    Levels,
    /// England's Care Act: can the carer achieve each outcome, plus
    /// eligibility questions and a personal budget.
    CareAct,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub question: String,
    pub hint: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub label: String,
    pub description: String,
}

/// A route of support, suggested from the highest rating at or above `from`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteInfo {
    pub from: String,
    pub name: String,
    pub summary: String,
    pub detail: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityQuestion {
    pub id: String,
    pub question: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub format: u32,
    pub id: String,
    /// Where the carer lives, as they would pick it: "Scotland".
    pub name: String,
    pub description: String,
    pub kind: Kind,
    pub indicators: Vec<Indicator>,
    /// Lowest impact first.
    pub levels: Vec<Level>,
    /// The lowest level at which needs may meet the council's threshold.
    pub threshold: String,
    pub threshold_text: String,
    /// Lowest first; each applies from its level up to the next route's.
    pub routes: Vec<RouteInfo>,
    #[serde(default)]
    pub eligibility: Vec<EligibilityQuestion>,
}

/// Why a framework file the app ships with is not one (a developer's
/// mistake, caught by the tests; never shown to a carer).
#[derive(Debug, Error)]
pub enum FrameworkError {
    #[error("framework {file}: not valid JSON of the expected shape: {source}")]
    Malformed {
        file: String,
        source: serde_json::Error,
    },
    #[error("framework {file}: {problem}")]
    Incomplete { file: String, problem: String },
}

impl Framework {
    /// Parse and check one framework file.
    pub fn parse(file: &str, json: &str) -> Result<Framework, FrameworkError> {
        let fw: Framework =
            serde_json::from_str(json).map_err(|source| FrameworkError::Malformed {
                file: file.into(),
                source,
            })?;
        fw.check().map_err(|problem| FrameworkError::Incomplete {
            file: file.into(),
            problem,
        })?;
        Ok(fw)
    }

    fn check(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("format {} (this app reads {FORMAT})", self.format));
        }
        let blank = |s: &str| s.trim().is_empty();
        if blank(&self.id) || blank(&self.name) {
            return Err("an id and a name are needed".into());
        }
        if self.indicators.is_empty() {
            return Err("no wellbeing areas".into());
        }
        let mut ids = HashSet::new();
        for i in &self.indicators {
            if blank(&i.id) || blank(&i.name) || blank(&i.question) {
                return Err(format!(
                    "area \"{}\" needs an id, a name and a question",
                    i.id
                ));
            }
            if !ids.insert(&i.id) {
                return Err(format!("area {} is listed twice", i.id));
            }
        }
        if self.levels.len() < 2 {
            return Err("fewer than two levels".into());
        }
        let mut levels = HashSet::new();
        for l in &self.levels {
            if blank(&l.id) || blank(&l.label) || blank(&l.description) {
                return Err(format!(
                    "level \"{}\" needs an id, a label and a description",
                    l.id
                ));
            }
            if !levels.insert(&l.id) {
                return Err(format!("level {} is listed twice", l.id));
            }
        }
        if self.rank(&self.threshold).is_none() {
            return Err(format!("threshold {} is not a level", self.threshold));
        }
        let mut last = None;
        for r in &self.routes {
            let rank = self
                .rank(&r.from)
                .ok_or_else(|| format!("route {} starts at unknown level {}", r.name, r.from))?;
            if last.is_some_and(|l| rank <= l) {
                return Err("routes must be listed lowest first".into());
            }
            last = Some(rank);
        }
        if self.routes.first().map(|r| self.rank(&r.from)) != Some(Some(0)) {
            return Err("the first route must start at the lowest level".into());
        }
        if self.kind == Kind::CareAct && self.eligibility.is_empty() {
            return Err("a Care Act framework needs its eligibility questions".into());
        }
        Ok(())
    }

    /// Every framework the app ships, checked, as `build.rs` made them
    /// from the files (so no JSON is read at run time). A file that fails
    /// its check is left out here and fails `cargo test`, which also
    /// compares these with the files read as JSON.
    pub fn all() -> &'static [Framework] {
        static ALL: OnceLock<Vec<Framework>> = OnceLock::new();
        ALL.get_or_init(|| {
            shipped()
                .into_iter()
                .filter(|f| f.check().is_ok())
                .collect()
        })
    }

    /// Each shipped file, parsed: for the build-time test.
    pub fn check_sources() -> Vec<Result<Framework, FrameworkError>> {
        SOURCES
            .iter()
            .map(|(f, j)| Framework::parse(f, j))
            .collect()
    }

    pub fn by_id(id: &str) -> Option<&'static Framework> {
        Self::all().iter().find(|f| f.id == id)
    }

    /// The plan's framework; if the plan names one this app lacks, the first
    /// shipped one; if none were shipped at all, an empty one (never a panic).
    pub fn for_plan(id: &str) -> &'static Framework {
        static EMPTY: OnceLock<Framework> = OnceLock::new();
        Self::by_id(id)
            .or_else(|| Self::all().first())
            .unwrap_or_else(|| {
                EMPTY.get_or_init(|| Framework {
                    format: FORMAT,
                    id: String::new(),
                    name: "Unknown".into(),
                    description: String::new(),
                    kind: Kind::Levels,
                    indicators: Vec::new(),
                    levels: Vec::new(),
                    threshold: String::new(),
                    threshold_text: String::new(),
                    routes: Vec::new(),
                    eligibility: Vec::new(),
                })
            })
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// 0 for the lowest level.
    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == level)
    }

    /// What the carer's own ratings may mean. Always a suggestion to talk
    /// through with a worker, never a decision.
    pub fn suggest(&self, plan: &Plan) -> Suggestion {
        let mut rated = Vec::new();
        for ind in &self.indicators {
            let rating = plan
                .wellbeing
                .get(&ind.id)
                .and_then(|a| a.rating.as_deref())
                .and_then(|r| self.rank(r).map(|rank| (rank, r)));
            if let Some((rank, _)) = rating {
                rated.push((rank, ind.name.clone()));
            }
        }
        let Some(highest) = rated.iter().map(|(r, _)| *r).max() else {
            return Suggestion {
                highest: None,
                route: None,
                may_meet_threshold: false,
                areas_at_threshold: Vec::new(),
                open_questions: Vec::new(),
            };
        };
        let threshold = self.rank(&self.threshold).unwrap_or(usize::MAX);
        let areas_at_threshold: Vec<String> = rated
            .iter()
            .filter(|(r, _)| *r >= threshold)
            .map(|(_, n)| n.clone())
            .collect();
        let route = self
            .routes
            .iter()
            .rev()
            .find(|r| self.rank(&r.from).is_some_and(|from| highest >= from))
            .cloned();
        // England: needs must also come from caring and have a significant
        // impact on wellbeing. A "no" rules it out; unanswered is left open.
        let mut may = !areas_at_threshold.is_empty();
        let mut open_questions = Vec::new();
        for q in &self.eligibility {
            match plan.eligibility.get(&q.id).map(String::as_str) {
                Some("no") => may = false,
                Some("yes") => {}
                _ => open_questions.push(q.question.clone()),
            }
        }
        Suggestion {
            highest: self.levels.get(highest).map(|l| l.label.clone()),
            route,
            may_meet_threshold: may,
            areas_at_threshold,
            open_questions,
        }
    }
}

/// What the ratings may mean, to talk through with a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The highest level chosen, as its label.
    pub highest: Option<String>,
    pub route: Option<RouteInfo>,
    pub may_meet_threshold: bool,
    /// The areas rated at or above the threshold level, by name.
    pub areas_at_threshold: Vec<String>,
    /// Eligibility questions not answered yet.
    pub open_questions: Vec<String>,
}

impl PartialEq for RouteInfo {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// The name of a wellbeing area in any shipped framework, for history messages.
pub fn indicator_name(id: &str) -> Option<&'static str> {
    Framework::all()
        .iter()
        .find_map(|f| f.indicator(id))
        .map(|i| i.name.as_str())
}
