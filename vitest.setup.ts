// Tests assert on behaviour, not log lines: keep pino quiet unless LOG_LEVEL asks otherwise.
import { setLogLevel } from './server/log/logger';

setLogLevel(process.env.LOG_LEVEL ?? 'silent');
