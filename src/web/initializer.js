// Trunk's initializer (data-initializer in index.html): while the
// WebAssembly module downloads, the static page in index.html shows how much
// has arrived; if it cannot start, the page says what to do. The app removes
// that page itself when it starts (src/web/start.rs, `start`). An external file,
// so the Content-Security-Policy needs no inline script.
const KB = (bytes) => Math.round(bytes / 1024).toLocaleString('en-GB');

export default function initializer() {
  const el = (id) => document.getElementById(id);
  // Without script the link simply goes to the neutral page; with it, the
  // waiting page leaves no history entry to come back to, as in the app.
  el('preload-exit')?.addEventListener('click', (event) => {
    event.preventDefault();
    location.replace(event.currentTarget.href);
  });
  return {
    onProgress: ({ current, total }) => {
      const bar = el('preload-progress');
      if (!bar || !total) return;
      bar.max = total;
      bar.value = Math.min(current, total);
      const amount = el('preload-amount');
      if (amount) amount.textContent = `${Math.floor((100 * bar.value) / total)}% ready`;
    },
    onFailure: () => {
      const failed = el('preload-failed');
      if (failed) failed.hidden = false;
    },
  };
}
