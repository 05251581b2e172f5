//! Comparing versions of a plan: which answers differ (for "What changed
//! since you last looked"), and what a choice two people changed at once is
//! called (for "Answers changed by both of you").

use super::answers::{answers_of, Answer};
use super::framework::Framework;
use super::model::Plan;
use super::section::Section;

/// One answer that differs between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    pub question: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The answers of `section` that differ between `before` and `after`, in
/// the order the pages ask them (an answer is matched by its question and
/// its place among answers with that question).
pub fn differences(
    before: &Plan,
    after: &Plan,
    section: &Section,
    fw: &Framework,
) -> Vec<Difference> {
    fn keyed(rows: Vec<Answer>) -> Vec<((String, usize), Option<String>)> {
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        rows.into_iter()
            .map(|a| {
                let n = seen.entry(a.question.clone()).or_default();
                *n += 1;
                ((a.question, *n), a.value)
            })
            .collect()
    }
    let old = keyed(answers_of(before, section, fw));
    let new = keyed(answers_of(after, section, fw));
    let mut out: Vec<Difference> = Vec::new();
    for (key, value) in &new {
        let was = old
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.clone());
        if was != *value {
            out.push(Difference {
                question: key.0.clone(),
                before: was,
                after: value.clone(),
            });
        }
    }
    for (key, value) in &old {
        if value.is_some() && !new.iter().any(|(k, _)| k == key) {
            out.push(Difference {
                question: key.0.clone(),
                before: value.clone(),
                after: None,
            });
        }
    }
    out
}

/// The name of a choice or short answer, from where it sits in the plan
/// (the path to its map and its key): what a conflict between two values
/// of it is called on screen. The one place these names are written.
pub fn choice_label(path: &[super::field::PathStep], key: &str) -> String {
    let what = match key {
        "rating" => "How much caring affects this (the carer's rating)",
        "worker_rating" => "The key worker's rating",
        "hours_per_week" => "Hours of caring a week",
        "night_care" => "Caring at night",
        "able_to_continue" => "Able to go on caring",
        "willing_to_continue" => "Want to go on caring",
        "terminal_illness" => "Terminal illness",
        "helped_by" => "Who is helping to fill in the plan",
        "lives_with_carer" => "Lives with the carer",
        "status" => "Action's progress",
        "by_when" => "Action's date",
        "next_due" => "Next review date",
        "name" => "Name",
        "preferred_name" => "Preferred name",
        "phone" => "Phone number",
        "email" => "Email address",
        "relationship" => "Relationship",
        "how_long" => "How long you have been caring",
        "who" => "Who will do the action",
        "indicative" => "Indicative budget",
        "final_amount" => "Final budget",
        "managed" => "How the budget is managed",
        _ => "An answer",
    };
    let within = path
        .iter()
        .any(|s| matches!(s, super::field::PathStep::Item(_)));
    format!("{what}{}", if within { " (in a list)" } else { "" })
}

/// The words for a value a choice holds (its stored code), as its question
/// offers it: "Started" for an action's "in-progress", a framework's
/// level's name for a rating, "Yes" for yes; the value itself for an
/// answer with no options, and "No answer" for none.
pub fn choice_value_words(key: &str, raw: &str, fw: &Framework) -> String {
    use super::model::{ActionStatus, BudgetManaged, Continue, HelpedBy, NightCare};
    use super::options::Coded;
    fn label<T: Coded>(raw: &str) -> Option<String> {
        T::from_code(raw).map(|v| v.label().to_owned())
    }
    let words = match key {
        "rating" | "worker_rating" => fw.level(raw).map(|l| l.label.clone()),
        "status" => label::<ActionStatus>(raw),
        "night_care" => label::<NightCare>(raw),
        "able_to_continue" | "willing_to_continue" => label::<Continue>(raw),
        "helped_by" => label::<HelpedBy>(raw),
        "managed" => label::<BudgetManaged>(raw),
        "lives_with_carer" | "terminal_illness" => match raw {
            "yes" => Some("Yes".to_owned()),
            "no" => Some("No".to_owned()),
            _ => None,
        },
        _ => None,
    };
    match words {
        Some(w) => w,
        None if raw.is_empty() => "No answer".to_owned(),
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::NightCare;

    #[test]
    fn differences_say_which_answers_changed_from_what_to_what() {
        let fw = Framework::by_id("scotland-national").unwrap();
        let mut before = Plan::default();
        before.caring_role.how_long = "three years".into();
        before.caring_role.night_care = Some(NightCare::Sometimes);
        let mut after = before.clone();
        after.caring_role.how_long = "since 2021".into();
        after.caring_role.hours_per_week = Some(40);
        let d = differences(&before, &after, &Section::CaringRole, fw);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].question, "Hours a week");
        assert_eq!(
            (d[0].before.as_deref(), d[0].after.as_deref()),
            (None, Some("40 hours"))
        );
        assert_eq!(d[1].question, "How long have you been caring?");
        assert_eq!(d[1].before.as_deref(), Some("three years"));
        assert_eq!(d[1].after.as_deref(), Some("since 2021"));
    }

    #[test]
    fn a_choice_s_values_are_said_in_the_words_its_question_offers() {
        let fw = Framework::by_id("scotland-national").unwrap();
        assert_eq!(choice_value_words("status", "in-progress", fw), "Started");
        assert_eq!(choice_value_words("status", "done", fw), "Done");
        assert_eq!(
            choice_value_words("night_care", "most-nights", fw),
            "Most nights"
        );
        assert_eq!(choice_value_words("terminal_illness", "no", fw), "No");
        let level = &fw.levels[0];
        assert_eq!(
            choice_value_words("worker_rating", &level.id, fw),
            level.label
        );
        assert_eq!(choice_value_words("status", "", fw), "No answer");
        assert_eq!(
            choice_value_words("phone", "0131 496 0000", fw),
            "0131 496 0000"
        );
    }
}
