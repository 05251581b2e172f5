//! Reviews as a cycle, on two copies of one plan: agreed and signed, then
//! reviewed twice (each area asked "has this changed?", agreed and signed
//! in the same order), the last signed version kept as it was, the review
//! dates following the rules, and the distance travelled read from the
//! signed versions.

mod common;

use carer_plan::plan::distance::distance;
use carer_plan::plan::review::{agreement, open_review, Agreement, ReviewRuleError};
use carer_plan::plan::{Edit, Framework, ReviewKind};
use carer_plan::web::words::{area_question, flag_sentence, Words};
use chrono::NaiveDate;
use common::*;

const DAY: i64 = 86_400_000;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ms(date: NaiveDate) -> i64 {
    date.and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn rate(doc: &mut PlanDoc, carer: &str, worker: &str, at: i64) {
    doc.apply(
        &Edit::SetRating {
            area: "finances".into(),
            level: Some(carer.into()),
        },
        at,
    )
    .unwrap();
    doc.apply(
        &Edit::SetWorkerRating {
            area: "finances".into(),
            level: Some(worker.into()),
        },
        at + 1,
    )
    .unwrap();
}

/// The carer agrees (marked ready first), then the worker signs on `today`
/// with the suggested review date, which is returned.
fn agree_and_sign(doc: &mut PlanDoc, worker: &DeviceActor, today: NaiveDate) -> NaiveDate {
    let at = ms(today);
    agreed_in_meeting(doc, at, 10);
    let (_, _, due) = review::review_range(&doc.plan().unwrap(), today);
    signoff::sign(doc, worker, "Ann Smith", "Sam Patel", due, today, at + 20).unwrap();
    due
}

#[test]
fn a_plan_reviewed_twice_keeps_each_signed_version_and_shows_the_distance_travelled() {
    let (carer_device, worker_device) = (actor(), actor());
    let mut carer_doc = PlanDoc::create(
        &carer_device,
        carer("Ann Smith"),
        "scotland-national",
        &AREAS,
        T0,
    )
    .unwrap();
    let mut doc = carer_doc.fork(&worker_device);
    let agreed = d(2026, 11, 23);
    rate(&mut doc, "substantial", "substantial", ms(agreed) - 100);

    // No review before the plan is agreed.
    let start = |kind, reason: &str, today| Edit::StartReview {
        at: ms(today),
        device: "d".into(),
        today,
        kind,
        reason: reason.into(),
    };
    assert!(matches!(
        doc.apply(&start(ReviewKind::Unplanned, "moved", agreed), ms(agreed)),
        Err(DocError::Edit(_))
    ));

    // First agreement: the first review 6–8 weeks on.
    let first_due = agree_and_sign(&mut doc, &worker_device, agreed);
    assert_eq!(first_due, d(2027, 1, 18));

    // The planned review cannot start months early; an unplanned one needs a reason.
    let early = d(2026, 12, 1);
    let refused = doc.apply(&start(ReviewKind::Planned, "", early), ms(early));
    assert!(
        refused
            .unwrap_err()
            .words()
            .contains("not due until 18 January 2027"),
        "planned review refused early"
    );
    let refused = doc.apply(&start(ReviewKind::Unplanned, "  ", early), ms(early));
    assert!(refused
        .unwrap_err()
        .words()
        .contains("Say what has changed"));

    // Within 30 days of the date, the carer starts the planned review on
    // her copy; the worker's copy takes it in.
    carer_doc.merge(&mut doc).unwrap();
    let review_day = d(2027, 1, 11);
    carer_doc
        .apply(&start(ReviewKind::Planned, "", review_day), ms(review_day))
        .unwrap();
    let plan = carer_doc.plan().unwrap();
    let open = open_review(&plan).expect("a review round is open");
    assert_eq!(
        area_question(&open),
        "Has this changed since 23 November 2026?"
    );
    // The round starts from the current answers; the old agreement no longer counts.
    assert_eq!(
        plan.wellbeing["finances"].rating.as_deref(),
        Some("substantial")
    );
    assert_eq!(agreement(&plan), Agreement::NotAsked);
    carer_doc
        .apply(
            &Edit::SetAreaChanged {
                area: "finances".into(),
                changed: true,
            },
            ms(review_day) + 1,
        )
        .unwrap();
    carer_doc
        .apply(
            &Edit::SetRating {
                area: "finances".into(),
                level: Some("moderate".into()),
            },
            ms(review_day) + 2,
        )
        .unwrap();
    doc.merge(&mut carer_doc).unwrap();
    let plan = doc.plan().unwrap();
    assert_eq!(review::area_changed(&plan, "finances"), Some(true));
    assert_eq!(review::area_changed(&plan, "health-wellbeing"), None);
    // The worker cannot sign the review on the first agreement.
    let (_, _, due) = review::review_range(&plan, review_day);
    assert!(signoff::sign(
        &mut doc,
        &worker_device,
        "Ann Smith",
        "Sam Patel",
        due,
        review_day,
        ms(review_day) + 5
    )
    .is_err());
    // Second version: agreed and signed in the same order; yearly from the review.
    doc.apply(
        &Edit::SetWorkerRating {
            area: "finances".into(),
            level: Some("moderate".into()),
        },
        ms(review_day) + 3,
    )
    .unwrap();
    assert_eq!(
        agree_and_sign(&mut doc, &worker_device, review_day),
        d(2028, 1, 11)
    );
    let plan = doc.plan().unwrap();
    assert!(open_review(&plan).is_none(), "signing closes the round");
    assert_eq!(plan.review.last_reviewed, Some(review_day));
    // The last signed version reads as it was signed.
    let (_, then, _) = signoff::signed_version(&doc).unwrap();
    assert_eq!(
        then.wellbeing["finances"].rating.as_deref(),
        Some("moderate")
    );
    assert_eq!(
        review::area_changed(&plan, "finances"),
        None,
        "answers belong to their round"
    );

    // An unplanned review any time, with a reason; the rating moves again.
    let later = d(2027, 3, 2);
    doc.apply(
        &start(ReviewKind::Unplanned, "Her mother moved in with her", later),
        ms(later),
    )
    .unwrap();
    assert_eq!(
        doc.apply(&start(ReviewKind::Unplanned, "again", later), ms(later) + 1)
            .unwrap_err()
            .words(),
        ReviewRuleError::AlreadyStarted.words()
    );
    rate(&mut doc, "low", "moderate", ms(later) + DAY);
    let before_signing = signoff::signed_version(&doc).unwrap().1;
    assert_eq!(
        before_signing.wellbeing["finances"].rating.as_deref(),
        Some("moderate"),
        "the last agreed version stays as it was during the round"
    );
    let signed_on = d(2027, 3, 3);
    assert_eq!(
        agree_and_sign(&mut doc, &worker_device, signed_on),
        d(2028, 3, 3)
    );
    let history: Vec<String> = history(&doc).iter().map(|h| h.message.clone()).collect();
    assert!(history.contains(&"Started the planned review".to_string()));
    assert!(history.contains(&"Started a review because something changed".to_string()));
    assert!(history.contains(&"Signed off the review".to_string()));

    // Distance travelled, from the three signed versions.
    let fw = Framework::for_plan("scotland-national");
    let versions = signoff::signed_plans(&doc);
    assert_eq!(versions.len(), 3);
    let dist = distance(&versions, fw);
    assert_eq!(dist.agreed, vec![agreed, review_day, signed_on]);
    let finances = dist.areas.iter().find(|a| a.area == "finances").unwrap();
    assert_eq!(
        finances.carer_line(),
        "Finances: Substantial \u{2192} Moderate \u{2192} Low"
    );
    assert_eq!(
        finances.worker_line(),
        "Finances: Substantial \u{2192} Moderate \u{2192} Moderate"
    );
    assert_eq!(dist.areas.len(), 1, "areas never rated are left out");

    // The new keys survive a save and load, and the carer's copy takes them in.
    let reloaded = PlanDoc::load(&doc.save(), &actor()).unwrap();
    assert_eq!(reloaded.plan().unwrap(), doc.plan().unwrap());
    carer_doc.merge(&mut doc).unwrap();
    assert_eq!(signoff::signed_plans(&carer_doc).len(), 3);
}

#[test]
fn review_dates_follow_the_rules_across_leap_years() {
    use carer_plan::plan::review::{review_flag, ReviewFlag};
    let worker_device = actor();
    let mut doc = PlanDoc::create(
        &worker_device,
        worker("Sam Patel"),
        "scotland-national",
        &AREAS,
        T0,
    )
    .unwrap();
    // First agreement on 10 January 2028: the first review between 21
    // February and 6 March 2028 (the leap day inside the range).
    let agreed = d(2028, 1, 10);
    let (earliest, latest, suggested) = review::review_range(&doc.plan().unwrap(), agreed);
    assert_eq!(
        (earliest, latest, suggested),
        (d(2028, 2, 21), d(2028, 3, 6), d(2028, 3, 6))
    );
    // The worker moves the first review within its range, to the leap day;
    // outside the range is refused.
    let at = ms(agreed);
    agreed_in_meeting(&mut doc, at, 1);
    let sign = |doc: &mut PlanDoc, due, today, at| {
        signoff::sign(
            doc,
            &worker_device,
            "Ann Smith",
            "Sam Patel",
            due,
            today,
            at,
        )
    };
    assert!(sign(&mut doc, d(2028, 2, 20), agreed, at + 2).is_err());
    assert!(sign(&mut doc, d(2028, 3, 7), agreed, at + 2).is_err());
    sign(&mut doc, d(2028, 2, 29), agreed, at + 2).unwrap();
    assert_eq!(doc.plan().unwrap().review.next_due, Some(d(2028, 2, 29)));

    // Flags: due soon within 30 days (the leap day counted), overdue after.
    let due = Some(d(2028, 2, 29));
    assert_eq!(review_flag(due, d(2028, 1, 29)), None);
    assert_eq!(
        review_flag(due, d(2028, 1, 30)),
        Some(ReviewFlag::DueSoon {
            due: d(2028, 2, 29),
            days: 30
        })
    );
    assert_eq!(
        flag_sentence(review_flag(due, d(2028, 2, 29)).unwrap()),
        "The review is due today, 29 February 2028."
    );
    assert_eq!(
        review_flag(due, d(2028, 3, 1)),
        Some(ReviewFlag::Overdue {
            due: d(2028, 2, 29),
            days: 1
        })
    );
    assert_eq!(review_flag(None, d(2028, 3, 1)), None);

    // The review held on the leap day sets the next one a year on: 28
    // February 2029, as 2029 has no 29 February.
    let leap = d(2028, 2, 29);
    doc.apply(
        &Edit::StartReview {
            at: ms(leap),
            device: "d".into(),
            today: leap,
            kind: ReviewKind::Planned,
            reason: String::new(),
        },
        ms(leap),
    )
    .unwrap();
    let (_, latest, suggested) = review::review_range(&doc.plan().unwrap(), leap);
    assert_eq!((latest, suggested), (d(2029, 2, 28), d(2029, 2, 28)));
}

/// Found by trying the screens as a person would: a key worker changed his
/// view and signed again within the same second; the history listed his
/// change as newer than the sign-off that covers it (changes of one second
/// were ordered by section, the plan's own part first).
#[test]
fn a_sign_off_a_moment_after_a_change_is_listed_after_it() {
    let worker = actor();
    let mut doc = full_plan(&worker);
    let today = d(2026, 12, 4);
    agree_and_sign(&mut doc, &worker, today);
    let at = ms(today) + 5_000;
    doc.apply(
        &Edit::SetWorkerRating {
            area: "finances".into(),
            level: Some("Critical impact".into()),
        },
        at + 100,
    )
    .unwrap();
    agreed_in_meeting(&mut doc, at + 200, 100);
    let (_, _, due) = review::review_range(&doc.plan().unwrap(), today);
    signoff::sign(
        &mut doc,
        &worker,
        "Ann Smith",
        "Sam Patel",
        due,
        today,
        at + 400,
    )
    .unwrap();

    let said: Vec<String> = history(&doc).into_iter().map(|e| e.message).collect();
    let last = &said[said.len() - 4..];
    assert_eq!(
        last,
        [
            "Added key worker's view",
            "Marked the plan ready for the carer to agree",
            "Agreed with the plan, in a meeting with the key worker",
            "Signed off the plan",
        ],
        "oldest first: {said:?}"
    );
    assert_eq!(
        said.iter().filter(|m| *m == "Signed off the plan").count(),
        2
    );
}
