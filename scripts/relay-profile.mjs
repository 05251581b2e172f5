// Preloaded into a relay for a benchmark only (`node --import
// ./scripts/relay-profile.mjs relay/server.mjs`): SIGUSR2 starts V8's CPU
// profiler, the next SIGUSR2 stops it and writes the profile to
// $RELAY_PROFILE (a .cpuprofile file, for scripts/bench-relay-cpu.mjs or
// Chromium's DevTools). Nothing of the relay itself changes.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

const file = process.env.RELAY_PROFILE;
if (file) {
  const session = new Session();
  session.connect();
  let on = false;
  let busy = Promise.resolve();
  process.on('SIGUSR2', () => {
    busy = busy.then(async () => {
      if (!on) {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
        on = true;
        process.stderr.write('profile started\n');
      } else {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(file, JSON.stringify(profile));
        on = false;
        process.stderr.write(`profile written to ${file}\n`);
      }
    });
  });
}
