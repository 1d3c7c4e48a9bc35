/**
 * Appending a line so that it is either all on disk or reported as failed. writeSync may write
 * fewer bytes than asked (a disk that fills up part-way), so it is called until all are written;
 * the error that ends the loop (ENOSPC, EDQUOT, EIO…) is thrown to the caller.
 */
import { writeSync } from 'node:fs';

/**
 * A test hook for the failures of a full disk, which cannot always be staged with a real one:
 * MYTHOS_TEST_LOG_SPACE=<bytes> makes run log writes behave as if only that many bytes were free
 * for this process: the write that crosses the limit is cut short there, the next one fails
 * with ENOSPC, as a small tmpfs does.
 */
export class SpaceLimit {
  constructor(private left: number) {}

  write(fd: number, bytes: Buffer, offset: number): number {
    if (this.left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const written = writeSync(fd, bytes, offset, Math.min(this.left, bytes.length - offset));
    this.left -= written;
    return written;
  }
}

export function spaceLimitFrom(env: NodeJS.ProcessEnv): SpaceLimit | undefined {
  const raw = env.MYTHOS_TEST_LOG_SPACE;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return new SpaceLimit(Number(raw));
}

/** Writes all of `text` at the file's end; returns the bytes written, or throws what stopped it. */
export function writeWhole(fd: number, text: string, limit?: SpaceLimit): number {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    const written = limit ? limit.write(fd, bytes, offset) : writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw Object.assign(new Error('EIO: the write made no progress'), { code: 'EIO' });
    offset += written;
  }
  return offset;
}
