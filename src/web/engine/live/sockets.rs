//! The sockets: one per relay shard the device's kept-in-step plans (and
//! any link being joined) need, at `RelayAddress::shard_url` (the single
//! relay's own address when there are no shards). Each has its own status
//! line, retries with backoff, flood guard and frames read in slices; a
//! socket no plan needs any more is closed. Back online, or the page shown
//! again, every shard tries at once.

use super::views::publish_catch_up;
use super::{later, live, now_ms, online, other_default, pump, say, tell, MAX_QUEUED, SLICE_MS};
use crate::share::sync::Problem;
use crate::web::engine::protocol::live::{Connection, LiveEvent};
use crate::web::platform::socket::{Socket, SocketEvent};
use crate::web::words::live::problem_words;

/// Open a socket for every shard that needs one and has none; close those
/// no plan needs any more.
pub(super) fn connect() {
    let (wanted, idle) = live(|l| {
        let wanted = l.engine.wanted();
        let idle: Vec<u32> = l
            .conns
            .keys()
            .filter(|k| !wanted.contains(k))
            .copied()
            .collect();
        (wanted, idle)
    })
    .unwrap_or_default();
    for k in idle {
        close_shard(k);
    }
    for k in wanted {
        connect_shard(k);
    }
}

/// Open shard `k`'s socket if it is not open.
fn connect_shard(k: u32) {
    let opened = live(|l| {
        let url = l.relay.as_ref()?.shard_url(k);
        let conn = l.conns.entry(k).or_default();
        if conn.socket.is_some() {
            return None;
        }
        Some(Socket::open(
            &url,
            crate::share::sync::wire::MAX_FRAME,
            move |e| on_socket(k, e),
        ))
    });
    match opened.flatten() {
        Some(Ok(socket)) => {
            live(|l| l.conns.entry(k).or_default().socket = Some(socket));
            set_connection(k, Connection::Connecting);
        }
        Some(Err(_)) => {
            set_connection(k, Connection::Unreachable);
            retry_later(k);
        }
        None => {}
    }
}

/// Nothing on shard `k` is kept in step any more: close its socket.
fn close_shard(k: u32) {
    let told = live(|l| {
        // Dropping the socket closes it and lets go of its handlers.
        l.conns.remove(&k);
        l.engine.disconnected(k);
        l.told.sockets.remove(&k).is_some()
    });
    if told == Some(true) {
        tell(LiveEvent::Socket(k, None));
    }
    publish_catch_up();
}

/// The worker's own word that the browser went offline or came back (the
/// page says so too: `LiveAsk::Network`). Listened to for the worker's life.
pub(super) fn follow_the_network() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let scope: web_sys::EventTarget = js_sys::global().unchecked_into();
    let offline = Closure::<dyn FnMut()>::new(|| network(false));
    let online = Closure::<dyn FnMut()>::new(|| network(true));
    let _ = scope.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    let _ = scope.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    // Kept for the worker's life: handing them to JavaScript keeps them.
    let _ = (offline.into_js_value(), online.into_js_value());
}

/// Gone offline: every socket is dropped and says so at once (a socket can
/// stay open, unanswered, long after the network went), and each is tried
/// again only slowly, still saying "offline", until the browser is back.
/// Back online: every shard tries now.
pub(super) fn network(online_now: bool) {
    live(|l| l.offline = !online_now);
    if online_now {
        reconnect_now();
        return;
    }
    let open: Vec<u32> = live(|l| l.conns.keys().copied().collect()).unwrap_or_default();
    for k in open {
        drop_connection(k);
    }
}

/// Back online, or the page shown again: every shard tries now.
pub(super) fn reconnect_now() {
    live(|l| {
        for c in l.conns.values_mut() {
            c.retry.reset();
        }
    });
    connect();
}

pub(super) fn set_connection(k: u32, c: Connection) {
    // Offline, a socket tried or broken is "offline", never "connecting"
    // or "unreachable" by turns.
    let c = match c {
        Connection::Connecting | Connection::Unreachable if !online() => Connection::Offline,
        c => c,
    };
    let changed = live(|l| l.told.sockets.insert(k, c) != Some(c));
    if changed == Some(true) {
        tell(LiveEvent::Socket(k, Some(c)));
    }
    publish_catch_up();
}

fn retry_later(k: u32) {
    let wait = live(|l| {
        let c = l.conns.get_mut(&k)?;
        if c.retry_set {
            return None;
        }
        c.retry_set = true;
        Some(c.retry.next_wait_ms(js_sys::Math::random()))
    });
    if let Some(Some(ms)) = wait {
        later(i32::try_from(ms).unwrap_or(i32::MAX), move || {
            live(|l| {
                if let Some(c) = l.conns.get_mut(&k) {
                    c.retry_set = false;
                }
            });
            connect();
        });
    }
}

/// Drop shard `k`'s connection (it broke the protocol, flooded, or the sync
/// core asked) and make it again later.
pub(super) fn drop_connection(k: u32) {
    let known = live(|l| {
        l.engine.disconnected(k);
        let c = l.conns.get_mut(&k)?;
        c.socket = None;
        c.inbox.clear();
        Some(())
    });
    if known.flatten().is_none() {
        // Closed already: no plan needs this shard.
        return;
    }
    set_connection(k, Connection::Unreachable);
    retry_later(k);
}

fn on_socket(k: u32, event: SocketEvent) {
    match event {
        SocketEvent::Open => {
            live(|l| l.engine.connected(k));
            pump();
        }
        SocketEvent::Closed => drop_connection(k),
        SocketEvent::TooLarge => {
            say(problem_words(&Problem::TooLarge, &other_default()));
            drop_connection(k);
        }
        SocketEvent::Frame(frame) => {
            let flood = live(|l| {
                let c = l.conns.entry(k).or_default();
                c.inbox.push_back(frame);
                c.inbox.len() > MAX_QUEUED
            });
            if flood == Some(true) {
                say(problem_words(&Problem::TooLarge, &other_default()));
                drop_connection(k);
                return;
            }
            drain_soon(k);
        }
    }
}

fn drain_soon(k: u32) {
    let first = live(|l| {
        let c = l.conns.get_mut(&k)?;
        Some(!std::mem::replace(&mut c.draining, true))
    });
    if first.flatten() == Some(true) {
        later(0, move || drain(k));
    }
}

/// Read shard `k`'s frames for a few milliseconds, then let other work
/// (a save, a request from the page) have a turn.
fn drain(k: u32) {
    let start = js_sys::Date::now();
    while let Some(Some(frame)) = live(|l| l.conns.get_mut(&k).and_then(|c| c.inbox.pop_front())) {
        let now = now_ms();
        live(|l| l.engine.handle_frame(k, &frame, now));
        pump();
        if js_sys::Date::now() - start > SLICE_MS {
            break;
        }
    }
    publish_catch_up();
    let more = live(|l| {
        let c = l.conns.get_mut(&k)?;
        c.draining = false;
        Some(!c.inbox.is_empty())
    });
    if more.flatten() == Some(true) {
        drain_soon(k);
    }
}
