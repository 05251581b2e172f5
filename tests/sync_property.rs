//! Nothing lost, proven by chance: simulated carer tabs and key workers'
//! devices, each running the app's own sync core, kept in step through a
//! relay that drops, repeats and reorders messages and loses everything
//! when it restarts, while a device that was never allowed writes too.
//! After the network heals, every word written on an allowed device is on
//! every allowed device, and nothing of the stranger's is anywhere.
//! (`PROPTEST_CASES=1000` in the test command.)

mod common;

use carer_plan::doc::PlanDoc;
use carer_plan::plan::field::AreaField;
use carer_plan::plan::{Field, Role};
use carer_plan::share::sync::Keep;
use common::sim::{
    asks, carer_starts, second_tab, settle, words, worker_on_two_devices, Device, Relay,
};
use common::*;
use proptest::prelude::*;

/// Each writer writes in its own area, so the final text shows each
/// writer's every word in order.
const WRITER_AREAS: [&str; 5] = [
    "finances",
    "health-wellbeing",
    "relationships",
    "life-balance",
    "living-environment",
];

#[derive(Debug, Clone)]
enum Op {
    Type(usize),
    Deliver(usize),
    Reconnect(usize),
    Offline(usize),
    RestartRelay,
    Tick(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..5usize).prop_map(Op::Type),
        6 => (0..5usize).prop_map(Op::Deliver),
        1 => (0..5usize).prop_map(Op::Reconnect),
        1 => (0..5usize).prop_map(Op::Offline),
        1 => Just(Op::RestartRelay),
        1 => (0..5usize).prop_map(Op::Tick),
    ]
}

/// A tiny deterministic generator for the relay's mischief.
struct Chaos(u64);

impl Chaos {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Deliver what the relay holds for a device: some dropped, some twice,
/// some out of order.
fn deliver_badly(relay: &mut Relay, d: &mut Device, chaos: &mut Chaos) {
    if !d.online {
        return;
    }
    let mut frames = relay.take(&format!("peer-{}", d.name));
    if frames.len() > 1 && chaos.chance(30) {
        let i = (chaos.next() as usize) % frames.len();
        let f = frames.remove(i);
        frames.push(f);
    }
    for f in frames {
        if chaos.chance(15) {
            continue;
        }
        let twice = chaos.chance(10);
        d.engine.handle_frame(&f, d.clock);
        if twice {
            d.engine.handle_frame(&f, d.clock);
        }
        d.handle_events(relay);
    }
}

fn run(ops: Vec<Op>, seed: u64) -> Result<(), TestCaseError> {
    let mut chaos = Chaos(seed | 1);
    let mut relay = Relay::default();
    let (mut tab1, link) = carer_starts(&mut relay);
    // The carer's second tab: same device and keys, its own session.
    let id = tab1.plan().plan_id().clone();
    let mut tab2 = second_tab(&mut relay, &tab1, "tab2");
    let (mut laptop, mut phone) = worker_on_two_devices(&mut relay, &mut tab1, &link);
    // A stranger with the link: it asks (never allowed) and forges a keep
    // of its own, signing as itself.
    let mut stranger = asks(&mut relay, "stranger", &link, Role::KeyWorker);
    let forged = PlanDoc::create_with_id(
        id.clone(),
        &stranger.actor,
        worker("Sam Patel"),
        "scotland-national",
        &AREAS,
        T0,
    )
    .unwrap();
    let fake = Keep::start(
        link.clone(),
        id.clone(),
        &[Section::Area("living-environment".into())],
        stranger.engine.device(),
        "Ann",
        T0,
    )
    .unwrap();
    stranger.plan = Some(forged);
    stranger.engine.insert(id.clone(), fake);
    settle(
        &mut relay,
        &mut [&mut tab1, &mut tab2, &mut laptop, &mut phone, &mut stranger],
    );

    let mut devices = [tab1, tab2, laptop, phone, stranger];
    let mut written: Vec<Vec<String>> = vec![Vec::new(); 5];
    let mut n = 0;
    for op in ops {
        match op {
            Op::Type(i) => {
                n += 1;
                let d = &mut devices[i];
                if d.plan.is_none() {
                    continue;
                }
                let token = format!("w{i}x{n}");
                let area = WRITER_AREAS[i];
                let field = Field::Area(area.into(), AreaField::OwnWords);
                let now = d.plan().field_value(&field);
                let next = if now.is_empty() {
                    token.clone()
                } else {
                    format!("{now} {token}")
                };
                if next.chars().count() > 900 {
                    continue;
                }
                d.set(&mut relay, area, &next);
                written[i].push(token);
            }
            Op::Deliver(i) => deliver_badly(&mut relay, &mut devices[i], &mut chaos),
            Op::Reconnect(i) => devices[i].connect(&mut relay),
            Op::Offline(i) => devices[i].disconnect(&mut relay),
            Op::RestartRelay => {
                relay = Relay::default();
                for d in devices.iter_mut() {
                    d.engine.disconnected();
                    d.online = false;
                }
            }
            Op::Tick(i) => {
                let d = &mut devices[i];
                d.clock += 61_000;
                d.engine.tick(d.clock);
                d.handle_events(&mut relay);
            }
        }
    }

    // The network heals: everyone online, messages arrive, the clock runs.
    for _ in 0..3 {
        for d in devices.iter_mut() {
            d.connect(&mut relay);
        }
        {
            let [a, b, c, d, e] = &mut devices;
            settle(&mut relay, &mut [a, b, c, d, e]);
        }
        for d in devices.iter_mut() {
            d.clock += 61_000;
            d.engine.tick(d.clock);
            d.handle_events(&mut relay);
        }
        let [a, b, c, d, e] = &mut devices;
        settle(&mut relay, &mut [a, b, c, d, e]);
    }

    for d in &devices[..4] {
        let plan = d.plan.as_ref().expect("every allowed device has the plan");
        for (w, tokens) in written.iter().enumerate().take(4) {
            let text = words(plan, WRITER_AREAS[w]);
            for t in tokens {
                prop_assert!(
                    text.split(' ').any(|x| x == t),
                    "{} lacks {t} (written on device {w}) in {:?}",
                    d.name,
                    text
                );
            }
        }
        let forged = words(plan, WRITER_AREAS[4]);
        for t in &written[4] {
            prop_assert!(
                !forged.split(' ').any(|x| x == t),
                "{} took the stranger's {t}",
                d.name
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { max_shrink_iters: 200, ..ProptestConfig::default() })]
    #[test]
    fn every_allowed_word_reaches_every_allowed_device_and_no_strangers(
        ops in prop::collection::vec(op(), 1..24),
        seed in any::<u64>(),
    ) {
        run(ops, seed)?;
    }
}

#[test]
fn a_stranger_never_gets_the_plan() {
    let mut relay = Relay::default();
    let (mut carer, link) = carer_starts(&mut relay);
    let mut stranger = asks(&mut relay, "stranger", &link, Role::KeyWorker);
    settle(&mut relay, &mut [&mut carer, &mut stranger]);
    carer.set(&mut relay, "finances", "Private words.");
    settle(&mut relay, &mut [&mut carer, &mut stranger]);
    assert!(stranger.plan.is_none());
}
