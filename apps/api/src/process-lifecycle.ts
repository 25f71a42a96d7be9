import { ConfigError, loadConfig, type AppConfig } from '@tocsin/config';
import type { createRootLogger } from '@tocsin/logging';

type RootLogger = ReturnType<typeof createRootLogger>;

/** A shutdown that hangs must not keep a supervisor waiting forever. */
const STOP_DEADLINE_MS = 15_000;

/** The validated configuration, or exit 2 naming every wrong variable. */
export function readConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** On SIGTERM or SIGINT, runs `stop` once and exits: 0 when it finished in time, 1 otherwise. */
export function stopOnSignal(logger: RootLogger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();

    await stop();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void onSignal(signal));
  process.once('SIGINT', (signal) => void onSignal(signal));
}
