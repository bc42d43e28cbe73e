// Per test file: keep Temporal's worker log lines (state changes, polls) out of test output; warnings stay.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process by an earlier file.
}
