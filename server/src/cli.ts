// Command-line entry point; everything else lives in cli/main.ts so tests can call it in process.
import { main } from './cli/main';

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
