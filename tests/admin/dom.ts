/**
 * A DOM (vitest's own jsdom setup) for a test file that runs the real app in its process too
 * (host-admin.test.ts). Not `@vitest-environment jsdom`: that transforms every module for the browser,
 * which turns the server's `new URL('./file', import.meta.url)` into an http URL. Import it before
 * React: react-dom and MUI look for `window` when they load.
 */
import { afterAll } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';

const dom = await builtinEnvironments.jsdom.setup(globalThis, {});
afterAll(() => dom.teardown(globalThis));
