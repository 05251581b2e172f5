//! One WebSocket to the relay, binary frames only. The socket is closed
//! and its handlers dropped when the [`Socket`] is dropped.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// What happened on the socket.
pub enum SocketEvent {
    Open,
    Frame(Vec<u8>),
    /// A frame longer than the most this socket reads: not copied, not read.
    TooLarge,
    /// Closed (by either side, or because it could not connect).
    Closed,
}

/// An open (or opening) socket.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Connect to `url`; every event goes to `on_event`. Text frames are
    /// not part of the protocol and are passed over; a frame over
    /// `max_frame` bytes is refused before it is copied into the module.
    pub fn open(
        url: &str,
        max_frame: usize,
        on_event: impl Fn(SocketEvent) + Clone + 'static,
    ) -> Result<Socket, String> {
        let ws = WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let f = on_event.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || f(SocketEvent::Open));
        let f = on_event.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(buf) = e.data().dyn_ref::<ArrayBuffer>() {
                if buf.byte_length() as usize > max_frame {
                    f(SocketEvent::TooLarge);
                } else {
                    f(SocketEvent::Frame(Uint8Array::new(buf).to_vec()));
                }
            }
        });
        let on_close =
            Closure::<dyn FnMut(CloseEvent)>::new(move |_| on_event(SocketEvent::Closed));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Send one frame; `false` if the socket is not open.
    pub fn send(&self, frame: &[u8]) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_u8_array(frame).is_ok()
    }

    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        // Already closing or closed is fine.
        let _ = self.ws.close();
    }
}
