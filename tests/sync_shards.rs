//! A key worker's caseload across relay shards, natively: two simulated
//! relays (one per shard, each refusing nothing but holding only what is
//! sent to it), carers each on her own document's shard, and the worker's
//! laptop running the app's own `share::sync::Engines`: one connection per
//! shard it needs, each document's frames only on its shard's connection,
//! and one shard's relay going away touching nothing on the other.

mod common;

use carer_plan::share::sync::wire::Message;
use common::shards::*;
use common::sim::{words, Device, Relay};

fn relays() -> Vec<Relay> {
    (0..SHARDS).map(|_| Relay::default()).collect()
}

/// The document ids one relay was asked about.
fn docs_on(relay: &Relay) -> Vec<String> {
    relay.docs.keys().cloned().collect()
}

/// Ann and Bea, each on her own shard, both keeping in step with the
/// worker's laptop (each allowed it).
struct Caseload {
    relays: Vec<Relay>,
    ann: Device,
    a: u32,
    bea: Device,
    b: u32,
    laptop: Laptop,
}

fn two_carers_on_two_shards() -> Caseload {
    let mut relays = relays();
    let (mut ann, ann_link, a) = carer_on(&mut relays, "ann", None);
    let (mut bea, bea_link, b) = carer_on(&mut relays, "bea", Some(1 - a));
    let mut laptop = Laptop::new("laptop");
    join_and_allow(&mut relays, &mut ann, a, &ann_link, &mut laptop);
    join_and_allow(&mut relays, &mut bea, b, &bea_link, &mut laptop);
    Caseload {
        relays,
        ann,
        a,
        bea,
        b,
        laptop,
    }
}

#[test]
fn a_caseload_across_two_shards_converges_over_one_connection_per_shard() {
    let mut relays = relays();
    let (mut ann, ann_link, a) = carer_on(&mut relays, "ann", None);
    let (mut bea, bea_link, b) = carer_on(&mut relays, "bea", Some(1 - a));
    let mut laptop = Laptop::new("laptop");
    assert!(
        laptop.engines.wanted().is_empty(),
        "nothing kept in step: no socket"
    );

    join_and_allow(&mut relays, &mut ann, a, &ann_link, &mut laptop);
    assert_eq!(
        laptop.engines.wanted(),
        vec![a],
        "one plan: its shard's socket only"
    );
    assert!(!laptop.is_online(b));
    join_and_allow(&mut relays, &mut bea, b, &bea_link, &mut laptop);
    let mut both = vec![a, b];
    both.sort();
    assert_eq!(laptop.engines.wanted(), both);

    ann.set(
        &mut relays[a as usize],
        "finances",
        "Ann: the gas bill doubled.",
    );
    bea.set(
        &mut relays[b as usize],
        "finances",
        "Bea: pension credit came.",
    );
    let ann_id = ann.plan().plan_id().clone();
    let bea_id = bea.plan().plan_id().clone();
    laptop.set(
        &mut relays,
        &bea_id,
        "life-balance",
        "Worker: respite booked.",
    );
    settle_all(
        &mut relays,
        &mut [(&mut ann, a), (&mut bea, b)],
        &mut laptop,
    );

    assert_eq!(
        laptop.words(&ann_id, "finances"),
        "Ann: the gas bill doubled."
    );
    assert_eq!(
        laptop.words(&bea_id, "finances"),
        "Bea: pension credit came."
    );
    assert_eq!(words(bea.plan(), "life-balance"), "Worker: respite booked.");
    assert_eq!(
        words(ann.plan(), "life-balance"),
        words(&laptop.plans[&ann_id], "life-balance")
    );
    for (k, relay) in relays.iter().enumerate() {
        for doc in docs_on(relay) {
            assert_eq!(shard_of_id(&doc), k as u32, "relay {k} was asked for {doc}");
        }
    }
    // Every frame the laptop sent about a document went on its shard's socket.
    for (k, frame) in &laptop.sent {
        match Message::decode(frame).unwrap() {
            Message::Request(s) | Message::Sync(s) => {
                assert_eq!(shard_of_id(&s.document_id), *k);
            }
            _ => {}
        }
    }
    for id in [&ann_id, &bea_id] {
        assert_eq!(laptop.engines.keep(id).unwrap().unconfirmed_since, None);
    }
    assert!(laptop.problems.is_empty(), "{:?}", laptop.problems);
}

