//! Who is in, on one device: the lists of devices a carer's device signs
//! (`entry::Roster`) — allowing, refusing and removing devices, changing
//! the sections or stopping — and reading every list this device can
//! open, keeping only those signed by a device that may sign them.

use std::collections::BTreeSet;

use super::entry::{self, Entry, Member, Roster};
use super::identity::{DeviceId, DeviceKey};
use super::keep::{Keep, KeepError};
use crate::plan::{Role, Section};

impl Keep {
    pub(super) fn is_carer_device(&self, d: &DeviceId) -> bool {
        self.roster
            .as_ref()
            .and_then(|r| r.member(d))
            .is_some_and(|m| m.role == Role::Carer)
    }

    pub(super) fn put_list(&mut self, me: &DeviceKey, roster: Roster) -> Result<(), KeepError> {
        let bytes =
            entry::roster(me, &self.link.doc, &roster, &self.ring).map_err(|_| KeepError::Local)?;
        let key = format!("a{:010}-{}", roster.epoch, self.writer);
        self.sections = roster.sections.clone();
        self.stopped = roster.stopped;
        self.roster = Some(roster);
        self.put(&key, bytes)
    }

    /// The carer's device writes a new list: `change` edits a copy of the
    /// current one. With `rotate`, a new epoch key that only the devices
    /// on the new list get (removing a device).
    pub fn change_roster(
        &mut self,
        me: &DeviceKey,
        now_ms: i64,
        rotate: bool,
        change: impl FnOnce(&mut Roster),
    ) -> Result<(), KeepError> {
        let allowed = self
            .roster
            .as_ref()
            .and_then(|r| r.member(&me.id()))
            .is_some_and(|m| m.role == Role::Carer);
        if !allowed {
            return Err(KeepError::NotAllowed);
        }
        let mut r = self.roster.clone().ok_or(KeepError::NotAllowed)?;
        change(&mut r);
        let top = self.ring.keys().next_back().copied().unwrap_or(0);
        r.epoch = r.epoch.max(top) + 1;
        r.at = now_ms;
        let key = if rotate {
            let mut k = [0u8; 32];
            getrandom::fill(&mut k).map_err(|_| KeepError::Local)?;
            k
        } else {
            self.ring.get(&top).copied().ok_or(KeepError::Local)?
        };
        self.ring.insert(r.epoch, key);
        self.put_list(me, r)
    }

    /// Allow a device that asked.
    pub fn allow(
        &mut self,
        me: &DeviceKey,
        device: &DeviceId,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        let req = self
            .requests
            .get(device)
            .cloned()
            .ok_or(KeepError::NotAllowed)?;
        self.change_roster(me, now_ms, false, |r| {
            r.members.retain(|m| m.device != req.device);
            r.refused.retain(|d| *d != req.device);
            r.removed.retain(|d| *d != req.device);
            r.members.push(Member {
                device: req.device,
                dh: req.dh,
                name: req.name.clone(),
                role: req.role,
                allowed_at: now_ms,
            });
        })?;
        self.requests.remove(device);
        Ok(())
    }

    /// Refuse a device that asked.
    pub fn refuse(
        &mut self,
        me: &DeviceKey,
        device: &DeviceId,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        let d = *device;
        self.change_roster(me, now_ms, false, |r| {
            if !r.refused.contains(&d) {
                r.refused.push(d);
            }
        })?;
        // The list is sealed to the devices on it: the one refused is told
        // with the link's key, as a stop is.
        let bytes = entry::refused(me, &self.link.doc, &self.link.key, &d, now_ms)
            .map_err(|_| KeepError::Local)?;
        self.put(&format!("x{}.{}", d.short(), self.writer), bytes)?;
        self.requests.remove(device);
        Ok(())
    }

    /// Remove an allowed device: a new key it never gets; what it sends
    /// afterwards is refused.
    pub fn remove(
        &mut self,
        me: &DeviceKey,
        device: &DeviceId,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        if *device == me.id() {
            return Err(KeepError::NotAllowed);
        }
        let d = *device;
        self.change_roster(me, now_ms, true, |r| {
            r.members.retain(|m| m.device != d);
            if !r.removed.contains(&d) {
                r.removed.push(d);
            }
        })
    }

    /// The carer changes the sections kept in step, or stops.
    pub fn set_consent(
        &mut self,
        me: &DeviceKey,
        sections: &[Section],
        stopped: bool,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        self.change_roster(me, now_ms, stopped, |r| {
            r.sections = sections.iter().map(Section::id).collect();
            r.stopped = stopped;
        })?;
        if stopped {
            let bytes = entry::stopped(me, &self.link.doc, &self.link.key, now_ms)
                .map_err(|_| KeepError::Local)?;
            let key = format!("s{}", self.writer);
            self.put(&key, bytes)?;
        }
        Ok(())
    }

    /// Read every list of devices this device can open, in epoch order,
    /// keeping those signed by a device that may sign them: the carer's
    /// first device (named in the link), or a carer's device allowed on an
    /// earlier list and not removed since.
    pub(super) fn read_lists(&mut self, me: &DeviceKey) {
        let Some(root) = self.link.root else { return };
        // (epoch, key, signer, this device's sealed ring, sealed body)
        type Found = (u32, String, DeviceId, Option<Vec<u8>>, Vec<u8>);
        let mut lists: Vec<Found> = Vec::new();
        for (key, bytes) in &self.lists {
            if let Ok(Entry::Roster {
                signer,
                epoch,
                ring,
                body,
            }) = entry::read(bytes, &self.link.doc, &self.link.key, &self.device)
            {
                lists.push((epoch, key.clone(), signer, ring, body));
            }
        }
        lists.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut carers: BTreeSet<DeviceId> = BTreeSet::from([root]);
        let mut put_out: BTreeSet<DeviceId> = BTreeSet::new();
        let mut current: Option<Roster> = None;
        let mut newest_unread = 0;
        for (epoch, _, signer, sealed_ring, body) in lists {
            if !carers.contains(&signer) || put_out.contains(&signer) {
                continue;
            }
            if let Some(sealed) = sealed_ring {
                if let Ok(ring) = entry::open_ring(me, &self.link.doc, epoch, &sealed) {
                    self.ring.extend(ring);
                }
            }
            let Ok(r) = entry::open_roster(&self.link.doc, &signer, epoch, &body, &self.ring)
            else {
                // Signed by a carer's device, and not for this one.
                newest_unread = newest_unread.max(epoch);
                continue;
            };
            if self.plan_id.as_ref().is_some_and(|p| *p != r.plan_id) {
                continue;
            }
            put_out.extend(r.removed.iter().copied());
            for m in &r.members {
                if m.role == Role::Carer && !put_out.contains(&m.device) {
                    carers.insert(m.device);
                }
            }
            current = Some(r);
        }
        self.locked_out = current.as_ref().is_some_and(|r| newest_unread > r.epoch);
        if let Some(r) = current {
            if self.me != Role::Carer || r.member(&self.device).is_none() {
                self.sections = r.sections.clone();
            }
            self.stopped = r.stopped;
            if self.plan_id.is_none() && r.member(&self.device).is_some() {
                self.plan_id = Some(r.plan_id.clone());
            }
            self.roster = Some(r);
        }
    }
}
