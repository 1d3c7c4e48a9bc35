// Diagnosis only, never shipped: loaded into the CLI with `npm run bench -- --preload
// bench/no-fsync-preload.mjs`, it turns fsync into a no-op, so the difference from a normal
// run is what fsyncing the run log after every event costs on this machine's disk.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

fs.fsyncSync = () => {};
syncBuiltinESMExports();
