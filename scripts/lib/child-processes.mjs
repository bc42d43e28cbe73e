// Running, watching and stopping the child processes that build, download and
// serve the Temporal tools. Plain Node ESM with no npm dependencies, so it
// works before `npm install`.

import { spawn } from 'node:child_process';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** The first `head` and the last `max` lines of a process's output (a Go panic names its cause first). */
export class Tail {
  constructor(max = 60, head = 15) {
    this.max = max;
    this.headMax = head;
    this.head = [];
    this.lines = [];
    this.dropped = 0;
    this.partial = '';
  }
  push(chunk) {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop();
    for (const l of parts) {
      if (this.head.length < this.headMax) this.head.push(l);
      else this.lines.push(l);
    }
    if (this.lines.length > this.max) {
      this.dropped += this.lines.length - this.max;
      this.lines.splice(0, this.lines.length - this.max);
    }
  }
  text() {
    const gap = this.dropped ? [`… (${this.dropped} lines) …`] : [];
    return [...this.head, ...gap, ...this.lines, this.partial].filter((l) => l !== '').join('\n');
  }
}

/**
 * Runs a command, streaming its output line by line through `log` (prefixed),
 * printing a heartbeat every 30 s, and resolving with { code, tail }.
 */
export function runStreaming(cmd, args, { env, cwd, log, prefix, heartbeat }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new Tail(80);
    const forward = (chunk) => {
      tail.push(chunk);
      for (const raw of chunk.toString().split('\n')) {
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd(); // drop ANSI colour codes
        if (line.trim()) log(`${prefix}${line}`);
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const timer = heartbeat
      ? setInterval(() => log(`${prefix}… ${heartbeat} (${Math.round((Date.now() - started) / 1000)} s so far)`), 30_000)
      : null;
    child.on('error', (e) => {
      if (timer) clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code: code ?? (signal ? 128 : 1), signal, tail: tail.text(), ms: Date.now() - started });
    });
  });
}

/** Runs a command to completion, capturing its output: { status, stdout, stderr }. */
export function runCapture(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', (e) => resolve({ status: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves once the child has exited. */
export function killChild(child, graceMs) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    let timer;
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
    timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
  });
}
