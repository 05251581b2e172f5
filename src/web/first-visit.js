// Runs in index.html's <head>, before the page is drawn (a classic script,
// neither deferred nor a module; an external file, so the
// Content-Security-Policy needs no inline script).
//
// 1. A returning person (who uses this device is saved, as the app saves it:
//    src/web/platform/settings.rs, `csp.role`, a JSON string) or a link to
//    another page than the home page: the waiting page only, as the app will
//    not ask the first question (the class `returning` on <html>;
//    style/main.css hides the question).
// 2. Otherwise the first question in index.html is answered while the app
//    downloads. "Save and continue" pressed then is held: the form is marked
//    and the app saves it when it starts, with its own checks
//    (`Handed` in src/web/ui/device.rs).
(() => {
  const ROLES = ['carer', 'key-worker'];
  let role = null;
  try {
    role = JSON.parse(localStorage.getItem('csp.role'));
  } catch {
    // Storage refused (or not JSON): the app will ask, so ask here too.
  }
  const home = location.hash === '' || location.hash === '#/';
  if (ROLES.includes(role) || !home) document.documentElement.classList.add('returning');

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.id !== 'first-form') return;
    event.preventDefault();
    form.dataset.held = 'yes';
    const said = document.getElementById('first-held');
    if (said) said.textContent = 'Thank you. This will be saved as soon as the app is ready.';
  });
})();
