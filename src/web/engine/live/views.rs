//! What the screens show of keeping in step, told to the page only when it
//! changed (a frame that changes nothing tells nothing).

use super::{live, tell, Live};
use crate::plan::{PlanId, Role};
use crate::share::sync::identity::pairing_code;
use crate::share::sync::{DocumentId, Engines, Keep, Standing};
use crate::web::engine::protocol::live::{DeviceView, Joining, KeepView, LiveEvent, RequestView};

/// Tell every keep's state.
pub(super) fn publish_live() {
    let views = live(|l| {
        let views: Vec<(PlanId, KeepView)> = l
            .engine
            .keeps()
            .map(|(id, k)| (id.clone(), view_of(l, id, k, &l.engine)))
            .collect();
        l.told.views = views.iter().cloned().collect();
        views
    });
    if let Some(views) = views {
        tell(LiveEvent::Keeps(views));
    }
}

/// Tell one keep's state (or that it is gone), if it changed.
pub(super) fn publish_keep(id: &PlanId) {
    let changed = live(|l| {
        let view = l.engine.keep(id).map(|k| view_of(l, id, k, &l.engine));
        if l.told.views.get(id) == view.as_ref() {
            return None;
        }
        match &view {
            Some(v) => l.told.views.insert(id.clone(), v.clone()),
            None => l.told.views.remove(id),
        };
        Some(view)
    })
    .flatten();
    if let Some(view) = changed {
        tell(LiveEvent::Keep(id.clone(), view.map(Box::new)));
    }
}

/// How far the caseload has caught up, if it changed.
pub(super) fn publish_catch_up() {
    let changed = live(|l| {
        let now = l.engine.catch_up();
        (l.told.catch_up != now).then(|| {
            l.told.catch_up = now;
            now
        })
    })
    .flatten();
    if let Some(now) = changed {
        tell(LiveEvent::CatchUp(now));
    }
}

/// A join's state, and the shard of its link (`None` keeps the shard).
pub(super) fn set_joining(joining: Option<Joining>, shard: Option<Option<u32>>) {
    let told = live(|l| {
        l.told.joining = joining;
        if let Some(s) = shard {
            l.told.joining_shard = s;
        }
        (l.told.joining.clone(), l.told.joining_shard)
    });
    if let Some((j, s)) = told {
        tell(LiveEvent::Joining(j, s));
    }
}

/// The joining keep's state, unless the join has ended.
pub(super) fn publish_joining(doc: &DocumentId) {
    let Some(Some((standing, stopped, ended))) = live(|l| {
        let ended = matches!(
            l.told.joining,
            Some(Joining::Joined(_)) | Some(Joining::Failed(_))
        );
        l.engine
            .joining_keep(doc)
            .map(|k| (k.standing(), k.stopped, ended))
    }) else {
        return;
    };
    if ended {
        return;
    }
    let next = if stopped {
        Joining::Failed(crate::web::words::live::STOPPED_LINK.into())
    } else {
        match standing {
            Standing::Refused | Standing::Removed => Joining::Refused,
            Standing::OldLink => Joining::OldLink,
            _ => Joining::Asking(super::joining_code(doc)),
        }
    };
    set_joining(Some(next), None);
}

/// What the screens show of one keep.
fn view_of(l: &Live, id: &PlanId, k: &Keep, e: &Engines) -> KeepView {
    let me = e.device().id();
    let others: Vec<String> = k.others().map(|m| m.name.clone()).collect();
    KeepView {
        me: k.me,
        shard: e.shard_of(k.doc_id()),
        other: (!others.is_empty()).then(|| others.join(" and ")),
        synced_ms: l.synced.get(id).copied(),
        unconfirmed_since: k.unconfirmed_since,
        heard_ms: k.heard_from_other_ms(),
        sections: k.chosen(),
        stopped: k.stopped,
        standing: k.standing(),
        link: if k.me == Role::Carer {
            k.link().url(&l.address)
        } else {
            String::new()
        },
        devices: k
            .members()
            .iter()
            .map(|m| DeviceView {
                id: crate::plan::ids::hex(&m.device.0),
                name: m.name.clone(),
                role: m.role,
                allowed_ms: m.allowed_at,
                last_seen_ms: k.heard_from(&m.device),
                this: m.device == me,
            })
            .collect(),
        requests: k
            .requests
            .values()
            .map(|r| RequestView {
                id: crate::plan::ids::hex(&r.device.0),
                name: r.name.clone(),
                role: r.role,
                code: pairing_code(k.doc_id(), &r.device),
            })
            .collect(),
        relinked: k.relinked,
    }
}