#[test]
fn one_shards_relay_going_away_leaves_the_other_shards_plans_in_step_and_their_status_true() {
    let Caseload {
        mut relays,
        mut ann,
        a,
        mut bea,
        b,
        mut laptop,
    } = two_carers_on_two_shards();
    let ann_id = ann.plan().plan_id().clone();
    let bea_id = bea.plan().plan_id().clone();

    // Bea's shard's relay goes away, and comes back empty.
    laptop.disconnect_shard(&mut relays, b);
    bea.disconnect(&mut relays[b as usize]);
    relays[b as usize] = Relay::default();
    assert!(laptop.engines.is_ready(a));
    assert!(!laptop.engines.is_ready(b));

    ann.set(
        &mut relays[a as usize],
        "finances",
        "Typed while the other shard was down.",
    );
    bea.set(
        &mut relays[b as usize],
        "finances",
        "Typed while my shard was down.",
    );
    settle_all(&mut relays, &mut [(&mut ann, a)], &mut laptop);
    assert_eq!(
        laptop.words(&ann_id, "finances"),
        "Typed while the other shard was down."
    );
    // Ann's plan: up to date on both sides; nothing about Bea's shard.
    assert_eq!(ann.keep().unconfirmed_since, None);
    assert_eq!(
        laptop.engines.keep(&ann_id).unwrap().unconfirmed_since,
        None
    );
    // Bea's: not up to date, and the laptop does not have her words.
    assert!(bea.keep().unconfirmed_since.is_some());
    assert_ne!(
        laptop.words(&bea_id, "finances"),
        "Typed while my shard was down."
    );

    // Back: Bea's shard's socket opens again and everything arrives.
    bea.connect(&mut relays[b as usize]);
    laptop.connect(&mut relays);
    settle_all(
        &mut relays,
        &mut [(&mut ann, a), (&mut bea, b)],
        &mut laptop,
    );
    assert_eq!(
        laptop.words(&bea_id, "finances"),
        "Typed while my shard was down."
    );
    assert_eq!(bea.keep().unconfirmed_since, None);
    assert!(laptop.problems.is_empty(), "{:?}", laptop.problems);
}

#[test]
fn a_plan_let_go_closes_its_shards_socket_only() {
    let Caseload {
        ann, b, mut laptop, ..
    } = two_carers_on_two_shards();
    let ann_id = ann.plan().plan_id().clone();
    assert!(laptop.engines.remove(&ann_id).is_some());
    assert_eq!(laptop.engines.wanted(), vec![b]);
    assert_eq!(laptop.engines.shard_of_plan(&ann_id), None);
}

/// Back after days offline, the laptop says how far its caseload has caught
/// up: of the plans kept in step, how many the relays have answered about
/// since it came back, counted over both shards, until all have.
#[test]
fn a_caseload_coming_back_says_how_far_it_has_caught_up() {
    use carer_plan::share::sync::CatchUp;
    let Caseload {
        mut relays,
        mut ann,
        a,
        mut bea,
        b,
        mut laptop,
    } = two_carers_on_two_shards();
    let bea_id = bea.plan().plan_id().clone();

    for k in [a, b] {
        laptop.disconnect_shard(&mut relays, k);
    }
    assert_eq!(laptop.engines.catch_up(), None, "offline: nothing to say");
    ann.set(
        &mut relays[a as usize],
        "finances",
        "Written while he was away.",
    );
    bea.set(
        &mut relays[b as usize],
        "finances",
        "Also while he was away.",
    );

    laptop.connect(&mut relays);
    // The relays' frames read one at a time, as the socket delivers them:
    // the answer to the join makes a connection ready, then each plan's
    // first answer counts it as checked.
    let mut seen = Vec::new();
    loop {
        let mut any = false;
        for k in [a, b] {
            for frame in relays[k as usize].take(&format!("peer-laptop-s{k}")) {
                any = true;
                laptop.engines.handle_frame(k, &frame, laptop.clock);
                seen.push(laptop.engines.catch_up());
                laptop.flush(&mut relays);
            }
        }
        if !any {
            break;
        }
    }
    let counted: Vec<CatchUp> = seen.into_iter().flatten().collect();
    assert!(
        counted.iter().any(|c| c.checked < c.of),
        "a moment with plans still to check: {counted:?}"
    );
    assert!(
        counted
            .windows(2)
            .all(|w| w[0].checked <= w[1].checked || w[1].of > w[0].of),
        "the count only goes up: {counted:?}"
    );
    settle_all(
        &mut relays,
        &mut [(&mut ann, a), (&mut bea, b)],
        &mut laptop,
    );
    assert_eq!(
        laptop.engines.catch_up(),
        Some(CatchUp { checked: 2, of: 2 })
    );
    assert_eq!(laptop.words(&bea_id, "finances"), "Also while he was away.");
}
