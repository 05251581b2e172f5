//! The sockets: one per relay shard the device's kept-in-step plans (and
//! any link being joined) need, at `RelayAddress::shard_url` (the single
//! relay's own address when there are no shards). Each has its own status
//! line, retries with backoff, flood guard and frames read in slices; a
//! socket no plan needs any more is closed. Back online, or the page shown
//! again, every shard tries at once.

use super::*;
use crate::web::platform::socket::SocketEvent;

impl App {
    /// Open a socket for every shard that needs one and has none; close
    /// those no plan needs any more.
    pub fn connect(&self) {
        let (wanted, idle) = self
            .live(|l| {
                let wanted = l.engine.as_ref().map(Engines::wanted).unwrap_or_default();
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
            self.close_shard(k);
        }
        for k in wanted {
            self.connect_shard(k);
        }
    }

    /// Open shard `k`'s socket if it is not open.
    fn connect_shard(&self, k: u32) {
        let app = *self;
        let opened = self.live(|l| {
            let url = l.relay.as_ref()?.shard_url(k);
            let conn = l.conns.entry(k).or_default();
            if conn.socket.is_some() {
                return None;
            }
            Some(Socket::open(
                &url,
                crate::share::sync::wire::MAX_FRAME,
                move |e| app.on_socket(k, e),
            ))
        });
        match opened.flatten() {
            Some(Ok(socket)) => {
                self.live(|l| l.conns.entry(k).or_default().socket = Some(socket));
                self.set_connection(k, Connection::Connecting);
            }
            Some(Err(_)) => {
                self.set_connection(k, Connection::Unreachable);
                self.retry_later(k);
            }
            None => {}
        }
    }

    /// Nothing on shard `k` is kept in step any more: close its socket.
    fn close_shard(&self, k: u32) {
        self.live(|l| {
            // Dropping the socket closes it and lets go of its handlers.
            l.conns.remove(&k);
            if let Some(e) = l.engine.as_mut() {
                e.disconnected(k);
            }
        });
        if self.ui.live.with_untracked(|s| s.sockets.contains_key(&k)) {
            self.ui.live.update(|s| {
                s.sockets.remove(&k);
            });
        }
        self.publish_catch_up();
    }

    /// Back online, or the page shown again: every shard tries now.
    pub fn reconnect_now(&self) {
        self.live(|l| {
            for c in l.conns.values_mut() {
                c.retry.reset();
            }
        });
        self.connect();
    }

    pub(super) fn set_connection(&self, k: u32, c: Connection) {
        if self
            .ui
            .live
            .with_untracked(|s| s.sockets.get(&k) != Some(&c))
        {
            self.ui.live.update(|s| {
                s.sockets.insert(k, c);
            });
        }
        self.publish_catch_up();
    }

    fn retry_later(&self, k: u32) {
        let wait = self.live(|l| {
            let c = l.conns.get_mut(&k)?;
            if c.retry_set {
                return None;
            }
            c.retry_set = true;
            Some(c.retry.next_wait_ms(js_sys::Math::random()))
        });
        if let Some(Some(ms)) = wait {
            let app = *self;
            later(i32::try_from(ms).unwrap_or(i32::MAX), move || {
                app.live(|l| {
                    if let Some(c) = l.conns.get_mut(&k) {
                        c.retry_set = false;
                    }
                });
                app.connect();
            });
        }
    }

    /// Drop shard `k`'s connection (it broke the protocol, flooded, or the
    /// sync core asked) and make it again later.
    pub(super) fn drop_connection(&self, k: u32) {
        let known = self.live(|l| {
            if let Some(e) = l.engine.as_mut() {
                e.disconnected(k);
            }
            let c = l.conns.get_mut(&k)?;
            c.socket = None;
            c.inbox.clear();
            Some(())
        });
        if known.flatten().is_none() {
            // Closed already: no plan needs this shard.
            return;
        }
        self.set_connection(
            k,
            if online() {
                Connection::Unreachable
            } else {
                Connection::Offline
            },
        );
        self.retry_later(k);
    }

    fn on_socket(&self, k: u32, event: SocketEvent) {
        match event {
            SocketEvent::Open => {
                self.engine(|e| e.connected(k));
                self.pump();
            }
            SocketEvent::Closed => self.drop_connection(k),
            SocketEvent::TooLarge => {
                self.say(problem_words(&Problem::TooLarge, &self.other_default()));
                self.drop_connection(k);
            }
            SocketEvent::Frame(frame) => {
                let flood = self.live(|l| {
                    let c = l.conns.entry(k).or_default();
                    c.inbox.push_back(frame);
                    c.inbox.len() > MAX_QUEUED
                });
                if flood == Some(true) {
                    self.say(problem_words(&Problem::TooLarge, &self.other_default()));
                    self.drop_connection(k);
                    return;
                }
                self.drain_soon(k);
            }
        }
    }

    fn drain_soon(&self, k: u32) {
        let first = self.live(|l| {
            let c = l.conns.get_mut(&k)?;
            Some(!std::mem::replace(&mut c.draining, true))
        });
        if first.flatten() == Some(true) {
            let app = *self;
            later(0, move || app.drain(k));
        }
    }

    /// Read shard `k`'s frames for a few milliseconds, then let the page
    /// have a turn.
    fn drain(&self, k: u32) {
        let start = perf_now();
        while let Some(Some(frame)) =
            self.live(|l| l.conns.get_mut(&k).and_then(|c| c.inbox.pop_front()))
        {
            let now = now_ms();
            self.engine(|e| e.handle_frame(k, &frame, now));
            self.pump();
            if perf_now() - start > SLICE_MS {
                break;
            }
        }
        self.publish_catch_up();
        let more = self.live(|l| {
            let c = l.conns.get_mut(&k)?;
            c.draining = false;
            Some(!c.inbox.is_empty())
        });
        if more.flatten() == Some(true) {
            self.drain_soon(k);
        }
    }
}
