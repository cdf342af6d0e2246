import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/**
 * Everything an app could print: a Nest `LoggerService` that records every level (errors with their
 * stacks), plus every write to process.stdout and process.stderr (console.*, TypeORM's query logger,
 * anything that bypasses Nest). Text writes are kept out of the test report (SHOW_CAPTURED_LOGS=1
 * shows them); binary writes, which are the test runner's own protocol, always go through.
 */
export class LogCapture implements LoggerService {
  private readonly lines: string[] = [];
  private restore?: () => void;

  log(...args: unknown[]): void {
    this.record('log', args);
  }
  error(...args: unknown[]): void {
    this.record('error', args);
  }
  warn(...args: unknown[]): void {
    this.record('warn', args);
  }
  debug(...args: unknown[]): void {
    this.record('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.record('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.record('fatal', args);
  }

  /** Starts recording process.stdout and process.stderr writes too. */
  start(): void {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write.bind(stream));
    streams.forEach((stream, i) => {
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.lines.push(`[${i ? 'stderr' : 'stdout'}] ${Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk)}`);
        if (typeof chunk !== 'string' || process.env.SHOW_CAPTURED_LOGS === '1') {
          return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
        }
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
    });
    this.restore = () => streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
  }

  stop(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** All recorded output, one entry per call or write. */
  get output(): readonly string[] {
    return this.lines;
  }

  private record(level: string, args: unknown[]): void {
    this.lines.push(`[nest:${level}] ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 5 }))).join(' ')}`);
  }
}
