//! Frameworks are data: each shipped file loads and is complete, a malformed
//! one fails here (at build time, not on a phone), the suggested route
//! follows each framework's thresholds, and switching keeps every word.

mod common;

use carer_plan::plan::framework::{Framework, FrameworkError};
use carer_plan::plan::{Edit, Plan, Section};
use common::*;

#[test]
fn every_shipped_framework_loads_and_is_complete() {
    let parsed = Framework::check_sources();
    assert_eq!(parsed.len(), 3);
    for fw in parsed {
        let fw = fw.unwrap_or_else(|e| panic!("{e}"));
        assert!(!fw.indicators.is_empty());
        for level in &fw.levels {
            assert!(
                !level.description.trim().is_empty(),
                "{} {}",
                fw.id,
                level.id
            );
        }
        assert!(fw.rank(&fw.threshold).is_some());
    }
    assert_eq!(Framework::all().len(), 3, "none was dropped");
    // What build.rs made of the files is exactly the files read as JSON.
    let read: Vec<Framework> = Framework::check_sources()
        .into_iter()
        .map(|f| f.unwrap())
        .collect();
    // Every field, compared through `Debug` (`RouteInfo`'s `PartialEq`
    // compares names only).
    assert_eq!(format!("{:?}", Framework::all()), format!("{read:?}"));
    let scot = Framework::by_id("scotland-national").unwrap();
    assert_eq!(scot.indicators.len(), 7);
    assert_eq!(
        scot.levels
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        ["none", "low", "moderate", "substantial", "critical"]
    );
    let nl = Framework::by_id("north-lanarkshire").unwrap();
    assert_eq!(nl.indicators.len(), 6);
    assert!(nl.indicator("future-planning").is_none());
    let eng = Framework::by_id("england-care-act").unwrap();
    assert_eq!(eng.levels.len(), 3);
    assert!(!eng.eligibility.is_empty());
}

#[test]
fn malformed_frameworks_are_refused_with_the_reason() {
    let good = include_str!("../frameworks/scotland-national.json");
    assert!(matches!(
        Framework::parse("broken.json", "{ not json"),
        Err(FrameworkError::Malformed { .. })
    ));
    let no_descriptor = good.replacen(
        "\"description\": \"Caring does not affect this part of my life. Things are fine here.\"",
        "\"description\": \"  \"",
        1,
    );
    assert_ne!(no_descriptor, good);
    assert!(matches!(
        Framework::parse("x.json", &no_descriptor),
        Err(FrameworkError::Incomplete { .. })
    ));
    let bad_threshold = good.replace(
        "\"threshold\": \"substantial\"",
        "\"threshold\": \"severe\"",
    );
    assert!(matches!(
        Framework::parse("x.json", &bad_threshold),
        Err(FrameworkError::Incomplete { .. })
    ));
    let extra_key = good.replacen("\"format\": 1,", "\"format\": 1, \"colour\": \"red\",", 1);
    assert!(matches!(
        Framework::parse("x.json", &extra_key),
        Err(FrameworkError::Malformed { .. })
    ));
}

fn rated(fw: &Framework, ratings: &[(&str, &str)]) -> Plan {
    let mut plan = Plan::default();
    for ind in &fw.indicators {
        plan.wellbeing.insert(ind.id.clone(), Default::default());
    }
    for (ind, level) in ratings {
        plan.wellbeing.get_mut(*ind).unwrap().rating = Some((*level).into());
    }
    plan
}

#[test]
fn the_suggested_route_follows_scotlands_thresholds() {
    for id in ["scotland-national", "north-lanarkshire"] {
        let fw = Framework::by_id(id).unwrap();
        let none = fw.suggest(&rated(fw, &[]));
        assert_eq!(none.route, None);
        assert!(!none.may_meet_threshold);

        let low = fw.suggest(&rated(
            fw,
            &[("finances", "low"), ("relationships", "none")],
        ));
        assert_eq!(low.route.unwrap().name, "Route 1");
        assert!(!low.may_meet_threshold);

        let moderate = fw.suggest(&rated(
            fw,
            &[("finances", "low"), ("life-balance", "moderate")],
        ));
        assert_eq!(moderate.route.unwrap().name, "Route 2");
        assert_eq!(moderate.highest.as_deref(), Some("Moderate impact"));
        assert!(!moderate.may_meet_threshold);

        let substantial = fw.suggest(&rated(
            fw,
            &[
                ("health-wellbeing", "substantial"),
                ("finances", "critical"),
                ("relationships", "low"),
            ],
        ));
        assert_eq!(substantial.route.unwrap().name, "Route 3");
        assert!(substantial.may_meet_threshold);
        assert_eq!(
            substantial.areas_at_threshold,
            ["Health and wellbeing", "Finances"]
        );
    }
}

#[test]
fn englands_suggestion_needs_the_eligibility_answers() {
    let fw = Framework::by_id("england-care-act").unwrap();
    let mut plan = rated(fw, &[("home", "difficulty"), ("leisure", "achieved")]);
    let s = fw.suggest(&plan);
    assert!(s.may_meet_threshold, "open questions leave it possible");
    assert_eq!(s.open_questions.len(), 2);
    plan.eligibility.insert("from-caring".into(), "yes".into());
    plan.eligibility
        .insert("significant-impact".into(), "no".into());
    assert!(!fw.suggest(&plan).may_meet_threshold);
    plan.eligibility
        .insert("significant-impact".into(), "yes".into());
    let s = fw.suggest(&plan);
    assert!(s.may_meet_threshold);
    assert!(s.open_questions.is_empty());
    assert_eq!(s.route.unwrap().name, "A carer's assessment");
    let fine = rated(fw, &[("home", "achieved")]);
    assert!(!fw.suggest(&fine).may_meet_threshold);
}

#[test]
fn switching_framework_keeps_every_word() {
    let scot = Framework::by_id("scotland-national").unwrap();
    let ids: Vec<&str> = scot.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut doc = PlanDoc::create(&actor(), carer("Ann"), &scot.id, &ids, 0).unwrap();
    let words = Field::Area("future-planning".into(), AreaField::OwnWords);
    doc.set_field(&words, "I worry about who would step in.", 1)
        .unwrap();
    doc.change("Rated", 2, |p| {
        p.wellbeing.get_mut("finances").unwrap().rating = Some("moderate".into())
    })
    .unwrap();

    for other in ["north-lanarkshire", "england-care-act", "scotland-national"] {
        let fw = Framework::by_id(other).unwrap();
        // The sections the screens show at once (`Edit::parts_added`) are
        // those the document makes.
        let before = doc.plan().unwrap();
        let mut expected: Vec<Section> = doc.parts().cloned().collect();
        let edit = Edit::UseFramework {
            framework: other.into(),
        };
        expected.extend(edit.parts_added(&before));
        expected.sort();
        doc.use_framework(fw, 3).unwrap();
        let mut parts: Vec<Section> = doc.parts().cloned().collect();
        parts.sort();
        assert_eq!(parts, expected, "{other}");
        let plan = doc.plan().unwrap();
        assert_eq!(plan.framework, other);
        for ind in &fw.indicators {
            assert!(
                plan.wellbeing.contains_key(&ind.id),
                "{other} has {}",
                ind.id
            );
        }
        assert_eq!(doc.field_value(&words), "I worry about who would step in.");
        assert_eq!(
            plan.wellbeing["finances"].rating.as_deref(),
            Some("moderate")
        );
    }
}
